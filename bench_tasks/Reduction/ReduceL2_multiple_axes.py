import torch
import torch.nn as nn

ONNX_OP = "ReduceL2"
DOC_NOTE = (
    "Published shape [2, 3, 4] takes MNN under 20 us (call overhead dominates); scaled to [16, 64, 128] "
    "so MNN takes roughly 20-300 us. Opset 17 (axes as attribute): MNN 3.6.1 ignores the axes input of "
    "ReduceL1/L2/LogSumExp at opset 18+."
)
OPSET = 17


class Model(nn.Module):
    """L2 norm (sqrt of the sum of squares) over the given dimension(s)."""

    def __init__(self, dim, keepdim: bool):
        super().__init__()
        self.dim = dim
        self.keepdim = keepdim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.linalg.vector_norm(x, ord=2, dim=self.dim, keepdim=self.keepdim)


def get_inputs():
    return [torch.randn(16, 64, 128)]


def get_init_inputs():
    return [(0, 2), False]
