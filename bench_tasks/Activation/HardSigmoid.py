import torch
import torch.nn as nn

ONNX_OP = "HardSigmoid"
DOC_NOTE = "torch's Hardsigmoid exports as HardSigmoid with alpha = 1/6 and the default beta = 0.5."


class Model(nn.Module):
    """Hard sigmoid: max(0, min(1, x / 6 + 1 / 2)), elementwise."""

    def __init__(self):
        super().__init__()
        self.hardsigmoid = nn.Hardsigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.hardsigmoid(x)


batch_size = 128
dim = 1024


def get_inputs():
    # Spread so that both saturated ends (|x| >= 3) and the linear middle are well populated.
    return [torch.randn(batch_size, dim) * 3.0]


def get_init_inputs():
    return []
