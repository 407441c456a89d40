import torch
import torch.nn as nn

ONNX_OP = "Sqrt"


class Model(nn.Module):
    """Elementwise square root."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sqrt(x)


def get_inputs():
    # Non-negative, in [0, 10).
    return [torch.rand(8, 64, 64) * 10]


def get_init_inputs():
    return []
