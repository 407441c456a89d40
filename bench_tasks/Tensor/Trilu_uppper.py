import torch
import torch.nn as nn

ONNX_OP = "Trilu"
DOC_NOTE = ("task name spelled as published (uppper); init arg 1 read as ONNX upper=1 (diagonal 0). "
            "Published shape [32, 64] ran in 1.4 us on MNN (call overhead); scaled to [256, 512].")


class Model(nn.Module):
    """Keeps the lower (upper=0) or upper (upper=1) triangle of a matrix, zeroing the rest (diagonal 0)."""

    def __init__(self, upper: int):
        super().__init__()
        self.upper = upper

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.triu(x) if self.upper else torch.tril(x)


def get_inputs():
    # Non-zero int64 values, so a kernel that writes zeros everywhere cannot pass.
    return [torch.randint(1, 1000, (256, 512))]


def get_init_inputs():
    return [1]
