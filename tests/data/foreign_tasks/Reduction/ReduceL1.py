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
        y = torch.norm(x.reshape(x.shape[0], -1), p=1, dim=self.dim, keepdim=bool(self.keepdim))
        return y.reshape(1, *x.shape[1:])


def get_inputs():
    return [torch.randn(2, 3, 4)]


def get_init_inputs():
    return [0, 1]
