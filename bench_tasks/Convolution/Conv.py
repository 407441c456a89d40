import torch
import torch.nn as nn
import torch.nn.functional as F

ONNX_OP = "Conv"


class Model(nn.Module):
    """ONNX-style Conv with X, W and B as inputs and the node's attributes as constructor arguments
    (group, pads [top, left, bottom, right], kernel_shape ([] = from W), strides, auto_pad, dilations)."""

    def __init__(self, group: int, pads, kernel_shape, strides, auto_pad: str, dilations):
        super().__init__()
        assert auto_pad == "NOTSET"
        self.group = group
        self.pads = list(pads)
        self.kernel_shape = list(kernel_shape)
        self.strides = tuple(strides)
        self.dilations = tuple(dilations)

    def forward(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        if self.kernel_shape:
            assert list(w.shape[2:]) == self.kernel_shape
        top, left, bottom, right = self.pads
        if (top, left) == (bottom, right):
            return F.conv2d(x, w, b, self.strides, (top, left), self.dilations, self.group)
        x = F.pad(x, [left, right, top, bottom])
        return F.conv2d(x, w, b, self.strides, 0, self.dilations, self.group)


def get_inputs():
    return [torch.randn(1, 3, 32, 32), torch.randn(16, 3, 3, 3), torch.randn(16)]


def get_init_inputs():
    return [1, [1, 1, 1, 1], [], [1, 1], "NOTSET", [1, 1]]
