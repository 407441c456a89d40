import torch
import torch.nn as nn

ONNX_OP = "ConvTranspose"


class Model(nn.Module):
    """Transposed 1-D convolution, 64 -> 64 channels, kernel 3, stride 1, no padding, no bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 output_padding: int = 0, groups: int = 1, bias: bool = False):
        super().__init__()
        self.conv = nn.ConvTranspose1d(in_channels, out_channels, kernel_size, stride, padding, output_padding,
                                       groups, bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 64, 1024)]


def get_init_inputs():
    return [64, 64, 3]
