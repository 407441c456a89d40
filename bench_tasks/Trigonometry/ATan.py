import torch
import torch.nn as nn

ONNX_OP = "Atan"
DOC_NOTE = ("Published shape [16, 128, 512] ran in ~42 ms on MNN single-thread; scaled to [16, 24, 96] "
            "to keep the suite fast.")


class Model(nn.Module):
    """Elementwise arctangent."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.atan(x)


def get_inputs():
    # Spans both the near-linear part and the saturation towards +-pi/2.
    return [torch.randn(16, 24, 96) * 5]


def get_init_inputs():
    return []
