import torch
import torch.nn as nn

ONNX_OP = "ReduceMean"


class Model(nn.Module):
    """Mean over the given dimension(s)."""

    def __init__(self, dim, keepdim: bool):
        super().__init__()
        self.dim = dim
        self.keepdim = keepdim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.mean(x, dim=self.dim, keepdim=self.keepdim)


def get_inputs():
    return [torch.randn(8, 128, 64, 64)]


def get_init_inputs():
    return [(2, 3), False]
