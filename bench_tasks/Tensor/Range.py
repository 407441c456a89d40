import torch
import torch.nn as nn

ONNX_OP = "Range"
DOC_NOTE = ("twin built with onnx.helper: the export gives Cast x3 + Range. Inputs are fixed 0-D float32 "
            "scalars (start -4096, limit 4096, delta 1/16: 131072 values), since the output length depends "
            "on their values; every value is exact in float32, so start + i * delta needs no tolerance.")


class Model(nn.Module):
    """Arithmetic sequence start, start + delta, ... up to (excluding) limit, from three 0-D float tensors."""

    def __init__(self):
        super().__init__()

    def forward(self, start: torch.Tensor, limit: torch.Tensor, delta: torch.Tensor) -> torch.Tensor:
        return torch.arange(start, limit, delta, dtype=torch.float32)


def get_inputs():
    # Fixed scalars: the output shape (131072 elements) must not depend on the seed.
    return [torch.tensor(-4096.0), torch.tensor(4096.0), torch.tensor(0.0625)]


def get_init_inputs():
    return []


def onnx_twin(model, inputs):
    # One Range node over the three scalar graph inputs (the export casts each input first).
    from onnx import TensorProto, helper

    n = int(model(*inputs).numel())
    node = helper.make_node("Range", ["input_0", "input_1", "input_2"], ["output_0"])
    graph = helper.make_graph(
        [node], "Range",
        [helper.make_tensor_value_info(f"input_{i}", TensorProto.FLOAT, []) for i in range(3)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, [n])],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
