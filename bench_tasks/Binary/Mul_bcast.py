import torch
import torch.nn as nn

ONNX_OP = "Mul"
DOC_NOTE = (
    "Published shapes [8, 64, 64] * [64] ran in 6 us on MNN (call overhead); scaled to [128, 64, 64] * [64] "
    "(the broadcast operand still spans the last dimension only)."
)


class Model(nn.Module):
    """Elementwise product with a 1-D operand broadcast along the last dimension."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return a * b


def get_inputs():
    return [torch.randn(128, 64, 64), torch.randn(64)]


def get_init_inputs():
    return []
