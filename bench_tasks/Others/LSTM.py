import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper

ONNX_OP = "LSTM"
DOC_NOTE = (
    "Shape scaled up from [1, 1, 16] (one step; MNN took 1.5 us) to 32 steps of a batch of 4, hidden size 64. "
    "Twin built with onnx.helper: one LSTM node (W, R, B as initializers, gates reordered from PyTorch's "
    "i, f, g, o to ONNX's i, o, f, c; no initial state, i.e. zeros); the export adds Shape/Gather/Expand "
    "nodes for the zero initial state and a Squeeze. The model returns Y, Y_h and Y_c in ONNX's layout. "
    "MNN's converter turns LSTM into a While subgraph by default, which its Session API cannot run; with "
    "--useOriginRNNImpl it converts to MNN's own LSTM op, which matches PyTorch on this twin."
)

SEQ_LEN, BATCH, INPUT_SIZE, HIDDEN_SIZE = 32, 4, 16, 64


class Model(nn.Module):
    """One-layer unidirectional LSTM over a [seq, batch, input] sequence, zero initial state."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(INPUT_SIZE, HIDDEN_SIZE)

    def forward(self, x: torch.Tensor):
        y, (h, c) = self.lstm(x)
        # ONNX layout: Y [seq, num_directions, batch, hidden], Y_h and Y_c [num_directions, batch, hidden].
        return y.unsqueeze(1), h, c


def _onnx_gates(t: torch.Tensor) -> torch.Tensor:
    """PyTorch stacks the gates as i, f, g(cell), o; ONNX as i, o, f, c."""
    i, f, g, o = t.chunk(4, dim=0)
    return torch.cat([i, o, f, g], dim=0)


def onnx_twin(model: Model, inputs: list) -> onnx.ModelProto:
    lstm = model.lstm
    hidden = lstm.hidden_size
    w = _onnx_gates(lstm.weight_ih_l0.detach()).unsqueeze(0).numpy()
    r = _onnx_gates(lstm.weight_hh_l0.detach()).unsqueeze(0).numpy()
    b = torch.cat([_onnx_gates(lstm.bias_ih_l0.detach()), _onnx_gates(lstm.bias_hh_l0.detach())]).unsqueeze(0).numpy()
    seq, batch, _ = inputs[0].shape
    node = helper.make_node("LSTM", ["input_0", "W", "R", "B"], ["output_0", "output_1", "output_2"],
                            hidden_size=hidden)
    graph = helper.make_graph(
        [node], "LSTM",
        [helper.make_tensor_value_info("input_0", onnx.TensorProto.FLOAT, list(inputs[0].shape))],
        [helper.make_tensor_value_info("output_0", onnx.TensorProto.FLOAT, [seq, 1, batch, hidden]),
         helper.make_tensor_value_info("output_1", onnx.TensorProto.FLOAT, [1, batch, hidden]),
         helper.make_tensor_value_info("output_2", onnx.TensorProto.FLOAT, [1, batch, hidden])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(r, "R"), numpy_helper.from_array(b, "B")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    return [torch.randn(SEQ_LEN, BATCH, INPUT_SIZE)]


def get_init_inputs():
    return []
