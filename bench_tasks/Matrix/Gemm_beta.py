import onnx
import torch
import torch.nn as nn
from onnx import helper

ONNX_OP = "Gemm"
DOC_NOTE = (
    "Shapes scaled up from [8, 64] x [64, 64] + [1, 64] (MNN took 2 us) to [128, 128] x [128, 256] + "
    "[1, 256]. Twin built with onnx.helper (one Gemm node, beta=0.5, C a [1, N] row broadcast over rows): "
    "the export gives Mul + Gemm."
)


class Model(nn.Module):
    """General matrix multiply of three inputs: Y = alpha * op(A) @ op(B) + beta * C, op = optional transpose."""

    def __init__(self, alpha: float, beta: float, trans_a: int, trans_b: int):
        super().__init__()
        self.alpha = alpha
        self.beta = beta
        self.trans_a = trans_a
        self.trans_b = trans_b

    def forward(self, a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        a = a.t() if self.trans_a else a
        b = b.t() if self.trans_b else b
        return torch.addmm(c, a, b, beta=self.beta, alpha=self.alpha)


def onnx_twin(model: Model, inputs: list) -> onnx.ModelProto:
    a, b, c = inputs
    m = a.shape[1] if model.trans_a else a.shape[0]
    n = b.shape[0] if model.trans_b else b.shape[1]
    node = helper.make_node("Gemm", ["input_0", "input_1", "input_2"], ["output_0"], alpha=float(model.alpha),
                            beta=float(model.beta), transA=int(model.trans_a), transB=int(model.trans_b))
    graph = helper.make_graph(
        [node], "Gemm_beta",
        [helper.make_tensor_value_info(f"input_{i}", onnx.TensorProto.FLOAT, list(t.shape))
         for i, t in enumerate(inputs)],
        [helper.make_tensor_value_info("output_0", onnx.TensorProto.FLOAT, [m, n])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    return [torch.randn(128, 128), torch.randn(128, 256), torch.randn(1, 256)]


def get_init_inputs():
    return [1, 0.5, 0, 0]
