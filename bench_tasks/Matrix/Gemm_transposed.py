import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper

ONNX_OP = "Gemm"
DOC_NOTE = ("twin built with onnx.helper (one Gemm node with transA=1, transB=1, alpha=1.5; weight and bias as "
            "initializers): the export gives Gemm + Mul. The input holds A transposed, [K, M] = [128, 32].")


class Model(nn.Module):
    """Gemm on a transposed input: Y = alpha * X^T @ W^T + b, X of shape [in_features, M]."""

    def __init__(self, in_features: int, out_features: int, alpha: float):
        super().__init__()
        self.alpha = alpha
        linear = nn.Linear(in_features, out_features)
        self.weight = linear.weight
        self.bias = linear.bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.addmm(self.bias, x.t(), self.weight.t(), alpha=self.alpha)


def onnx_twin(model: Model, inputs: list) -> onnx.ModelProto:
    x = inputs[0]
    weight = model.weight.detach().numpy()
    inits = [numpy_helper.from_array(weight, "weight"), numpy_helper.from_array(model.bias.detach().numpy(), "bias")]
    node = helper.make_node("Gemm", ["input_0", "weight", "bias"], ["output_0"], alpha=float(model.alpha),
                            beta=1.0, transA=1, transB=1)
    graph = helper.make_graph(
        [node], "Gemm_transposed",
        [helper.make_tensor_value_info("input_0", onnx.TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("output_0", onnx.TensorProto.FLOAT, [x.shape[1], weight.shape[0]])],
        inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    return [torch.randn(128, 32)]


def get_init_inputs():
    return [128, 256, 1.5]
