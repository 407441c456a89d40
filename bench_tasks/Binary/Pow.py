import torch
import torch.nn as nn

ONNX_OP = "Pow"
DOC_NOTE = "Bases are positive, in [0.5, 2]; exponents are standard normal, so results stay within ~[0.04, 25]."


class Model(nn.Module):
    """Elementwise power a ** b of two same-shape tensors."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.pow(a, b)


def get_inputs():
    # Positive base: a real-valued power is defined for every exponent.
    base = torch.rand(8, 256, 256) * 1.5 + 0.5
    exponent = torch.randn(8, 256, 256)
    return [base, exponent]


def get_init_inputs():
    return []
