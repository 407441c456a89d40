import torch
import torch.nn as nn

ONNX_OP = "Sign"


class Model(nn.Module):
    """Elementwise sign: -1, 0 or 1."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sign(x)


def get_inputs():
    # Centred at 0 with about 10% exact zeros: all three outputs occur.
    x = torch.randn(8, 128, 256)
    x[torch.rand(8, 128, 256) < 0.1] = 0.0
    return [x]


def get_init_inputs():
    return []
