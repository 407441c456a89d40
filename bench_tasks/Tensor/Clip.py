import torch
import torch.nn as nn

ONNX_OP = "Clip"


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
    return [torch.randn(16, 32, 128, 256)]


def get_init_inputs():
    return [-0.5, 0.5]
