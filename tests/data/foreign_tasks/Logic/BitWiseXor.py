import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Elementwise binary op."""

    def __init__(self, *args):
        super().__init__()

    def forward(self, *xs):
        a, b = xs
        return torch.bitwise_xor(a, b)


def get_inputs():
    return [torch.randint(0, 1 << 20, (8, 128, 512), dtype=torch.int32), torch.randint(0, 1 << 20, (8, 128, 512), dtype=torch.int32)]


def get_init_inputs():
    return []
