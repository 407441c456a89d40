import torch
import torch.nn as nn

ONNX_OP = "Where"


class Model(nn.Module):
    """Elementwise select with a condition broadcast over the last two dimensions."""

    def __init__(self):
        super().__init__()

    def forward(self, cond: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return torch.where(cond, x, y)


def get_inputs():
    # One condition per batch entry: [8, 1, 1] against [8, 64, 512] values. Alternating so that
    # both branches are always taken, in an order that varies with the seed.
    cond = (torch.randperm(8) % 2 == 0).reshape(8, 1, 1)
    return [cond, torch.randn(8, 64, 512), torch.randn(8, 64, 512)]


def get_init_inputs():
    return []
