import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A torch op with arguments."""

    def __init__(self, *args):
        super().__init__()
        self.fmod, = args = args

    def forward(self, *xs):
        a, b = xs
        return torch.fmod(a, b) if self.fmod else torch.remainder(a, b)


def get_inputs():
    return [torch.randn(8, 256, 128), torch.randn(8, 256, 128)]


def get_init_inputs():
    return [0]
