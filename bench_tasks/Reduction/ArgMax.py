import torch
import torch.nn as nn

ONNX_OP = "ArgMax"


class Model(nn.Module):
    """Index (int64) of the largest element along one dimension, which is dropped."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.argmax(x, dim=self.dim, keepdim=False)


def get_inputs():
    # Continuous random values: ties, which would make the index ambiguous, practically never occur
    # (and where they would, PyTorch and ONNX's select_last_index = 0 both take the first index).
    return [torch.randn(16, 128, 127)]


def get_init_inputs():
    return [1]
