import torch
import torch.nn as nn

ONNX_OP = "Asin"
DOC_NOTE = ("Published shape [16, 512, 256] ran in ~44 ms on MNN single-thread; scaled to [16, 64, 32] "
            "to keep the suite fast.")


class Model(nn.Module):
    """Elementwise arcsine."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.asin(x)


def get_inputs():
    # The domain of asin: [-1, 1).
    return [torch.rand(16, 64, 32) * 2 - 1]


def get_init_inputs():
    return []
