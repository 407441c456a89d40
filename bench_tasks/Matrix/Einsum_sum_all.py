import torch
import torch.nn as nn

ONNX_OP = "Einsum"
ATOL = 2e-2
RTOL = 1e-4
TOLERANCE_REASON = (
    "sum of 524288 standard normals (|sum| ~ 700, sum of |x| ~ 4.2e5): float32 accumulation orders differ by "
    "up to ~1e-2 (sequential summation 1.1e-2, onnxruntime 7.9e-3 from PyTorch's), ~5e-8 of sum |x|"
)
DOC_NOTE = "Shape scaled up from [64, 256] (MNN took 3 us) to [512, 1024]."


class Model(nn.Module):
    """torch.einsum with the equation given at construction (an attribute of the ONNX node)."""

    def __init__(self, equation: str):
        super().__init__()
        self.equation = equation

    def forward(self, *operands: torch.Tensor) -> torch.Tensor:
        return torch.einsum(self.equation, *operands)


def get_inputs():
    return [torch.randn(512, 1024)]


def get_init_inputs():
    return ["ij->"]
