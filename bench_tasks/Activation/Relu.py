import torch
import torch.nn as nn

ONNX_OP = "Relu"
DOC_NOTE = "Published shape [64, 1024] ran in 6 us on MNN (call overhead); batch scaled 8x to [512, 1024]."


class Model(nn.Module):
    """Applies ReLU elementwise."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x)


batch_size = 512
dim = 1024


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return []
