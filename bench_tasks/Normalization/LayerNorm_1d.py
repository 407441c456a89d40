import torch
import torch.nn as nn

ONNX_OP = "LayerNormalization"


class Model(nn.Module):
    """LayerNorm over the last dimension (512) of a [batch, tokens, features] tensor, with learned affine parameters."""

    def __init__(self, normalized_shape, eps: float, elementwise_affine: bool):
        super().__init__()
        self.ln = nn.LayerNorm(normalized_shape, eps=eps, elementwise_affine=elementwise_affine)
        if elementwise_affine:
            # Non-trivial affine parameters so a kernel that ignores them fails.
            with torch.no_grad():
                self.ln.weight.uniform_(0.5, 1.5)
                self.ln.bias.uniform_(-0.5, 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.ln(x)


def get_inputs():
    return [torch.randn(1, 128, 512) * 2.0 + 0.5]


def get_init_inputs():
    return [512, 1e-05, True]
