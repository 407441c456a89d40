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
    # Every value negative, in [-10.1, -0.1], as the name says; the minima lie near -10.
    return [-(torch.rand(16, 128, 128, 64) * 10.0 + 0.1)]


def get_init_inputs():
    return [1, False]
