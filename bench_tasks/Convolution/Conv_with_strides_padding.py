import torch
import torch.nn as nn
import torch.nn.functional as F

ONNX_OP = "Conv"


class Model(nn.Module):
    """ONNX-style Conv with X and W as inputs (no bias): strides, pads [top, left, bottom, right],
    dilations, group and kernel_shape as constructor arguments."""

    def __init__(self, strides, pads, dilations, group: int, kernel_shape):
        super().__init__()
        self.strides = tuple(strides)
        self.pads = list(pads)
        self.dilations = tuple(dilations)
        self.group = group
        self.kernel_shape = tuple(kernel_shape)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        top, left, bottom, right = self.pads
        x = F.pad(x, [left, right, top, bottom]) if (top, left) != (bottom, right) else x
        padding = (top, left) if (top, left) == (bottom, right) else 0
        return F.conv2d(x, w, None, self.strides, padding, self.dilations, self.group)


def get_inputs():
    return [torch.randn(1, 16, 64, 64), torch.randn(4, 16, 3, 3)]


def get_init_inputs():
    return [(2, 2), (1, 1, 1, 1), (1, 1), 1, (3, 3)]
