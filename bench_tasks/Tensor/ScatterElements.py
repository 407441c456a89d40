import torch
import torch.nn as nn

ONNX_OP = "ScatterElements"


class Model(nn.Module):
    """out = x; out[i][index[i][j][k]][k] = src[i][j][k] for dim = 1 (torch.scatter / ONNX ScatterElements)."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor, index: torch.Tensor, src: torch.Tensor) -> torch.Tensor:
        return torch.scatter(x, self.dim, index, src)


def get_inputs():
    # Each line along dim 1 gets a random permutation of 0..63: no two updates hit the same element
    # (ONNX leaves the result of duplicate indices undefined without a reduction).
    index = torch.argsort(torch.rand(8, 64, 64), dim=1)
    return [torch.randn(8, 64, 64), index, torch.randn(8, 64, 64)]


def get_init_inputs():
    return [1]
