import torch
import torch.nn as nn

ONNX_OP = "BitwiseAnd"


class Model(nn.Module):
    """Elementwise bitwise AND of two int32 tensors."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.bitwise_and(a, b)


def get_inputs():
    # Full int32 range: every bit, the sign bit included, is random.
    shape = (8, 32, 64)
    low, high = -2**31, 2**31
    return [torch.randint(low, high, shape, dtype=torch.int32), torch.randint(low, high, shape, dtype=torch.int32)]


def get_init_inputs():
    return []
