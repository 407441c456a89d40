import torch
import torch.nn as nn

ONNX_OP = "OneHot"


class Model(nn.Module):
    """One-hot encoding of int64 class indices along a new last dimension (values 0 / 1, int64)."""

    def __init__(self, num_classes: int):
        super().__init__()
        self.num_classes = num_classes

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.one_hot(x, self.num_classes)


def get_inputs():
    # Class indices in [0, num_classes).
    return [torch.randint(0, 10, (16, 128))]


def get_init_inputs():
    return [10]
