import torch
import torch.nn as nn

ONNX_OP = "AveragePool"


class Model(nn.Module):
    """2-D average pooling, 11x11 window, stride 3 (overlapping windows), no padding."""

    def __init__(self, kernel_size: int, stride: int):
        super().__init__()
        self.pool = nn.AvgPool2d(kernel_size=kernel_size, stride=stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(1, 32, 64, 64)]


def get_init_inputs():
    return [11, 3]
