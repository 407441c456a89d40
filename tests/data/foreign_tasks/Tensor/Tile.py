import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A torch op with arguments."""

    def __init__(self, *args):
        super().__init__()
        self.reps, = args = args

    def forward(self, *xs):
        x, = xs
        return x.repeat(*self.reps)


def get_inputs():
    return [torch.randn(16, 64, 64)]


def get_init_inputs():
    return [(1, 2, 3)]
