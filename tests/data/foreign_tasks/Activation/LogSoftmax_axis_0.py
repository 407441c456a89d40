import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A torch op with arguments."""

    def __init__(self, *args):
        super().__init__()
        self.axis, = args = args

    def forward(self, *xs):
        x, = xs
        return torch.log_softmax(x, self.axis)


def get_inputs():
    return [torch.randn(8, 32, 64)]


def get_init_inputs():
    return [0]
