import math

import torch
import torch.nn as nn

ONNX_OP = "Det"
ATOL = 1e-3
RTOL = 2e-3
TOLERANCE_REASON = (
    "LU of 64x64 float32 matrices (condition numbers up to ~1e3 in a batch): rounding accumulates over "
    "64 elimination steps; two correct float32 results differ by up to ~4e-4 absolute (seen over 40 "
    "seeds); the atol covers members whose |det| is far below the ~1 of a typical one, whose relative "
    "error is large"
)
DOC_NOTE = (
    "Shape reduced from [4, 128, 64, 64] (MNN took 17 ms) to [4, 16, 64, 64]. Inputs are standard normal "
    "matrices scaled by exp(E[log|det G|]/n) so that |det| ~ e^(+-2): plain randn gives determinants that "
    "overflow float32 (NaN/inf in the paper's probe). Signs are random and partial pivoting is needed."
)


def det_scale(n: int) -> float:
    """exp(E[log|det G|] / n) for an n x n standard normal G: dividing G by it centres log|det| at 0."""
    # |det G|^2 is a product of independent chi-square(k) variables, k = 1..n.
    k = torch.arange(1, n + 1, dtype=torch.float64)
    mean_log_det = 0.5 * float((torch.special.digamma(k / 2) + math.log(2.0)).sum())
    return math.exp(mean_log_det / n)


class Model(nn.Module):
    """Determinants of a two-dimensional batch of square matrices."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.det(x)


def get_inputs():
    n = 64
    return [torch.randn(4, 16, n, n) / det_scale(n)]


def get_init_inputs():
    return []
