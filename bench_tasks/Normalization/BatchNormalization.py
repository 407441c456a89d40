import torch
import torch.nn as nn

ONNX_OP = "BatchNormalization"
DOC_NOTE = (
    "Twin built with onnx.helper (TorchScript export in eval mode gives Identity nodes before the "
    "BatchNormalization node): one inference-mode BatchNormalization node with scale, B, mean and var as "
    "initializers. Running mean/var and the affine parameters are seeded random values, not the defaults."
)


class Model(nn.Module):
    """BatchNorm2d in inference mode: per-channel (x - running_mean) / sqrt(running_var + eps) * weight + bias."""

    def __init__(self, num_features: int):
        super().__init__()
        self.bn = nn.BatchNorm2d(num_features)
        # Non-trivial statistics and affine parameters so a kernel ignoring any of them fails.
        with torch.no_grad():
            self.bn.weight.uniform_(0.5, 1.5)
            self.bn.bias.uniform_(-0.5, 0.5)
            self.bn.running_mean.uniform_(-0.5, 0.5)
            self.bn.running_var.uniform_(0.5, 2.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(x)


def get_inputs():
    return [torch.randn(1, 32, 128, 128)]


def get_init_inputs():
    return [32]


def onnx_twin(model, inputs):
    """One BatchNormalization node (training_mode=0) with the module's parameters as initializers."""
    from onnx import TensorProto, helper, numpy_helper

    bn = model.bn
    params = {"scale": bn.weight, "B": bn.bias, "input_mean": bn.running_mean, "input_var": bn.running_var}
    initializers = [numpy_helper.from_array(t.detach().numpy().astype("float32"), name) for name, t in params.items()]
    # ONNX momentum is the weight of the old running value, 1 - PyTorch's momentum (as the exporter writes it);
    # it only matters in training mode.
    node = helper.make_node(
        "BatchNormalization", ["input_0", *params], ["output_0"],
        epsilon=float(bn.eps), momentum=1.0 - float(bn.momentum), training_mode=0,
    )
    shape = list(inputs[0].shape)
    graph = helper.make_graph(
        [node], "BatchNormalization",
        [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, shape)],
        initializer=initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)
