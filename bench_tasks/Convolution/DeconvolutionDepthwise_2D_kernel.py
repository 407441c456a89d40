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
    return [torch.randn(1, 32, 48, 48)]


def get_init_inputs():
    return [32, 32, 5, 1, 2, 0, 1]  # 5x5 kernel, stride 1, padding 2: output 48x48
