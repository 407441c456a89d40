import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """Depthwise-separable convolution: a depthwise k x k conv (groups = channels), then a pointwise 1x1 conv."""

    def __init__(self, *args):
        super().__init__()
        c_in, c_out, k, stride, padding = args
        self.depthwise = nn.Conv2d(c_in, c_in, k, stride, padding, groups=c_in)
        self.pointwise = nn.Conv2d(c_in, c_out, 1)

    def forward(self, *xs):
        x, = xs
        return self.pointwise(self.depthwise(x))


def get_inputs():
    return [torch.randn(1, 16, 64, 64)]


def get_init_inputs():
    return [16, 32, 3, 1, 1]
