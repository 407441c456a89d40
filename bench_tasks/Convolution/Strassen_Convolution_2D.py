import torch
import torch.nn as nn

ONNX_OP = "Conv"
DOC_NOTE = ("The name comes from the source benchmark (MNN computes 1x1 convolutions as a GEMM with "
            "Strassen's scheme); the node is an ordinary Conv. The published init args (64; 128) leave "
            "kernel size and stride at the Model's defaults; reconstructed as a ResNet-style 1x1 stride-2 "
            "projection without bias (a stride-1 version could not run in the published 165 us on one "
            "thread).")


class Model(nn.Module):
    """1x1 convolution with stride 2, 64 -> 128 channels, no bias (ResNet downsampling shortcut)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 1, stride: int = 2):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


def get_inputs():
    return [torch.randn(1, 64, 56, 56)]


def get_init_inputs():
    return [64, 128]
