import torch
import torch.nn as nn

ONNX_OP = "Conv"
DOC_NOTE = ("Published: [1, 3, 224, 224] with init args 3; 32 (kernel size left at the Model's default; "
            "reconstructed as 5x5 - the other '_kernel' variants use 5x5, and MNN's published time and "
            "Winograd-sized error fit it). MNN took ~9 ms there, so the input is halved to "
            "[1, 3, 112, 112] to keep the suite fast.")


class Model(nn.Module):
    """2-D convolution with a large kernel: 3 -> 32 channels, 5x5, stride 1, no padding, with bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 5, stride: int = 1,
                 padding: int = 0):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 3, 112, 112)]


def get_init_inputs():
    return [3, 32]
