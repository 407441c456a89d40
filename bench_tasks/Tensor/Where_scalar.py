import torch
import torch.nn as nn

ONNX_OP = "Where"


class Model(nn.Module):
    """Elementwise select between two 0-D (scalar) tensors, broadcast to the condition's shape."""

    def __init__(self):
        super().__init__()

    def forward(self, cond: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return torch.where(cond, x, y)


def get_inputs():
    # A balanced random condition; x and y are 0-D float32 tensors.
    return [torch.rand(4, 128, 128) < 0.5, torch.randn(()), torch.randn(())]


def get_init_inputs():
    return []
