import torch
import torch.nn as nn

ONNX_OP = "Einsum"
DOC_NOTE = "Shape scaled up from [64, 256] (MNN took 4 us) to [256, 512]."


class Model(nn.Module):
    """torch.einsum with the equation given at construction (an attribute of the ONNX node)."""

    def __init__(self, equation: str):
        super().__init__()
        self.equation = equation

    def forward(self, *operands: torch.Tensor) -> torch.Tensor:
        return torch.einsum(self.equation, *operands)


def get_inputs():
    return [torch.randn(256, 512)]


def get_init_inputs():
    return ["ij->ji"]
