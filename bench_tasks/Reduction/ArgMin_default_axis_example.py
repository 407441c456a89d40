import torch
import torch.nn as nn

ONNX_OP = "ArgMin"
DOC_NOTE = (
    "The published file calls torch.argmin(x) without dim (the index into the flattened tensor), which "
    "exports as Reshape + ArgMin; this task follows its name and ONNX's example instead: ArgMin with "
    "default attributes (axis 0, keepdims 1), twin built with onnx.helper."
)


class Model(nn.Module):
    """Index (int64) of the smallest element along dimension 0, kept with length 1 (ONNX's defaults)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.argmin(x, dim=0, keepdim=True)


def onnx_twin(model, inputs):
    """ArgMin with no attributes: ONNX's defaults axis = 0, keepdims = 1, select_last_index = 0."""
    from onnx import TensorProto, helper

    shape = list(inputs[0].shape)
    node = helper.make_node("ArgMin", ["input_0"], ["output_0"])
    graph = helper.make_graph(
        [node], "ArgMin_default_axis_example",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.INT64, [1, *shape[1:]])],
    )
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])
    proto.ir_version = 10
    return proto


def get_inputs():
    # Continuous random values: ties, which would make the index ambiguous, practically never occur
    # (and where they would, PyTorch and ONNX's select_last_index = 0 both take the first index).
    return [torch.randn(16, 128, 127)]


def get_init_inputs():
    return []
