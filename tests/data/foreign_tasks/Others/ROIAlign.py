import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.ops import RoIAlign


class Model(nn.Module):
    """RoI Align (torchvision.ops.RoIAlign, aligned=True)."""

    def __init__(self, *args):
        super().__init__()
        self.op = RoIAlign(output_size=(7, 7), spatial_scale=0.25, sampling_ratio=2, aligned=True)

    def forward(self, *xs):
        x, boxes = xs
        return self.op(x, boxes)


def get_inputs():
    return [torch.randn(2, 32, 56, 56), torch.cat([torch.randint(0, 2, (8, 1)).float(), torch.rand(8, 2) * 100,
                                          torch.rand(8, 2) * 100 + 100], dim=1)]


def get_init_inputs():
    return []
