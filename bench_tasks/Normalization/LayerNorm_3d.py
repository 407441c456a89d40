import torch
import torch.nn as nn

ONNX_OP = "LayerNormalization"
DOC_NOTE = (
    "Published shape [1, 8, 32, 32] ran in 3 us on MNN (call overhead); scaled to [8, 16, 32, 32]. "
    "normalized_shape (32, 32): the ONNX node normalises over the last two dimensions (axis=-2)."
)


class Model(nn.Module):
    """LayerNorm over the last two dimensions (32x32) with learned affine parameters."""

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
    return [torch.randn(8, 16, 32, 32) * 2.0 + 0.5]


def get_init_inputs():
    return [(32, 32), 1e-05, True]
