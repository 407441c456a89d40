import torch
import torch.nn as nn

ONNX_OP = "Conv"
DOC_NOTE = ("The published file is a depthwise-separable block (init args 16; 32; 3; 1; 1: a depthwise "
            "3x3 Conv followed by a pointwise 16 -> 32 Conv, two Conv nodes). This task is its depthwise "
            "half as one node: group = channels = 16, 3x3, stride 1, padding 1, no bias.")


class Model(nn.Module):
    """Depthwise 2-D convolution: every channel convolved with its own 3x3 filter (group = channels)."""

    def __init__(self, channels: int, kernel_size: int, stride: int, padding: int):
        super().__init__()
        self.depthwise = nn.Conv2d(channels, channels, kernel_size, stride, padding, groups=channels, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.depthwise(x)


def get_inputs():
    return [torch.randn(1, 16, 64, 64)]


def get_init_inputs():
    return [16, 3, 1, 1]
