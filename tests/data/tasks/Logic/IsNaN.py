# Bool output, and an operator the mnn 3.6.1 converter does not know: exercises "no MNN baseline".
import torch
import torch.nn as nn

ONNX_OP = "IsNaN"


class Model(nn.Module):
    def forward(self, x):
        return torch.isnan(x)


def get_inputs():
    x = torch.randn(32, 512)
    x[torch.rand(32, 512) < 0.3] = float("nan")
    return [x]


def get_init_inputs():
    return []
