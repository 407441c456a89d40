import torch
import torch.nn as nn

ONNX_OP = "ReduceProd"


class Model(nn.Module):
    """Product over one dimension, kept with length 1."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.prod(x, dim=self.dim, keepdim=True)


def get_inputs():
    # Values near 1 so that the products of 64 elements neither overflow nor underflow.
    return [torch.empty(16, 64, 64, 32).uniform_(0.9, 1.1)]


def get_init_inputs():
    return [1]
