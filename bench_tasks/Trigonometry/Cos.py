import math

import torch
import torch.nn as nn

ONNX_OP = "Cos"


class Model(nn.Module):
    """Elementwise cosine."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cos(x)


def get_inputs():
    # Several periods, so range reduction matters.
    return [(torch.rand(16, 256, 256) * 2 - 1) * 4 * math.pi]


def get_init_inputs():
    return []
