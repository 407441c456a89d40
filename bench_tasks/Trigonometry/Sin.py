import math

import torch
import torch.nn as nn

ONNX_OP = "Sin"


class Model(nn.Module):
    """Elementwise sine."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sin(x)


def get_inputs():
    # Several periods, so range reduction matters.
    return [(torch.rand(16, 32, 32) * 2 - 1) * 4 * math.pi]


def get_init_inputs():
    return []
