import torch
import torch.nn as nn

ONNX_OP = "Elu"


class Model(nn.Module):
    """ELU: x for x > 0, alpha * (exp(x) - 1) otherwise, elementwise."""

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.elu = nn.ELU(alpha=alpha)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.elu(x)


def get_inputs():
    # Centred at 0 with a wide spread: both the linear and the saturating exponential branch matter.
    return [torch.randn(16, 64, 128) * 2.0]


def get_init_inputs():
    return [0.1]
