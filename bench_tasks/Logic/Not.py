import torch
import torch.nn as nn

ONNX_OP = "Not"
DOC_NOTE = ("Twin built with onnx.helper (export gives Cast Not). The published file feeds a float32 tensor "
            "that the export casts to bool; ONNX Not takes bool, so the input is bool here. "
            "Published shape [8, 64, 64] ran in 13 us on MNN; scaled to [8, 256, 256].")


class Model(nn.Module):
    """Elementwise logical NOT of a bool tensor."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.logical_not(x)


def get_inputs():
    # A fair coin per element: half of the outputs are True.
    return [torch.randint(0, 2, (8, 256, 256), dtype=torch.bool)]


def get_init_inputs():
    return []


def onnx_twin(model, inputs):
    """A single Not node on a bool tensor (TorchScript export: Cast Not)."""
    from onnx import TensorProto, helper

    shape = list(inputs[0].shape)
    node = helper.make_node("Not", ["input_0"], ["output_0"])
    graph = helper.make_graph(
        [node], "Not",
        [helper.make_tensor_value_info("input_0", TensorProto.BOOL, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.BOOL, shape)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
