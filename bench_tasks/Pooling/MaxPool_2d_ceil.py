import torch
import torch.nn as nn
import torch.nn.functional as F

ONNX_OP = "MaxPool"
DOC_NOTE = ("Published shape [1, 3, 32, 32] (MNN ~2 us, call overhead dominates); scaled to "
            "[1, 16, 128, 128]. ceil_mode makes the output 64x64 instead of 63x63: the last window "
            "in each dimension hangs one row/column over the edge.")


class Model(nn.Module):
    """2-D max pooling, 3x3 window, stride 2, no padding, ceil_mode=1."""

    def __init__(self, kernel_size, stride, pads, ceil_mode: int):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = 0 if pads is None else pads
        self.ceil_mode = bool(ceil_mode)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding, ceil_mode=self.ceil_mode)


def get_inputs():
    return [torch.randn(1, 16, 128, 128)]


def get_init_inputs():
    return [(3, 3), (2, 2), None, 1]
