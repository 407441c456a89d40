import torch
import torch.nn as nn

ONNX_OP = "Softplus"
DOC_NOTE = "torch switches to x above threshold 20, ONNX Softplus is log(1 + exp(x)): they differ by < 3e-9 there."


class Model(nn.Module):
    """Softplus: log(1 + exp(x)), elementwise."""

    def __init__(self):
        super().__init__()
        self.softplus = nn.Softplus()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.softplus(x)


def get_inputs():
    # Wide spread: both tails (softplus ~ exp(x) and softplus ~ x) and the curved middle matter.
    return [torch.randn(8, 128, 128) * 4.0]


def get_init_inputs():
    return []
