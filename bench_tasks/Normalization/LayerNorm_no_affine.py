import torch
import torch.nn as nn

ONNX_OP = "LayerNormalization"
DOC_NOTE = "No affine parameters: the exported node gets Scale = ones and B = zeros as Constant inputs."


class Model(nn.Module):
    """LayerNorm over the last dimension without affine parameters."""

    def __init__(self, normalized_shape: int):
        super().__init__()
        self.ln = nn.LayerNorm(normalized_shape, elementwise_affine=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.ln(x)


def get_inputs():
    return [torch.randn(1, 256, 512) * 2.0 + 0.5]


def get_init_inputs():
    return [512]
