import torch
import torch.nn as nn

ONNX_OP = "ConvTranspose"


class Model(nn.Module):
    """Transposed 2-D convolution, 16 -> 32 channels, 3x3 kernel, stride 5, padding 1, dilation 2, no
    bias: [1, 16, 32, 64] -> [1, 32, 158, 318]. With stride 5 > dilated kernel footprint only some
    output rows/columns receive taps; the others are zero."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 dilation: int = 1, bias: bool = False):
        super().__init__()
        self.conv = nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding,
                                       dilation=dilation, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 16, 32, 64)]


def get_init_inputs():
    return [16, 32, 3, 5, 1, 2]
