import torch
import torch.nn as nn

ONNX_OP = "InstanceNormalization"
DOC_NOTE = (
    "affine=True with seeded random scale/bias (nn.InstanceNorm2d defaults to affine=False, which the "
    "export turns into all-ones/all-zeros Scale/B), so a kernel ignoring Scale or B fails."
)


class Model(nn.Module):
    """InstanceNorm2d: each (sample, channel) plane normalised over H*W, then a per-channel affine."""

    def __init__(self, num_features: int):
        super().__init__()
        self.norm = nn.InstanceNorm2d(num_features, affine=True)
        # Non-trivial affine parameters so a kernel that ignores them fails.
        with torch.no_grad():
            self.norm.weight.uniform_(0.5, 1.5)
            self.norm.bias.uniform_(-0.5, 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x)


def get_inputs():
    return [torch.randn(1, 32, 64, 64) * 2.0 + 0.5]


def get_init_inputs():
    return [32]
