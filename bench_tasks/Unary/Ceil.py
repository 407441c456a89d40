import torch
import torch.nn as nn

ONNX_OP = "Ceil"


class Model(nn.Module):
    """Elementwise ceiling (round towards +inf)."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ceil(x)


def get_inputs():
    # Spread over [-10, 10]: outputs take ~20 different integer values, both signs.
    return [torch.rand(8, 128, 256) * 20 - 10]


def get_init_inputs():
    return []
