import torch
import torch.nn as nn

ONNX_OP = "LayerNormalization"


class Model(nn.Module):
    """LayerNorm over the last dimension with learned affine parameters."""

    def __init__(self, normalized_shape: int):
        super().__init__()
        self.ln = nn.LayerNorm(normalized_shape)
        # Non-trivial affine parameters so a kernel that ignores them fails.
        with torch.no_grad():
            self.ln.weight.uniform_(0.5, 1.5)
            self.ln.bias.uniform_(-0.5, 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.ln(x)


def get_inputs():
    return [torch.randn(1, 16, 64, 64) * 2.0 + 0.5]


def get_init_inputs():
    return [64]
