import torch
import torch.nn as nn

ONNX_OP = "Conv"


class Model(nn.Module):
    """Grouped 2-D convolution, with bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, groups: int, stride: int = 1,
                 padding: int = 0):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, groups=groups)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 24, 64, 64)]


def get_init_inputs():
    return [24, 24, 5, 12, 1, 2]  # 12 groups of 2 -> 2 channels, 5x5, stride 1, padding 2
