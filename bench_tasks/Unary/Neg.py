import torch
import torch.nn as nn

ONNX_OP = "Neg"


class Model(nn.Module):
    """Elementwise negation."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.neg(x)


def get_inputs():
    return [torch.randn(8, 256, 256)]


def get_init_inputs():
    return []
