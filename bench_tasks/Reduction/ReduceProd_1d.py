import torch
import torch.nn as nn

ONNX_OP = "ReduceProd"
DOC_NOTE = (
    "Published shape [4096] takes MNN under 20 us (call overhead dominates); scaled to [65536] so MNN "
    "takes roughly 20-300 us. Values in [0.99, 1.01] (the other ReduceProd tasks use [0.9, 1.1] over 64 "
    "values) so that the product of 65536 of them stays well inside float range. The published file "
    "exported as ReduceProd + Unsqueeze; this Model exports as one ReduceProd (keepdims 0, 0-d output)."
)


class Model(nn.Module):
    """Product over the given dimension(s)."""

    def __init__(self, dim, keepdim: bool):
        super().__init__()
        self.dim = dim
        self.keepdim = keepdim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.prod(x, dim=self.dim, keepdim=self.keepdim)


def get_inputs():
    # Values in [0.99, 1.01]: the log of the product is a sum of 65536 terms with mean -1.7e-5 and
    # standard deviation 5.8e-3, so the product stays within about e^-7..e^5.
    return [torch.empty(65536).uniform_(0.99, 1.01)]


def get_init_inputs():
    return [0, False]
