import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper

ONNX_OP = "Gemm"
DOC_NOTE = (
    "Twin built with onnx.helper (one Gemm node, transB=1, weight and bias as initializers): the export "
    "gives Gemm + Mul."
)


class Model(nn.Module):
    """Linear layer as a Gemm: Y = alpha * X @ W^T + beta * b."""

    def __init__(self, in_features: int, out_features: int, alpha: float, beta: float, bias: bool):
        super().__init__()
        self.alpha = alpha
        self.beta = beta
        linear = nn.Linear(in_features, out_features, bias=bias)
        self.weight = linear.weight
        self.bias = linear.bias

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.bias is None:
            return self.alpha * (x @ self.weight.t())
        return torch.addmm(self.bias, x, self.weight.t(), beta=self.beta, alpha=self.alpha)


def onnx_twin(model: Model, inputs: list) -> onnx.ModelProto:
    x = inputs[0]
    weight = model.weight.detach().numpy()
    inits = [numpy_helper.from_array(weight, "weight")]
    node_inputs = ["input_0", "weight"]
    if model.bias is not None:
        inits.append(numpy_helper.from_array(model.bias.detach().numpy(), "bias"))
        node_inputs.append("bias")
    node = helper.make_node("Gemm", node_inputs, ["output_0"], alpha=float(model.alpha), beta=float(model.beta),
                            transA=0, transB=1)
    graph = helper.make_graph(
        [node], "Gemm",
        [helper.make_tensor_value_info("input_0", onnx.TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("output_0", onnx.TensorProto.FLOAT, [x.shape[0], weight.shape[0]])],
        inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    return [torch.randn(32, 512)]


def get_init_inputs():
    return [512, 256, 1.0, 1.0, True]
