import torch
import torch.nn as nn

ONNX_OP = "Exp"


class Model(nn.Module):
    """Elementwise natural exponential."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.exp(x)


def get_inputs():
    # Outputs span e^-10 .. e^10; checked with the relative tolerance.
    return [torch.randn(16, 512, 512) * 2]


def get_init_inputs():
    return []
