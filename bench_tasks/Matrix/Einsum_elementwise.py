import torch
import torch.nn as nn

ONNX_OP = "Einsum"


class Model(nn.Module):
    """torch.einsum with the equation given at construction (an attribute of the ONNX node)."""

    def __init__(self, equation: str):
        super().__init__()
        self.equation = equation

    def forward(self, *operands: torch.Tensor) -> torch.Tensor:
        return torch.einsum(self.equation, *operands)


def get_inputs():
    return [torch.randn(256, 256), torch.randn(256, 256)]


def get_init_inputs():
    return ["ij,ij->ij"]
