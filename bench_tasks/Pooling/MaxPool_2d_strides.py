import torch
import torch.nn as nn
import torch.nn.functional as F

ONNX_OP = "MaxPool"
DOC_NOTE = ("Published shape [1, 3, 32, 32] (MNN ~2 us, call overhead dominates); scaled to "
            "[1, 16, 128, 128].")


class Model(nn.Module):
    """2-D max pooling, 5x5 window, stride 3 (overlapping windows), no padding."""

    def __init__(self, kernel_size, stride, pads):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = 0 if pads is None else pads

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding)


def get_inputs():
    return [torch.randn(1, 16, 128, 128)]


def get_init_inputs():
    return [(5, 5), (3, 3), None]
