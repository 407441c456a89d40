import torch
import torch.nn as nn

ONNX_OP = "Acos"


class Model(nn.Module):
    """Elementwise arccosine."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.acos(x)


def get_inputs():
    # The domain of acos: [-1, 1).
    return [torch.rand(16, 128, 128) * 2 - 1]


def get_init_inputs():
    return []
