import torch
import torch.nn as nn

ONNX_OP = "PRelu"
DOC_NOTE = ("The slope is a learned parameter of shape [1024] (an initializer of the twin) broadcast along "
            "the last dimension; it is drawn uniformly from [0, 0.5) instead of torch's constant 0.25 so "
            "that a kernel must actually read it.")


class Model(nn.Module):
    """PReLU with one learned slope per feature: x if x >= 0 else slope[c] * x."""

    def __init__(self, num_parameters: int):
        super().__init__()
        self.prelu = nn.PReLU(num_parameters=num_parameters)
        with torch.no_grad():
            self.prelu.weight.uniform_(0.0, 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.prelu(x)


batch_size = 64
dim = 1024


def get_inputs():
    return [torch.randn(batch_size, dim)]


def get_init_inputs():
    return [dim]
