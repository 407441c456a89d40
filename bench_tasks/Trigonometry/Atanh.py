import torch
import torch.nn as nn

ONNX_OP = "Atanh"
DOC_NOTE = "twin built with onnx.helper: the TorchScript exporter cannot export aten::atanh."


class Model(nn.Module):
    """Elementwise inverse hyperbolic tangent."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.atanh(x)


def get_inputs():
    # The domain of atanh is (-1, 1); kept within +-0.99 so outputs stay finite (|y| < 2.65).
    return [(torch.rand(8, 64, 64) * 2 - 1) * 0.99]


def get_init_inputs():
    return []


def onnx_twin(model, inputs):
    # torch's TorchScript exporter has no symbolic for aten::atanh: build the single Atanh node by hand.
    from onnx import TensorProto, helper

    shape = list(inputs[0].shape)
    node = helper.make_node("Atanh", ["input_0"], ["output_0"])
    graph = helper.make_graph(
        [node], "Atanh",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, shape)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
