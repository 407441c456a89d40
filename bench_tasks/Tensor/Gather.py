import torch
import torch.nn as nn

ONNX_OP = "Gather"
DOC_NOTE = ("published shapes [8, 64, 64] with 3 indices ran in 0.4 us on MNN (call overhead); "
            "scaled to [16, 256, 256] with 32 indices.")


class Model(nn.Module):
    """Selects slices along one dimension by an index vector (ONNX Gather, axis = dim)."""

    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
        return torch.index_select(x, self.dim, indices)


def get_inputs():
    # int64 indices in range along dim 1, in random order and possibly repeated.
    return [torch.randn(16, 256, 256), torch.randint(0, 256, (32,))]


def get_init_inputs():
    return [1]
