import torch
import torch.nn as nn

ONNX_OP = "TopK"


class Model(nn.Module):
    """The k largest values along the last dimension and their indices (two outputs)."""

    def __init__(self, k: int):
        super().__init__()
        self.k = k

    def forward(self, x: torch.Tensor):
        values, indices = torch.topk(x, self.k, dim=-1, largest=True, sorted=True)
        return values, indices


def get_inputs():
    # Continuous random values: ties (which would make indices ambiguous) have probability ~0.
    return [torch.randn(64, 1024)]


def get_init_inputs():
    return [10]
