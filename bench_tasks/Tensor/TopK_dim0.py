import torch
import torch.nn as nn

ONNX_OP = "TopK"


class Model(nn.Module):
    """The k largest values along the first dimension (strided lines), and their indices (two outputs)."""

    def __init__(self, k: int, dim: int):
        super().__init__()
        self.k = k
        self.dim = dim

    def forward(self, x: torch.Tensor):
        values, indices = torch.topk(x, self.k, dim=self.dim, largest=True, sorted=True)
        return values, indices


def get_inputs():
    # Continuous random values: ties (which would make indices ambiguous) have probability ~0.
    return [torch.randn(32, 256)]


def get_init_inputs():
    return [10, 0]
