import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A torch op with arguments."""

    def __init__(self, *args):
        super().__init__()
        self.dim, self.sorted = args = args

    def forward(self, *xs):
        x, = xs
        return torch.unique(x, sorted=bool(self.sorted), dim=self.dim)


def get_inputs():
    return [torch.randint(0, 2, (64, 512)).float()]


def get_init_inputs():
    return [0, True]
