import torch
import torch.nn as nn

ONNX_OP = "LogSoftmax"


class Model(nn.Module):
    """Log-softmax along a given dimension of a 3-D tensor."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log_softmax(x, dim=self.dim)


def get_inputs():
    return [torch.randn(8, 32, 64) * 3.0]


def get_init_inputs():
    return [1]
