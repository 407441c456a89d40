import torch
import torch.nn as nn

ONNX_OP = "Conv"
DOC_NOTE = ("The name comes from the source benchmark (MNN runs 3x3 convolutions with Winograd); the "
            "node is an ordinary Conv: 16 -> 16 channels, 3x3, padding 1, with bias.")


class Model(nn.Module):
    """3x3 convolution with padding 1 ('same' size), 16 -> 16 channels, stride 1."""

    def __init__(self, in_channels: int, out_channels: int, padding: int = 1):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, padding=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 16, 64, 64)]


def get_init_inputs():
    return [16, 16]
