import torch
import torch.nn as nn

ONNX_OP = "Sub"


class Model(nn.Module):
    """Elementwise difference of two same-shape tensors."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return a - b


def get_inputs():
    return [torch.randn(8, 128, 256), torch.randn(8, 128, 256)]


def get_init_inputs():
    return []
