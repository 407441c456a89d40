import torch
import torch.nn as nn

ONNX_OP = "Log"


class Model(nn.Module):
    """Elementwise natural logarithm."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log(x)


def get_inputs():
    # Strictly positive, from 0.01 to 10: outputs of both signs.
    return [torch.rand(8, 64, 256) * 10 + 0.01]


def get_init_inputs():
    return []
