import torch
import torch.nn as nn

ONNX_OP = "MatMul"


class Model(nn.Module):
    """Batched matrix product whose batch dimensions broadcast: [8, 1] with [1, 8] gives [8, 8]."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.matmul(a, b)


def get_inputs():
    return [torch.randn(8, 1, 16, 32), torch.randn(1, 8, 32, 32)]


def get_init_inputs():
    return []
