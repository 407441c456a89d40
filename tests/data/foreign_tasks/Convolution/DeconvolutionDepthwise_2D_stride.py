import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Depthwise transposed convolution."""

    def __init__(self, *args):
        super().__init__()
        c_in, c_out, k, stride, padding, output_padding, *rest = args
        self.op = nn.ConvTranspose2d(c_in, c_out, k, stride, padding, output_padding, groups=c_in, bias=False,
                                     dilation=rest[0] if rest else 1)

    def forward(self, *xs):
        return self.op(*xs)


def get_inputs():
    return [torch.randn(1, 64, 64, 64)]


def get_init_inputs():
    return [64, 64, 3, 2, 1, 1]
