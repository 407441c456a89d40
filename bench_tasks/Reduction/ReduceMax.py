import torch
import torch.nn as nn

ONNX_OP = "ReduceMax"


class Model(nn.Module):
    """Maximum over the given dimension(s)."""

    def __init__(self, dim, keepdim: bool):
        super().__init__()
        self.dim = dim
        self.keepdim = keepdim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.amax(x, dim=self.dim, keepdim=self.keepdim)


def get_inputs():
    return [torch.randn(16, 128, 128, 64)]


def get_init_inputs():
    return [1, False]
