import torch
import torch.nn as nn

ONNX_OP = "Celu"


class Model(nn.Module):
    """CELU: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), elementwise."""

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.celu = nn.CELU(alpha=alpha)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.celu(x)


batch_size = 128
dim = 1024


def get_inputs():
    # Centred at 0 with a wide spread: both the linear and the saturating exponential branch matter.
    return [torch.randn(batch_size, dim) * 2.0]


def get_init_inputs():
    return [1.0]
