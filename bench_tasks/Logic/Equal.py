import torch
import torch.nn as nn

ONNX_OP = "Equal"
DOC_NOTE = ("Published shape [4, 3, 64, 128] ran in 13 us on MNN; scaled to [8, 3, 128, 128]. "
            "Inputs take 3 values so about a third of the pairs are equal.")


class Model(nn.Module):
    """Elementwise a == b of two float tensors (bool output)."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.eq(a, b)


def get_inputs():
    # Three values {-0.5, 0, 0.5}: about a third of the pairs are equal (random floats never are).
    shape = (8, 3, 128, 128)
    return [torch.randint(-1, 2, shape).float() * 0.5, torch.randint(-1, 2, shape).float() * 0.5]


def get_init_inputs():
    return []
