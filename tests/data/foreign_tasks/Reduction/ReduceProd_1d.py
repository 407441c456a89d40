import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A torch op with arguments."""

    def __init__(self, *args):
        super().__init__()
        self.dim, self.keepdim = args = args

    def forward(self, *xs):
        x, = xs
        return torch.prod(x, self.dim, self.keepdim).unsqueeze(0)


def get_inputs():
    return [torch.randn(4096)]


def get_init_inputs():
    return [0, False]
