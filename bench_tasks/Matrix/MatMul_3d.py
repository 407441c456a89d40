import torch
import torch.nn as nn

ONNX_OP = "MatMul"
DOC_NOTE = "Shapes scaled up from [8, 16, 32] x [8, 32, 64] (MNN took 9 us) to [8, 64, 64] x [8, 64, 128]."


class Model(nn.Module):
    """Batched matrix product of two 3-D inputs with the same batch."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.matmul(a, b)


def get_inputs():
    return [torch.randn(8, 64, 64), torch.randn(8, 64, 128)]


def get_init_inputs():
    return []
