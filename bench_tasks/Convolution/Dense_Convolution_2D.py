import torch
import torch.nn as nn

ONNX_OP = "Conv"


class Model(nn.Module):
    """2-D convolution, 16 -> 64 channels, 3x3 kernel, stride 1, padding 1, with bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 16, 64, 64)]


def get_init_inputs():
    return [16, 64, 3, 1, 1]
