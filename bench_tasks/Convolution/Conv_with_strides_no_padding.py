import torch
import torch.nn as nn
import torch.nn.functional as F

ONNX_OP = "Conv"
DOC_NOTE = ("As published, W is [4, 8, 64, 64] although the init args say kernel_shape (3, 3): the "
            "kernel spans the whole 64x64 input, Y is [1, 4, 1, 1] and each output is a dot product of "
            "8*64*64 = 32768 products (the stride has no effect). Kept as published.")
ATOL = 5e-3
RTOL = 1e-4
TOLERANCE_REASON = ("each output is one dot product of 8 x 64 x 64 = 32768 products of two N(0, 1) values "
                    "(|y| ~ 180); float32 summation in plain order is up to ~2e-3 off the float64 result and "
                    "PyTorch's own result up to ~1.3e-3")


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


# As published: W is [4, 8, 64, 64], so the kernel covers the whole 64x64 input and the output is
# [1, 4, 1, 1] (the stride never comes into play); kernel_shape (3, 3) is not what W says and, as in
# the published file, W's shape is what counts.
def get_inputs():
    return [torch.randn(1, 8, 64, 64), torch.randn(4, 8, 64, 64)]


def get_init_inputs():
    return [(2, 2), (0, 0, 0, 0), (1, 1), 1, (3, 3)]
