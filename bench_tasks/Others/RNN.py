import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper

ONNX_OP = "RNN"
DOC_NOTE = (
    "Shapes scaled up from x [8, 1, 10], h0 [1, 1, 20] (MNN took 3.5 us) to 32 steps of a batch of 4, input "
    "size 64, hidden size 128. Twin built with onnx.helper: one RNN node (tanh; W, R, B as initializers, the "
    "initial state a graph input); the export adds a Squeeze. The model returns Y and Y_h in ONNX's layout."
)

SEQ_LEN, BATCH, INPUT_SIZE, HIDDEN_SIZE = 32, 4, 64, 128


class Model(nn.Module):
    """One-layer unidirectional tanh RNN over a [seq, batch, input] sequence from a given initial state."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(INPUT_SIZE, HIDDEN_SIZE)

    def forward(self, x: torch.Tensor, h0: torch.Tensor):
        y, h = self.rnn(x, h0)
        # ONNX layout: Y [seq, num_directions, batch, hidden], Y_h [num_directions, batch, hidden].
        return y.unsqueeze(1), h


def onnx_twin(model: Model, inputs: list) -> onnx.ModelProto:
    rnn = model.rnn
    hidden = rnn.hidden_size
    w = rnn.weight_ih_l0.detach().unsqueeze(0).numpy()
    r = rnn.weight_hh_l0.detach().unsqueeze(0).numpy()
    b = torch.cat([rnn.bias_ih_l0.detach(), rnn.bias_hh_l0.detach()]).unsqueeze(0).numpy()
    seq, batch, _ = inputs[0].shape
    # Inputs: X, W, R, B, sequence_lens (absent), initial_h.
    node = helper.make_node("RNN", ["input_0", "W", "R", "B", "", "input_1"], ["output_0", "output_1"],
                            hidden_size=hidden)
    graph = helper.make_graph(
        [node], "RNN",
        [helper.make_tensor_value_info("input_0", onnx.TensorProto.FLOAT, list(inputs[0].shape)),
         helper.make_tensor_value_info("input_1", onnx.TensorProto.FLOAT, list(inputs[1].shape))],
        [helper.make_tensor_value_info("output_0", onnx.TensorProto.FLOAT, [seq, 1, batch, hidden]),
         helper.make_tensor_value_info("output_1", onnx.TensorProto.FLOAT, [1, batch, hidden])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(r, "R"), numpy_helper.from_array(b, "B")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    return [torch.randn(SEQ_LEN, BATCH, INPUT_SIZE), torch.randn(1, BATCH, HIDDEN_SIZE)]


def get_init_inputs():
    return []
