import math

import torch
import torch.nn as nn

ONNX_OP = "Det"
ATOL = 1e-3
RTOL = 2e-3
TOLERANCE_REASON = (
    "LU of a 512x512 float32 matrix (condition number ~1e3-1e4): rounding accumulates over 512 "
    "elimination steps; float32 torch.det and an LU with partial pivoting are each off float64 by up to "
    "~5e-4 relative (seen over 40 seeds), so two correct float32 results differ by up to ~1e-3 of |det|"
)
DOC_NOTE = (
    "Input is a standard normal matrix scaled by exp(E[log|det G|]/n) so that |det| ~ e^(+-2): the "
    "published task used plain randn(512, 512), whose |determinant| (~1e580) overflows float32 (NaN/inf in "
    "the paper's probe). Signs are random and partial pivoting is needed."
)


def det_scale(n: int) -> float:
    """exp(E[log|det G|] / n) for an n x n standard normal G: dividing G by it centres log|det| at 0."""
    # |det G|^2 is a product of independent chi-square(k) variables, k = 1..n.
    k = torch.arange(1, n + 1, dtype=torch.float64)
    mean_log_det = 0.5 * float((torch.special.digamma(k / 2) + math.log(2.0)).sum())
    return math.exp(mean_log_det / n)


class Model(nn.Module):
    """Determinant of a square matrix."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.det(x)


def get_inputs():
    n = 512
    return [torch.randn(n, n) / det_scale(n)]


def get_init_inputs():
    return []
