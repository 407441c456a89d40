import torch
import torch.nn as nn

ONNX_OP = "Slice"
DOC_NOTE = ("published with Slice's arguments (dim 1, 3:6); a step of 2 (3:6:2) was added so the task "
            "exercises Slice's steps input.")


class Model(nn.Module):
    """Takes every step-th element of start..end-1 along one dimension."""

    def __init__(self, dim: int, start: int, end: int, step: int = 2):
        super().__init__()
        self.dim = dim
        self.start = start
        self.end = end
        self.step = step

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        index = [slice(None)] * x.dim()
        index[self.dim] = slice(self.start, self.end, self.step)
        return x[tuple(index)]


def get_inputs():
    return [torch.randn(32, 8, 64, 64)]


def get_init_inputs():
    return [1, 3, 6]
