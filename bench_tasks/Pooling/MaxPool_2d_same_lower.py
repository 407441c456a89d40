import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper

ONNX_OP = "MaxPool"
DOC_NOTE = ("Published shape [1, 3, 32, 32] (MNN ~3 us, call overhead dominates); scaled to "
            "[1, 16, 128, 128]. Twin built with onnx.helper: PyTorch has no auto_pad, so the model pads "
            "by hand (-inf, the odd pixel at the beginning as SAME_LOWER prescribes) and the export would "
            "be Pad + MaxPool; the twin is one MaxPool node with auto_pad=SAME_LOWER.")


class Model(nn.Module):
    """2-D max pooling, 2x2 window, stride 1, auto_pad=SAME_LOWER: output = ceil(input / stride), the
    total padding split with the larger half at the beginning (top/left)."""

    def __init__(self, kernel_size, stride, pads, auto_pad: str):
        super().__init__()
        assert auto_pad == "SAME_LOWER" and pads is None
        self.kernel_size = tuple(kernel_size)
        self.stride = tuple(stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pad = []  # F.pad order: last dimension first, (begin, end) each
        for size, k, s in reversed(list(zip(x.shape[2:], self.kernel_size, self.stride))):
            out = math.ceil(size / s)
            total = max(0, (out - 1) * s + k - size)
            pad += [total - total // 2, total // 2]
        x = F.pad(x, pad, value=float("-inf"))
        return F.max_pool2d(x, self.kernel_size, self.stride)


def onnx_twin(model, inputs):
    x = inputs[0]
    with torch.no_grad():
        y = model(x)
    node = helper.make_node("MaxPool", ["input_0"], ["output_0"], kernel_shape=list(model.kernel_size),
                            strides=list(model.stride), auto_pad="SAME_LOWER")
    graph = helper.make_graph(
        [node], "MaxPool_2d_same_lower",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, list(y.shape))])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    return [torch.randn(1, 16, 128, 128)]


def get_init_inputs():
    return [(2, 2), (1, 1), None, "SAME_LOWER"]
