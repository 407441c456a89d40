import torch
import torch.nn as nn

ONNX_OP = "MatMul"
DOC_NOTE = "Shapes scaled up from [16] x [32, 16, 64] (MNN took 4 us) to [128] x [64, 128, 128]."


class Model(nn.Module):
    """Vector times a batch of matrices: the 1-D A is a row [1, K] whose dimension is dropped from the result."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.matmul(a, b)


def get_inputs():
    return [torch.randn(128), torch.randn(64, 128, 128)]


def get_init_inputs():
    return []
