import torch
import torch.nn as nn

ONNX_OP = "GlobalAveragePool"


class Model(nn.Module):
    """Global average pooling over H and W: [N, C, H, W] -> [N, C, 1, 1]."""

    def __init__(self):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(1, 3, 128, 128)]


def get_init_inputs():
    return []
