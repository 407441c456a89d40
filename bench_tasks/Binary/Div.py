import torch
import torch.nn as nn

ONNX_OP = "Div"
DOC_NOTE = (
    "Published shapes [4, 3, 64, 64] / [1, 3, 1, 1] ran in 10 us on MNN (call overhead); scaled to "
    "[4, 32, 64, 64] / [1, 32, 1, 1]. Divisors are drawn with |b| in [0.5, 2] and a random sign, away from zero."
)


class Model(nn.Module):
    """Elementwise division by a per-channel broadcast divisor."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return a / b


def get_inputs():
    a = torch.randn(4, 32, 64, 64)
    # Divisor away from zero: magnitude in [0.5, 2], either sign.
    magnitude = torch.rand(1, 32, 1, 1) * 1.5 + 0.5
    sign = torch.where(torch.rand(1, 32, 1, 1) < 0.5, -1.0, 1.0)
    return [a, magnitude * sign]


def get_init_inputs():
    return []
