import torch
import torch.nn as nn

ONNX_OP = "Conv"
DOC_NOTE = ("The name comes from the source benchmark (MNN runs 3x3 convolutions with Winograd); the "
            "node is an ordinary Conv: 16 -> 32 channels, 3x3, no padding, with bias.")


class Model(nn.Module):
    """3x3 convolution, 16 -> 32 channels, stride 1, no padding."""

    def __init__(self, in_channels: int, out_channels: int, bias: bool = True):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 16, 224, 224)]


def get_init_inputs():
    return [16, 32, True]
