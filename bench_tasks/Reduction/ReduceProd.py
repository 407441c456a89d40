import torch
import torch.nn as nn

ONNX_OP = "ReduceProd"


class Model(nn.Module):
    """Product over the given dimension(s)."""

    def __init__(self, dim, keepdim: bool):
        super().__init__()
        self.dim = dim
        self.keepdim = keepdim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.prod(x, dim=self.dim, keepdim=self.keepdim)


def get_inputs():
    # Values near 1 so that the products of 64 elements neither overflow nor underflow.
    return [torch.empty(8, 64, 32, 32).uniform_(0.9, 1.1)]


def get_init_inputs():
    return [1, False]
