import torch
import torch.nn as nn
import torch.nn.functional as F


class Model(nn.Module):
    """A torch op with arguments."""

    def __init__(self, *args):
        super().__init__()
        self.group, self.pads, self.kernel_shape, self.strides, self.auto_pad, self.dilations = args

    def forward(self, *xs):
        x, w, b = xs
        return F.conv2d(x, w, b, self.strides, self.pads[:2], self.dilations, self.group)


def get_inputs():
    return [torch.randn(1, 3, 32, 32), torch.randn(16, 3, 3, 3), torch.randn(16)]


def get_init_inputs():
    return [1, [1, 1, 1, 1], [], [1, 1], 'NOTSET', [1, 1]]
