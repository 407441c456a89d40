import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Y = alpha * A @ B"""

    def __init__(self, *args):
        super().__init__()
        self.alpha, self.trans_a, self.trans_b = args

    def forward(self, *xs):
        a, b = xs
        a = a.t() if self.trans_a else a
        b = b.t() if self.trans_b else b
        return self.alpha * (a @ b)


def get_inputs():
    return [torch.randn(16, 128), torch.randn(128, 32)]


def get_init_inputs():
    return [1.0, 0, 0]
