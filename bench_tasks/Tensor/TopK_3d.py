import torch
import torch.nn as nn

ONNX_OP = "TopK"


class Model(nn.Module):
    """The k largest values along one dimension of a 3-D tensor, and their indices (two outputs)."""

    def __init__(self, k: int, dim: int):
        super().__init__()
        self.k = k
        self.dim = dim

    def forward(self, x: torch.Tensor):
        values, indices = torch.topk(x, self.k, dim=self.dim, largest=True, sorted=True)
        return values, indices


def get_inputs():
    # Continuous random values: ties (which would make indices ambiguous) have probability ~0.
    return [torch.randn(16, 64, 128)]


def get_init_inputs():
    return [10, -1]
