import torch
import torch.nn as nn

ONNX_OP = "Slice"
DOC_NOTE = ("published shape [2, 10, 4, 4] ran in 0.2 us on MNN (call overhead); "
            "scaled to [64, 10, 64, 64] (same slice 3:6 of dim 1).")


class Model(nn.Module):
    """Takes elements start..end-1 of one dimension."""

    def __init__(self, dim: int, start: int, end: int):
        super().__init__()
        self.dim = dim
        self.start = start
        self.end = end

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.narrow(x, self.dim, self.start, self.end - self.start)


def get_inputs():
    return [torch.randn(64, 10, 64, 64)]


def get_init_inputs():
    return [1, 3, 6]
