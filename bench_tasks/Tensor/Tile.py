import torch
import torch.nn as nn

ONNX_OP = "Tile"
DOC_NOTE = ("twin built with onnx.helper: the export gives ConstantOfShape/Expand/Tile; "
            "the twin is one Tile node with repeats as an int64 initializer.")


class Model(nn.Module):
    """Repeats the tensor along each dimension (torch.Tensor.repeat / ONNX Tile)."""

    def __init__(self, repeats: tuple):
        super().__init__()
        self.repeats = tuple(repeats)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.repeat(*self.repeats)


def get_inputs():
    return [torch.randn(16, 64, 64)]


def get_init_inputs():
    return [(1, 2, 3)]


def onnx_twin(model, inputs):
    # One Tile node; the repeats are a constant int64 initializer (second node input).
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    shape = list(inputs[0].shape)
    out_shape = [d * r for d, r in zip(shape, model.repeats)]
    repeats = numpy_helper.from_array(np.array(model.repeats, dtype=np.int64), name="repeats")
    node = helper.make_node("Tile", ["input_0", "repeats"], ["output_0"])
    graph = helper.make_graph(
        [node], "Tile",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, out_shape)],
        initializer=[repeats],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
