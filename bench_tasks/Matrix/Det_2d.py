import math

import torch
import torch.nn as nn

ONNX_OP = "Det"
ATOL = 1e-3
RTOL = 2e-3
TOLERANCE_REASON = (
    "LU of 128x128 float32 matrices (condition numbers up to ~1e3-1e4 in a batch): rounding accumulates "
    "over 128 elimination steps; float32 torch.det and an LU with partial pivoting are each off float64 by "
    "up to ~6e-4 relative (seen over 40 seeds); the atol covers members whose |det| is far below the ~1 "
    "of a typical one"
)
DOC_NOTE = (
    "Shape reduced from [64, 512, 512] (MNN took 609 ms) to [16, 128, 128]. Inputs are standard normal "
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
    """Determinants of a batch of square matrices."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.det(x)


def get_inputs():
    n = 128
    return [torch.randn(16, n, n) / det_scale(n)]


def get_init_inputs():
    return []
