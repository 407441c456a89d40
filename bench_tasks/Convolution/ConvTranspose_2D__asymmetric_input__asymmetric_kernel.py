import torch
import torch.nn as nn

ONNX_OP = "ConvTranspose"


class Model(nn.Module):
    """Transposed 2-D convolution, 16 -> 32 channels, 3x5 kernel, stride 1, no padding, no bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=(1, 1), padding=(0, 0),
                 output_padding=(0, 0), groups: int = 1, bias: bool = False):
        super().__init__()
        self.conv = nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding, output_padding,
                                       groups, bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 16, 32, 32)]


def get_init_inputs():
    return [16, 32, (3, 5)]
