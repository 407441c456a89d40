import torch
import torch.nn as nn

ONNX_OP = "ReduceMean"
DOC_NOTE = (
    "Published shape [8, 128, 64, 64] ran in ~14 ms on MNN single-thread; scaled to [2, 32, 64, 64] to keep "
    "the suite fast (the reduced axes keep their published lengths)."
)


class Model(nn.Module):
    """Mean over the given dimension(s)."""

    def __init__(self, dim, keepdim: bool):
        super().__init__()
        self.dim = dim
        self.keepdim = keepdim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.mean(x, dim=self.dim, keepdim=self.keepdim)


def get_inputs():
    return [torch.randn(2, 32, 64, 64)]


def get_init_inputs():
    return [(2, 3), False]
