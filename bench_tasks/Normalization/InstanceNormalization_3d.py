import torch
import torch.nn as nn

ONNX_OP = "InstanceNormalization"
DOC_NOTE = (
    "Published init args (1, 1e-05, False) give affine=False, which the export turns into Scale=1/B=0; here "
    "affine=True with a seeded random scale/bias (init args 1, 1e-05, True) so a kernel ignoring Scale or B "
    "fails (the ONNX node is the same either way). Published shape kept: the CSV's 14 us was MNN with "
    "affine=False; with a real affine MNN takes ~110 us on this single-channel 3-D input."
)


class Model(nn.Module):
    """InstanceNorm3d: each (sample, channel) volume normalised over D*H*W, then a per-channel affine."""

    def __init__(self, num_features: int, eps: float, affine: bool):
        super().__init__()
        self.norm = nn.InstanceNorm3d(num_features, eps=eps, affine=affine)
        if affine:
            # Non-trivial affine parameters so a kernel that ignores them fails.
            with torch.no_grad():
                self.norm.weight.uniform_(0.5, 1.5)
                self.norm.bias.uniform_(-0.5, 0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x)


def get_inputs():
    return [torch.randn(1, 1, 8, 64, 64) * 2.0 + 0.5]


def get_init_inputs():
    return [1, 1e-05, True]
