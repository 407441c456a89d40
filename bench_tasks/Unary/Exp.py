import torch
import torch.nn as nn

ONNX_OP = "Exp"
DOC_NOTE = ("Published shape [16, 512, 512] ran in ~5 ms on MNN single-thread; scaled to [16, 192, 192] "
            "to keep the suite fast.")


class Model(nn.Module):
    """Elementwise natural exponential."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.exp(x)


def get_inputs():
    # Outputs span e^-10 .. e^10; checked with the relative tolerance.
    return [torch.randn(16, 192, 192) * 2]


def get_init_inputs():
    return []
