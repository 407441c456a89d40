import torch
import torch.nn as nn

ONNX_OP = "Unique"
DOC_NOTE = ("the 64 slices along dim 1 are drawn from 16 distinct slices of small integers (float32), so "
            "duplicates exist and the output shape [16, 16, 128] is the same for every seed.")


class Model(nn.Module):
    """The distinct slices along one dimension, sorted lexicographically (ONNX Unique with axis, sorted=1)."""

    def __init__(self, dim: int, sorted: bool):
        super().__init__()
        self.dim = dim
        self.sorted = sorted

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.unique(x, sorted=self.sorted, dim=self.dim)


def get_inputs():
    # The 64 slices x[:, j, :] are drawn from 16 distinct [16, 128] slices of small integers (each used
    # at least once): the output shape [16, 16, 128] is the same for every seed.
    base = torch.randint(0, 4, (16, 16, 128)).float()
    pick = torch.cat([torch.arange(16), torch.randint(0, 16, (48,))])[torch.randperm(64)]
    return [base[:, pick, :]]


def get_init_inputs():
    return [1, True]
