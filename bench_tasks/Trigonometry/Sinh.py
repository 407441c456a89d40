import torch
import torch.nn as nn

ONNX_OP = "Sinh"
DOC_NOTE = ("twin built with onnx.helper: the TorchScript exporter cannot export aten::sinh. "
            "Published shape [8, 512, 512] ran in ~116 ms on MNN single-thread; scaled to [8, 64, 64] "
            "to keep the suite fast.")


class Model(nn.Module):
    """Elementwise hyperbolic sine."""

    def __init__(self):
        super().__init__()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sinh(x)


def get_inputs():
    # In (-5, 5): outputs of both signs up to ~74, checked with the relative tolerance.
    return [torch.rand(8, 64, 64) * 10 - 5]


def get_init_inputs():
    return []


def onnx_twin(model, inputs):
    # torch's TorchScript exporter has no symbolic for aten::sinh: build the single Sinh node by hand.
    from onnx import TensorProto, helper

    shape = list(inputs[0].shape)
    node = helper.make_node("Sinh", ["input_0"], ["output_0"])
    graph = helper.make_graph(
        [node], "Sinh",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, shape)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
