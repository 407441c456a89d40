import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A torch.nn layer."""

    def __init__(self, *args):
        super().__init__()
        self.op = nn.AdaptiveMaxPool3d(1)

    def forward(self, *xs):
        return self.op(*xs)


def get_inputs():
    return [torch.randn(1, 256, 16, 8, 8)]


def get_init_inputs():
    return []
