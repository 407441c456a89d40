import torch
import torch.nn as nn

ONNX_OP = "GlobalAveragePool"


class Model(nn.Module):
    """Global average pooling over D, H and W: [N, C, D, H, W] -> [N, C, 1, 1, 1]."""

    def __init__(self):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool3d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x)


def get_inputs():
    return [torch.randn(1, 3, 16, 64, 64)]


def get_init_inputs():
    return []
