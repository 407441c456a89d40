import math

import torch
import torch.nn as nn

ONNX_OP = "Cos"
DOC_NOTE = ("Published shape [16, 256, 256] ran in ~32 ms on MNN single-thread; scaled to [16, 64, 64] "
            "to keep the suite fast.")


class Model(nn.Module):
    """Elementwise cosine."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cos(x)


def get_inputs():
    # Several periods, so range reduction matters.
    return [(torch.rand(16, 64, 64) * 2 - 1) * 4 * math.pi]


def get_init_inputs():
    return []
