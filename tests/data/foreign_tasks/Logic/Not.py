import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Elementwise op."""

    def __init__(self, *args):
        super().__init__()

    def forward(self, *xs):
        x, = xs
        return torch.logical_not(x)


def get_inputs():
    return [torch.randint(0, 2, (8, 64, 64)).float()]


def get_init_inputs():
    return []
