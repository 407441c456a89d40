import torch
import torch.nn as nn

ONNX_OP = "Xor"
DOC_NOTE = ("Twin built with onnx.helper (export gives Cast Cast Xor). The published file feeds float32 "
            "tensors that the export casts to bool; ONNX Xor takes bool, so the inputs are bool here.")


class Model(nn.Module):
    """Elementwise logical XOR of two bool tensors."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.logical_xor(a, b)


def get_inputs():
    # Independent fair coins: the output is True for about half of the elements.
    shape = (8, 128, 128)
    return [torch.randint(0, 2, shape, dtype=torch.bool), torch.randint(0, 2, shape, dtype=torch.bool)]


def get_init_inputs():
    return []


def onnx_twin(model, inputs):
    """A single Xor node on bool tensors (the TorchScript export gives Cast Cast Xor)."""
    from onnx import TensorProto, helper

    out_shape = list(torch.broadcast_shapes(inputs[0].shape, inputs[1].shape))
    node = helper.make_node("Xor", ["input_0", "input_1"], ["output_0"])
    graph = helper.make_graph(
        [node], "LogicalXor",
        [helper.make_tensor_value_info("input_0", TensorProto.BOOL, list(inputs[0].shape)),
         helper.make_tensor_value_info("input_1", TensorProto.BOOL, list(inputs[1].shape))],
        [helper.make_tensor_value_info("output_0", TensorProto.BOOL, out_shape)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
