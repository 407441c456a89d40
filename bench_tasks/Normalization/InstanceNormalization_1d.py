import torch
import torch.nn as nn

ONNX_OP = "InstanceNormalization"
DOC_NOTE = (
    "Published shape [1, 32, 128] ran in 3 us on MNN (call overhead); scaled to [4, 32, 1024]. "
    "Published init args (32, 1e-05, False) give affine=False, which the export turns into all-ones/all-zeros "
    "Scale/B; here affine=True with seeded random scale/bias (init args 32, 1e-05, True) so a kernel ignoring "
    "Scale or B fails. The ONNX node is the same either way."
)


class Model(nn.Module):
    """InstanceNorm1d: each (sample, channel) row normalised over its length, then a per-channel affine."""

    def __init__(self, num_features: int, eps: float, affine: bool):
        super().__init__()
        self.norm = nn.InstanceNorm1d(num_features, eps=eps, affine=affine)
        if affine:
            # Non-trivial affine parameters so a kernel that ignores them fails.
            with torch.no_grad():
                self.norm.weight.uniform_(0.5, 1.5)
                self.norm.bias.uniform_(-0.5, 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x)


def get_inputs():
    return [torch.randn(4, 32, 1024) * 2.0 + 0.5]


def get_init_inputs():
    return [32, 1e-05, True]
