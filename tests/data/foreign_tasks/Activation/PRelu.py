import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A torch.nn layer."""

    def __init__(self, *args):
        super().__init__()
        self.op = nn.PReLU(num_parameters=args[0])

    def forward(self, *xs):
        return self.op(*xs)


def get_inputs():
    return [torch.randn(64, 1024)]


def get_init_inputs():
    return [1024]
