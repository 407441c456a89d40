import torch
import torch.nn as nn

ONNX_OP = "GatherElements"


class Model(nn.Module):
    """out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1 (torch.gather / ONNX GatherElements)."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
        return torch.gather(x, self.dim, index)


def get_inputs():
    # int64 indices in range along dim 1.
    return [torch.randn(16, 64, 64), torch.randint(0, 64, (16, 64, 64))]


def get_init_inputs():
    return [1]
