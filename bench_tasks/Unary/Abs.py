import torch
import torch.nn as nn

ONNX_OP = "Abs"


class Model(nn.Module):
    """Elementwise absolute value."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.abs(x)


def get_inputs():
    # Centred at 0: half the elements change sign.
    return [torch.randn(16, 8, 256, 256)]


def get_init_inputs():
    return []
