import torch
import torch.nn as nn

ONNX_OP = "Asinh"
DOC_NOTE = "twin built with onnx.helper: the TorchScript exporter cannot export aten::asinh."


class Model(nn.Module):
    """Elementwise inverse hyperbolic sine."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.asinh(x)


def get_inputs():
    # Both signs, up to |x| ~ 20.
    return [torch.randn(8, 128, 256) * 5]


def get_init_inputs():
    return []


def onnx_twin(model, inputs):
    # torch's TorchScript exporter has no symbolic for aten::asinh: build the single Asinh node by hand.
    from onnx import TensorProto, helper

    shape = list(inputs[0].shape)
    node = helper.make_node("Asinh", ["input_0"], ["output_0"])
    graph = helper.make_graph(
        [node], "Asinh",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, shape)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
