import torch
import torch.nn as nn
import torch.nn.functional as F

ONNX_OP = "MaxPool"
DOC_NOTE = "A 3-D max pool whose window is the whole D x H x W volume (exports as MaxPool, as published)."


class Model(nn.Module):
    """Global 3-D max pooling as a max pool over D x H x W: [N, C, D, H, W] -> [N, C, 1, 1, 1]."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.max_pool3d(x, kernel_size=x.shape[2:])


def get_inputs():
    return [torch.randn(1, 256, 16, 8, 8)]


def get_init_inputs():
    return []
