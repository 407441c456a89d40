import torch
import torch.nn as nn

ONNX_OP = "LayerNormalization"
DOC_NOTE = (
    "Published shape [1, 128, 256] ran in 15 us on MNN; scaled to [4, 128, 256]. Attribute variant: epsilon=1e-3; "
    "inputs have variance ~0.06 so that epsilon changes the output by ~1%."
)


class Model(nn.Module):
    """LayerNorm over the last dimension with epsilon 1e-3 and learned affine parameters."""

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
    # Small spread (variance ~0.06) so that epsilon 1e-3 visibly changes the result.
    return [torch.randn(4, 128, 256) * 0.25 + 0.5]


def get_init_inputs():
    return [256, 0.001, True]
