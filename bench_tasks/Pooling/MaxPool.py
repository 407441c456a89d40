import torch
import torch.nn as nn

ONNX_OP = "MaxPool"


class Model(nn.Module):
    """2-D max pooling, 3x3 window, stride 2, padding 1."""

    def __init__(self, kernel_size: int, stride: int, padding: int):
        super().__init__()
        self.pool = nn.MaxPool2d(kernel_size=kernel_size, stride=stride, padding=padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


# Published: [1, 16, 64, 64] with an 11x11 window (8 us on MNN); here a ResNet-style 3x3/2 pool
# over 64 channels of 112x112, which MNN takes well over 20 us for.
def get_inputs():
    return [torch.randn(1, 64, 112, 112)]


def get_init_inputs():
    return [3, 2, 1]
