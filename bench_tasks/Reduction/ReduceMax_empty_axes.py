import torch
import torch.nn as nn

ONNX_OP = "ReduceMax"
DOC_NOTE = (
    "The published file exports as ReduceMax + Unsqueeze; this twin is built with onnx.helper: one "
    "ReduceMax with empty axes (noop_with_empty_axes 0, keepdims 1), i.e. the maximum of the whole "
    "tensor. The twin leaves the optional axes input out, which ONNX defines to mean the same as an "
    "explicitly empty axes tensor; MNN 3.6.1 mis-shapes the output for an explicitly empty one (reports "
    "the input shape, the value only in element 0) and handles the absent one. "
    "Published shape [16, 128, 128, 64] ran in ~61 ms on MNN single-thread; scaled to [8, 64, 64, 32] to keep "
    "the suite fast."
)


class Model(nn.Module):
    """Maximum over every dimension, all kept with length 1 (ONNX: no axes, keepdims = 1)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.amax(x, dim=tuple(range(x.dim())), keepdim=True)


def onnx_twin(model, inputs):
    """ReduceMax without the optional axes input (ONNX: axes "not provided or explicitly empty") and with
    noop_with_empty_axes at its default 0: reduce every axis; keepdims defaults to 1."""
    from onnx import TensorProto, helper

    shape = list(inputs[0].shape)
    node = helper.make_node("ReduceMax", ["input_0"], ["output_0"])
    graph = helper.make_graph(
        [node], "ReduceMax_empty_axes",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, [1] * len(shape))],
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
    proto.ir_version = 10
    return proto


def get_inputs():
    return [torch.randn(8, 64, 64, 32)]


def get_init_inputs():
    return []
