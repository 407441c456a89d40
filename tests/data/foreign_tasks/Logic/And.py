import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Elementwise binary op."""

    def __init__(self, *args):
        super().__init__()

    def forward(self, *xs):
        a, b = xs
        return torch.logical_and(a, b)


def get_inputs():
    return [torch.randint(0, 2, (4, 32, 32)).bool(), torch.randint(0, 2, (4, 32, 32)).bool()]


def get_init_inputs():
    return []
