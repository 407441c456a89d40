import torch
import torch.nn as nn

ONNX_OP = "Tanh"


class Model(nn.Module):
    """Elementwise hyperbolic tangent."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x)


def get_inputs():
    # Spans the linear part and the saturation at +-1.
    return [torch.randn(8, 128, 256) * 3]


def get_init_inputs():
    return []
