import torch
import torch.nn as nn

ONNX_OP = "Clip"
DOC_NOTE = ("Published shape [16, 32, 128, 256] ran in ~24 ms on MNN single-thread; scaled to "
            "[16, 32, 48, 48] to keep the suite fast.")


class Model(nn.Module):
    """Clamps every element to [min, max]."""

    def __init__(self, min_value: float, max_value: float):
        super().__init__()
        self.min_value = min_value
        self.max_value = max_value

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.clamp(x, min=self.min_value, max=self.max_value)


def get_inputs():
    # Standard normal: about 31% below -0.5, 38% inside, 31% above 0.5.
    return [torch.randn(16, 32, 48, 48)]


def get_init_inputs():
    return [-0.5, 0.5]
