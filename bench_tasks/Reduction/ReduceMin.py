import torch
import torch.nn as nn

ONNX_OP = "ReduceMin"


class Model(nn.Module):
    """Minimum over the given dimension(s)."""

    def __init__(self, dim, keepdim: bool):
        super().__init__()
        self.dim = dim
        self.keepdim = keepdim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.amin(x, dim=self.dim, keepdim=self.keepdim)


def get_inputs():
    return [torch.randn(8, 64, 64, 64)]


def get_init_inputs():
    return [1, False]
