import torch
import torch.nn as nn
import torch.nn.functional as F

ONNX_OP = "MaxPool"
DOC_NOTE = ("Published shape [1, 3, 32, 32] (MNN ~3 us, call overhead dominates); scaled to "
            "[1, 16, 128, 128]. A 2x2 window with dilation 2 reads taps 2 apart (a 3x3 footprint).")


class Model(nn.Module):
    """2-D max pooling, 2x2 window, stride 1, no padding, dilations 2."""

    def __init__(self, kernel_size, stride, pads, dilation):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = 0 if pads is None else pads
        self.dilation = dilation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding, dilation=self.dilation)


def get_inputs():
    return [torch.randn(1, 16, 128, 128)]


def get_init_inputs():
    return [(2, 2), (1, 1), None, (2, 2)]
