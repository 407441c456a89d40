import torch
import torch.nn as nn

ONNX_OP = "Conv"


class Model(nn.Module):
    """3-D convolution: 32 -> 64 channels, 3x3x3 kernel, stride 1, padding 1, with bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride, padding, dilation, groups: int,
                 bias: bool):
        super().__init__()
        self.conv = nn.Conv3d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 32, 8, 16, 16)]


def get_init_inputs():
    return [32, 64, (3, 3, 3), (1, 1, 1), (1, 1, 1), (1, 1, 1), 1, True]
