import torch
import torch.nn as nn

ONNX_OP = "Atan"


class Model(nn.Module):
    """Elementwise arctangent."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.atan(x)


def get_inputs():
    # Spans both the near-linear part and the saturation towards +-pi/2.
    return [torch.randn(16, 128, 512) * 5]


def get_init_inputs():
    return []
