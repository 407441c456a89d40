import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """torch.arange(start, limit, delta)."""

    def __init__(self, *args):
        super().__init__()

    def forward(self, *xs):
        start, limit, delta = xs
        return torch.arange(start, limit, delta)


def get_inputs():
    return [torch.tensor(1.0), torch.tensor(129.0), torch.tensor(0.25)]


def get_init_inputs():
    return []
