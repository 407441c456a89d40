import torch
import torch.nn as nn

ONNX_OP = "ReduceMean"


class Model(nn.Module):
    """Mean over one dimension, kept with length 1."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.mean(x, dim=self.dim, keepdim=True)


def get_inputs():
    return [torch.randn(8, 64, 256, 256)]


def get_init_inputs():
    return [1]
