import torch
import torch.nn as nn

ONNX_OP = "BitwiseXor"
DOC_NOTE = ("Twin built with onnx.helper: the TorchScript exporter cannot export bitwise_xor.")


class Model(nn.Module):
    """Elementwise bitwise XOR of two int32 tensors."""

    def __init__(self):
        super().__init__()

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.bitwise_xor(a, b)


def get_inputs():
    # Full int32 range: every bit, the sign bit included, is random.
    shape = (8, 128, 512)
    low, high = -2**31, 2**31
    return [torch.randint(low, high, shape, dtype=torch.int32), torch.randint(low, high, shape, dtype=torch.int32)]


def get_init_inputs():
    return []


def onnx_twin(model, inputs):
    """A single BitwiseXor node on int32 tensors (the TorchScript exporter has no aten::bitwise_xor)."""
    from onnx import TensorProto, helper

    out_shape = list(torch.broadcast_shapes(inputs[0].shape, inputs[1].shape))
    node = helper.make_node("BitwiseXor", ["input_0", "input_1"], ["output_0"])
    graph = helper.make_graph(
        [node], "BitWiseXor",
        [helper.make_tensor_value_info("input_0", TensorProto.INT32, list(inputs[0].shape)),
         helper.make_tensor_value_info("input_1", TensorProto.INT32, list(inputs[1].shape))],
        [helper.make_tensor_value_info("output_0", TensorProto.INT32, out_shape)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
