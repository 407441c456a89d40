import torch
import torch.nn as nn

ONNX_OP = "Concat"


class Model(nn.Module):
    """Concatenates three tensors along one dimension."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        return torch.cat([a, b, c], dim=self.dim)


def get_inputs():
    return [torch.randn(16, 128, 64), torch.randn(16, 128, 64), torch.randn(16, 128, 64)]


def get_init_inputs():
    return [0]
