import torch
import torch.nn as nn

ONNX_OP = "Cast"
DOC_NOTE = "output float16 (IEEE half, round to nearest even); the runner stores it as 16-bit words."


class Model(nn.Module):
    """Converts a float32 tensor to another element type (here float16)."""

    def __init__(self, dtype: str):
        super().__init__()
        self.dtype = getattr(torch, dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(self.dtype)


def get_inputs():
    # Normal values of magnitude ~1: float16 keeps 11 significant bits, so rounding matters.
    return [torch.randn(8, 512, 256)]


def get_init_inputs():
    return ["float16"]
