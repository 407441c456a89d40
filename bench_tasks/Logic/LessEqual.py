import torch
import torch.nn as nn

ONNX_OP = "LessOrEqual"


class Model(nn.Module):
    """Elementwise a <= b of two float tensors (bool output)."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.le(a, b)


def get_inputs():
    # Values on a grid of 0.25 in [-2, 2): about 1 pair in 16 is equal, so > and >= (< and <=) differ on
    # thousands of elements; the rest splits evenly between the two orders.
    shape = (8, 256, 256)
    return [torch.randint(-8, 8, shape).float() * 0.25, torch.randint(-8, 8, shape).float() * 0.25]


def get_init_inputs():
    return []
