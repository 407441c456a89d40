import torch
import torch.nn as nn

ONNX_OP = "ReduceSum"
ATOL = 0.01
RTOL = 0.0001
TOLERANCE_REASON = (
    "One sum of 131072 standard-normal values (|sum| 60-600 on the three seeds): float32 rounding depends"
    " on the summation order; a sequential sum is off the exact one by up to 3e-3, lane/pairwise sums by "
    "~1e-4. atol 1e-2 accepts any order."
)
DOC_NOTE = (
    "Published shape [1, 64, 32, 8] takes MNN under 20 us (call overhead dominates); scaled to [1, 64, "
    "64, 32] so MNN takes roughly 20-300 us. The published file exports as two ReduceSum nodes; this twin"
    " is built with onnx.helper: one ReduceSum with empty axes (noop_with_empty_axes 0, keepdims 1), i.e."
    " the sum of the whole tensor. The twin leaves the optional axes input out, which ONNX defines to "
    "mean the same as an explicitly empty axes tensor; MNN 3.6.1 mis-shapes the output for an explicitly "
    "empty one (reports the input shape, the value only in element 0) and handles the absent one."
)


class Model(nn.Module):
    """Sum over every dimension, all kept with length 1 (ONNX: no axes, keepdims = 1)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sum(x, dim=tuple(range(x.dim())), keepdim=True)


def onnx_twin(model, inputs):
    """ReduceSum without the optional axes input (ONNX: axes "not provided or explicitly empty") and with
    noop_with_empty_axes at its default 0: reduce every axis; keepdims defaults to 1."""
    from onnx import TensorProto, helper

    shape = list(inputs[0].shape)
    node = helper.make_node("ReduceSum", ["input_0"], ["output_0"])
    graph = helper.make_graph(
        [node], "ReduceSum_empty_axes",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, [1] * len(shape))],
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
    proto.ir_version = 10
    return proto


def get_inputs():
    return [torch.randn(1, 64, 64, 32)]


def get_init_inputs():
    return []
