import torch
import torch.nn as nn

ONNX_OP = "ConvTranspose"


class Model(nn.Module):
    """Depthwise transposed 2-D convolution (group = in_channels), no bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 output_padding: int = 0, dilation: int = 1):
        super().__init__()
        self.conv = nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding, output_padding,
                                       groups=in_channels, bias=False, dilation=dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 64, 64, 64)]


def get_init_inputs():
    return [64, 64, 3, 2, 1, 1]  # 3x3 kernel, stride 2, padding 1, output_padding 1: output 128x128
