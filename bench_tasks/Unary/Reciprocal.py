import torch
import torch.nn as nn

ONNX_OP = "Reciprocal"
DOC_NOTE = "Published shape [2, 64, 128] ran in 3.7 us on MNN (call overhead); scaled up to [8, 256, 256]."


class Model(nn.Module):
    """Elementwise reciprocal 1 / x."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.reciprocal(x)


def get_inputs():
    # Magnitudes in [0.25, 2.25] with random sign: away from 0, where 1/x blows up.
    magnitude = torch.rand(8, 256, 256) * 2 + 0.25
    sign = torch.randint(0, 2, (8, 256, 256)).float() * 2 - 1
    return [magnitude * sign]


def get_init_inputs():
    return []
