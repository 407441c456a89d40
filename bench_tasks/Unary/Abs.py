import torch
import torch.nn as nn

ONNX_OP = "Abs"
DOC_NOTE = ("Published shape [16, 8, 256, 256] ran in ~13 ms on MNN single-thread; scaled to "
            "[16, 8, 96, 96] to keep the suite fast.")


class Model(nn.Module):
    """Elementwise absolute value."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.abs(x)


def get_inputs():
    # Centred at 0: half the elements change sign.
    return [torch.randn(16, 8, 96, 96)]


def get_init_inputs():
    return []
