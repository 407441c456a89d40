import torch
import torch.nn as nn

ONNX_OP = "Conv"
# Accumulation over 16*3*3 = 144 products in a different order than PyTorch's.
ATOL = 2e-4
RTOL = 2e-4
TOLERANCE_REASON = "sums of 144 float32 products; summation order differs from PyTorch's GEMM"


class Model(nn.Module):
    """3x3 convolution, stride 1, padding 1, with bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, padding=kernel_size // 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 16, 64, 64)]


def get_init_inputs():
    return [16, 32, 3]
