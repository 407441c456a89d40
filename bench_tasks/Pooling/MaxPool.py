import torch
import torch.nn as nn

ONNX_OP = "MaxPool"
DOC_NOTE = ("Published shape [1, 16, 64, 64] (MNN ~8 us, call overhead dominates); scaled to "
            "[1, 32, 128, 128]. 11x11 window, stride = window (PyTorch's default), no padding.")


class Model(nn.Module):
    """2-D max pooling with an 11x11 window; the stride defaults to the window size."""

    def __init__(self, kernel_size: int):
        super().__init__()
        self.pool = nn.MaxPool2d(kernel_size=kernel_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(1, 32, 128, 128)]


def get_init_inputs():
    return [11]
