import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import helper, numpy_helper

ONNX_OP = "STFT"
DOC_NOTE = (
    "Signal given as [batch, length, 1] (ONNX STFT's real-signal layout) instead of [4, 16000]; center=False "
    "because ONNX STFT has no padding (the export reflect-padded the signal first). Twin built with "
    "onnx.helper: one STFT node (onesided) with the Hann window (200 samples zero-padded to 256, as "
    "torch.stft pads it), frame_step and frame_length as initializers; the export gives 19 nodes."
)


class Model(nn.Module):
    """Short-time Fourier transform, onesided, no centering; output [batch, frames, bins, 2] (real, imag)."""

    def __init__(self, n_fft: int, hop_length: int, win_length: int):
        super().__init__()
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.register_buffer("window", torch.hann_window(win_length))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        spec = torch.stft(x[..., 0], self.n_fft, hop_length=self.hop_length, win_length=self.win_length,
                          window=self.window, center=False, onesided=True, return_complex=True)
        return torch.view_as_real(spec).transpose(1, 2).contiguous()  # [batch, frames, bins, 2]


def onnx_twin(model: Model, inputs: list) -> onnx.ModelProto:
    x = inputs[0]
    # torch.stft centres a shorter window inside the n_fft frame.
    left = (model.n_fft - model.win_length) // 2
    window = F.pad(model.window, (left, model.n_fft - model.win_length - left)).numpy()
    frames = (x.shape[1] - model.n_fft) // model.hop_length + 1
    inits = [
        numpy_helper.from_array(torch.tensor(model.hop_length, dtype=torch.int64).numpy(), "frame_step"),
        numpy_helper.from_array(window, "window"),
        numpy_helper.from_array(torch.tensor(model.n_fft, dtype=torch.int64).numpy(), "frame_length"),
    ]
    node = helper.make_node("STFT", ["input_0", "frame_step", "window", "frame_length"], ["output_0"], onesided=1)
    graph = helper.make_graph(
        [node], "Stft",
        [helper.make_tensor_value_info("input_0", onnx.TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("output_0", onnx.TensorProto.FLOAT,
                                       [x.shape[0], frames, model.n_fft // 2 + 1, 2])],
        inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=10)


def get_inputs():
    return [torch.randn(4, 16000, 1)]


def get_init_inputs():
    return [256, 64, 200]
