import torch
import torch.nn as nn

ONNX_OP = "Einsum"
DOC_NOTE = "Shapes scaled up from [32, 64] x [64, 128] (MNN took 10 us) to [64, 256] x [256, 256]."


class Model(nn.Module):
    """torch.einsum with the equation given at construction (an attribute of the ONNX node)."""

    def __init__(self, equation: str):
        super().__init__()
        self.equation = equation

    def forward(self, *operands: torch.Tensor) -> torch.Tensor:
        return torch.einsum(self.equation, *operands)


def get_inputs():
    return [torch.randn(64, 256), torch.randn(256, 256)]


def get_init_inputs():
    return ["ij,jk->ik"]
