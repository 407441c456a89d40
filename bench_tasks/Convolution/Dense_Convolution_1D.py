import torch
import torch.nn as nn

ONNX_OP = "Conv"


class Model(nn.Module):
    """1-D convolution, 64 -> 128 channels, kernel 3, stride 1, no padding, with bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0):
        super().__init__()
        self.conv = nn.Conv1d(in_channels, out_channels, kernel_size, stride, padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 64, 256)]


def get_init_inputs():
    return [64, 128, 3]
