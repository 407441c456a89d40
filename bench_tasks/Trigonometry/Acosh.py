import torch
import torch.nn as nn

ONNX_OP = "Acosh"
DOC_NOTE = "twin built with onnx.helper: the TorchScript exporter cannot export aten::acosh."


class Model(nn.Module):
    """Elementwise inverse hyperbolic cosine."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.acosh(x)


def get_inputs():
    # The domain of acosh: [1, 11).
    return [torch.rand(8, 64, 64) * 10 + 1]


def get_init_inputs():
    return []


def onnx_twin(model, inputs):
    # torch's TorchScript exporter has no symbolic for aten::acosh: build the single Acosh node by hand.
    from onnx import TensorProto, helper

    shape = list(inputs[0].shape)
    node = helper.make_node("Acosh", ["input_0"], ["output_0"])
    graph = helper.make_graph(
        [node], "Acosh",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, shape)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
