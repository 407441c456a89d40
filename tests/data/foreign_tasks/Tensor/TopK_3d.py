import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """torch.topk"""

    def __init__(self, *args):
        super().__init__()
        self.k, self.dim = args
        self.sorted = True

    def forward(self, *xs):
        x, = xs
        return torch.topk(x, self.k, dim=self.dim, sorted=self.sorted)


def get_inputs():
    return [torch.randn(16, 64, 128)]


def get_init_inputs():
    return [10, -1]
