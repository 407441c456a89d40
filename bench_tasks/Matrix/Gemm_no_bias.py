import onnx
import torch
import torch.nn as nn
from onnx import helper

ONNX_OP = "Gemm"
DOC_NOTE = (
    "Shapes scaled up from [16, 128] x [128, 32] (MNN took 3.5 us) to [128, 256] x [256, 128]. Twin built "
    "with onnx.helper (one Gemm node without the optional C input): the export gives Gemm + Mul."
)


class Model(nn.Module):
    """Gemm without C: Y = alpha * op(A) @ op(B), op = optional transpose."""

    def __init__(self, alpha: float, trans_a: int, trans_b: int):
        super().__init__()
        self.alpha = alpha
        self.trans_a = trans_a
        self.trans_b = trans_b

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        a = a.t() if self.trans_a else a
        b = b.t() if self.trans_b else b
        return self.alpha * (a @ b)


def onnx_twin(model: Model, inputs: list) -> onnx.ModelProto:
    a, b = inputs
    m = a.shape[1] if model.trans_a else a.shape[0]
    n = b.shape[0] if model.trans_b else b.shape[1]
    node = helper.make_node("Gemm", ["input_0", "input_1"], ["output_0"], alpha=float(model.alpha),
                            transA=int(model.trans_a), transB=int(model.trans_b))
    graph = helper.make_graph(
        [node], "Gemm_no_bias",
        [helper.make_tensor_value_info(f"input_{i}", onnx.TensorProto.FLOAT, list(t.shape))
         for i, t in enumerate(inputs)],
        [helper.make_tensor_value_info("output_0", onnx.TensorProto.FLOAT, [m, n])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    return [torch.randn(128, 256), torch.randn(256, 128)]


def get_init_inputs():
    return [1.0, 0, 0]
