import torch
import torch.nn as nn

ONNX_OP = "DepthToSpace"


class Model(nn.Module):
    """Pixel shuffle: moves blocks of channels into space (ONNX DepthToSpace, mode CRD)."""

    def __init__(self, block_size: int):
        super().__init__()
        self.block_size = block_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.pixel_shuffle(x, self.block_size)


def get_inputs():
    return [torch.randn(4, 128, 16, 16)]


def get_init_inputs():
    return [4]
