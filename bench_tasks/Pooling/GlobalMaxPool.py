import torch
import torch.nn as nn
import torch.nn.functional as F

ONNX_OP = "MaxPool"
DOC_NOTE = ("A max pool whose window is the whole plane (exports as MaxPool with kernel_shape = H, W, "
            "as in the published file, not as GlobalMaxPool). Published shape [1, 3, 128, 128] "
            "(MNN ~18 us); scaled to [1, 3, 256, 256].")


class Model(nn.Module):
    """Global max pooling as a max pool with a window covering H x W: [N, C, H, W] -> [N, C, 1, 1]."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.max_pool2d(x, kernel_size=x.shape[2:])


def get_inputs():
    return [torch.randn(1, 3, 256, 256)]


def get_init_inputs():
    return []
