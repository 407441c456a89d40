import torch
import torch.nn as nn

ONNX_OP = "Reshape"


class Model(nn.Module):
    """Reshapes to a target shape with one inferred (-1) dimension."""

    def __init__(self, shape: tuple):
        super().__init__()
        self.shape = shape

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(self.shape)


def get_inputs():
    return [torch.randn(16, 8, 64, 64)]


def get_init_inputs():
    return [(16, -1)]
