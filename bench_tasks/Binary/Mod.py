import torch
import torch.nn as nn

ONNX_OP = "Mod"
DOC_NOTE = (
    "The published file computes a floor-style remainder (result takes the divisor's sign), which the "
    "TorchScript export spreads over Div/Floor/Mul/Sub; ONNX Mod on float inputs requires fmod=1. This task "
    "computes torch.fmod (C fmod: truncated quotient, the result takes the dividend's sign), which exports to "
    "one Mod node with fmod=1; the constructor flag is that attribute (published init args: 0, here 1). "
    "Divisors have |b| in [0.5, 2] and a random sign; dividends span several multiples of them. "
    "MNN 3.6.1 ignores fmod=1 and computes the floor-style remainder (errors up to |b|)."
)


class Model(nn.Module):
    """Elementwise remainder, ONNX Mod: fmod=1 is C fmod (sign of the dividend)."""

    def __init__(self, fmod: int):
        super().__init__()
        if fmod != 1:
            raise ValueError("ONNX Mod on float tensors requires fmod=1")
        self.fmod = fmod

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.fmod(a, b)


def get_inputs():
    a = torch.randn(8, 256, 128) * 4.0
    # Divisor away from zero: magnitude in [0.5, 2], either sign (exercises both sign rules).
    magnitude = torch.rand(8, 256, 128) * 1.5 + 0.5
    sign = torch.where(torch.rand(8, 256, 128) < 0.5, -1.0, 1.0)
    return [a, magnitude * sign]


def get_init_inputs():
    return [1]
