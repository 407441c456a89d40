import torch
import torch.nn as nn

ONNX_OP = "ReduceMin"
DOC_NOTE = (
    "Published shape [8, 64, 64, 64] ran in ~17 ms on MNN single-thread; scaled to [2, 64, 32, 32] to keep "
    "the suite fast (the reduced axes keep their published lengths)."
)


class Model(nn.Module):
    """Minimum over the given dimension(s)."""

    def __init__(self, dim, keepdim: bool):
        super().__init__()
        self.dim = dim
        self.keepdim = keepdim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.amin(x, dim=self.dim, keepdim=self.keepdim)


def get_inputs():
    return [torch.randn(2, 64, 32, 32)]


def get_init_inputs():
    return [1, False]
