import torch
import torch.nn as nn

ONNX_OP = "Min"


class Model(nn.Module):
    """Elementwise minimum of two same-shape tensors (ONNX Min is variadic; here with two inputs)."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.min(a, b)


def get_inputs():
    return [torch.randn(16, 64, 512), torch.randn(16, 64, 512)]


def get_init_inputs():
    return []
