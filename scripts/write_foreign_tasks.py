# ruff: noqa: E501 - a table of task sources: one task per line reads better than wrapped strings
"""Write a KernelBench-format task directory as a third party would, for the 190 MobileKernelBench tasks.

    python scripts/write_foreign_tasks.py OUT_DIR [--subset]

The published task files could not be found in any public repository this project can read, so this
writes an equivalent set from what is known of them (task names, categories, input shapes and dtypes,
init arguments, and the ONNX ops a TorchScript export produced): plain ``torch.nn.Module`` files with
the natural torch call (``torch.acosh``, ``alpha * (a @ b)``, ``nn.BatchNorm2d`` in eval mode,
a depthwise-separable ``nn.Conv2d`` pair), default initialisation, ``torch.randn``-style inputs, and
none of this project's declarations (no ``ONNX_OP``, no ``onnx_twin`` hook, no tolerances). Shapes are
the published ones, which differ from ``bench_tasks/``. ``--subset`` writes only SUBSET, the files
kept under tests/data/foreign_tasks/ (every wrapper class the twin builder has to recognise).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def _file(doc: str, init: str, forward: str, inputs: str, init_inputs: str = "[]", extra: str = "") -> str:
    init = init or "super().__init__()"
    body = "\n".join("        " + line for line in init.splitlines())
    fwd = "\n".join("        " + line for line in forward.splitlines())
    return (f"{HEADER}{extra}\n\nclass Model(nn.Module):\n    \"\"\"{doc}\"\"\"\n\n"
            f"    def __init__(self, *args):\n{body}\n\n    def forward(self, *xs):\n{fwd}\n\n\n"
            f"def get_inputs():\n    return {inputs}\n\n\ndef get_init_inputs():\n    return {init_inputs}\n")


def unary(expr: str, inputs: str, doc: str = "Elementwise op.") -> str:
    return _file(doc, "", f"x, = xs\nreturn {expr}", inputs)


def binary(expr: str, inputs: str, doc: str = "Elementwise binary op.") -> str:
    return _file(doc, "", f"a, b = xs\nreturn {expr}", inputs)


def module(ctor: str, inputs: str, init_inputs: str, doc: str = "A torch.nn layer.", eval_: bool = False) -> str:
    init = f"super().__init__()\nself.op = {ctor}" + ("\nself.eval()" if eval_ else "")
    return _file(doc, init, "return self.op(*xs)", inputs, init_inputs)


def args_model(fields: str, expr: str, inputs: str, init_inputs: str, doc: str = "A torch op with arguments.") -> str:
    init = f"super().__init__()\n{fields} = args"
    return _file(doc, init, expr, inputs, init_inputs)


R = "torch.randn"
TASKS: dict[str, str] = {}


def add(task: str, source: str) -> None:
    TASKS[task] = source


# -- Activation ------------------------------------------------------------------------------------
add("Activation/Celu", module("nn.CELU(alpha=args[0])", "[torch.randn(128, 1024)]", "[1.0]"))
add("Activation/ELU", module("nn.ELU(alpha=args[0])", "[torch.randn(16, 64, 128)]", "[0.1]"))
add("Activation/HardSigmoid", module("nn.Hardsigmoid()", "[torch.randn(128, 1024)]", "[]"))
add("Activation/LogSoftmax", module("nn.LogSoftmax(dim=1)", "[torch.randn(32, 512)]", "[]"))
for k in range(3):
    add(f"Activation/LogSoftmax_axis_{k}", args_model("self.axis, = args", "x, = xs\nreturn torch.log_softmax(x, self.axis)",
                                                     "[torch.randn(8, 32, 64)]", f"[{k}]"))
add("Activation/PRelu", module("nn.PReLU(num_parameters=args[0])", "[torch.randn(64, 1024)]", "[1024]"))
add("Activation/Relu", unary("torch.relu(x)", "[torch.randn(64, 1024)]"))
add("Activation/Softmax", unary("torch.softmax(x, dim=-1)", "[torch.randn(64, 2048)]"))
add("Activation/Softplus_2d", module("nn.Softplus()", "[torch.randn(8, 128)]", "[]"))
add("Activation/Softplus_3d", module("nn.Softplus()", "[torch.randn(8, 128, 128)]", "[]"))

# -- Binary ----------------------------------------------------------------------------------------
add("Binary/Add", binary("a + b", "[torch.randn(4, 3, 64, 64), torch.randn(1, 3, 1, 1)]"))
add("Binary/Div", binary("a / b", "[torch.randn(4, 3, 64, 64), torch.randn(1, 3, 1, 1)]"))
add("Binary/Min", binary("torch.min(a, b)", "[torch.randn(16, 64, 512), torch.randn(16, 64, 512)]"))
add("Binary/Mod", args_model("self.fmod, = args",
                             "a, b = xs\nreturn torch.fmod(a, b) if self.fmod else torch.remainder(a, b)",
                             "[torch.randn(8, 256, 128), torch.randn(8, 256, 128)]", "[0]"))
add("Binary/Mul", binary("a * b", "[torch.randn(8, 256, 256), torch.randn(8, 256, 256)]"))
add("Binary/Mul_bcast", binary("a * b", "[torch.randn(8, 64, 64), torch.randn(64)]"))
add("Binary/Pow", binary("torch.pow(a, b)", "[torch.rand(8, 256, 256) + 0.5, torch.randn(8, 256, 256)]"))
add("Binary/Sub", binary("a - b", "[torch.randn(8, 128, 256), torch.randn(8, 128, 256)]"))

# -- Convolution -----------------------------------------------------------------------------------
CONV_ARGS = "self.group, self.pads, self.kernel_shape, self.strides, self.auto_pad, self.dilations"
add("Convolution/Conv", args_model(
    CONV_ARGS, "x, w, b = xs\nreturn F.conv2d(x, w, b, self.strides, self.pads[:2], self.dilations, self.group)",
    "[torch.randn(1, 3, 32, 32), torch.randn(16, 3, 3, 3), torch.randn(16)]",
    "[1, [1, 1, 1, 1], [], [1, 1], 'NOTSET', [1, 1]]"))
add("Convolution/Conv3D", module("nn.Conv3d(*args)", "[torch.randn(1, 32, 8, 16, 16)]",
                                 "[32, 64, (3, 3, 3), (1, 1, 1), (1, 1, 1), (1, 1, 1), 1, True]"))
add("Convolution/ConvTranspose_2D__asymmetric_input__asymmetric_kernel",
    module("nn.ConvTranspose2d(*args)", "[torch.randn(1, 16, 32, 32)]", "[16, 32, (3, 5)]"))
add("Convolution/ConvTranspose_dilations", args_model(
    "self.stride, self.bias, self.dilation, self.groups, self.padding",
    "x, w = xs\nreturn F.conv_transpose2d(x, w, self.bias, self.stride, self.padding, 0, self.groups, self.dilation)",
    "[torch.randn(1, 16, 32, 32), torch.randn(16, 4, 32, 32)]", "[(1, 1), None, (2, 2), 1, (0, 0)]"))
STRIDED = "self.strides, self.pads, self.dilations, self.group, self.kernel_shape"
STRIDED_FWD = "x, w = xs\nreturn F.conv2d(x, w, None, self.strides, self.pads[:2], self.dilations, self.group)"
add("Convolution/Conv_with_strides_no_padding", args_model(
    STRIDED, STRIDED_FWD, "[torch.randn(1, 8, 64, 64), torch.randn(4, 8, 64, 64)]",
    "[(2, 2), (0, 0, 0, 0), (1, 1), 1, (3, 3)]"))
add("Convolution/Conv_with_strides_padding", args_model(
    STRIDED, STRIDED_FWD, "[torch.randn(1, 16, 64, 64), torch.randn(4, 16, 3, 3)]",
    "[(2, 2), (1, 1, 1, 1), (1, 1), 1, (3, 3)]"))
add("Convolution/ConvolutionDepthwise", _file(
    "Depthwise-separable convolution: a depthwise k x k conv (groups = channels), then a pointwise 1x1 conv.",
    "super().__init__()\nc_in, c_out, k, stride, padding = args\n"
    "self.depthwise = nn.Conv2d(c_in, c_in, k, stride, padding, groups=c_in)\n"
    "self.pointwise = nn.Conv2d(c_in, c_out, 1)",
    "x, = xs\nreturn self.pointwise(self.depthwise(x))", "[torch.randn(1, 16, 64, 64)]", "[16, 32, 3, 1, 1]"))
DECONV_DW = ("super().__init__()\nc_in, c_out, k, stride, padding, output_padding, *rest = args\n"
             "self.op = nn.ConvTranspose2d(c_in, c_out, k, stride, padding, output_padding, groups=c_in, bias=False,\n"
             "                             dilation=rest[0] if rest else 1)")
add("Convolution/DeconvolutionDepthwise_2D_kernel", _file(
    "Depthwise transposed convolution.", DECONV_DW, "return self.op(*xs)", "[torch.randn(1, 32, 48, 48)]",
    "[32, 32, 5, 1, 2, 0, 1]"))
add("Convolution/DeconvolutionDepthwise_2D_stride", _file(
    "Depthwise transposed convolution.", DECONV_DW, "return self.op(*xs)", "[torch.randn(1, 64, 64, 64)]",
    "[64, 64, 3, 2, 1, 1]"))
add("Convolution/Deconvolution_1D", module("nn.ConvTranspose1d(*args)", "[torch.randn(1, 64, 1024)]", "[64, 64, 3]"))
add("Convolution/Deconvolution_2D__asymmetric_input__asymmetric_kernel",
    module("nn.ConvTranspose2d(*args)", "[torch.randn(1, 16, 64, 64)]", "[16, 64, (3, 5)]"))
add("Convolution/Deconvolution_2D_asymmetric_input_square_kernel___dilated____padded____strided__",
    module("nn.ConvTranspose2d(args[0], args[1], args[2], stride=args[3], padding=args[4], dilation=args[5])",
           "[torch.randn(1, 16, 32, 64)]", "[16, 32, 3, 5, 1, 2]"))
add("Convolution/Dense_Convolution_1D", module("nn.Conv1d(*args)", "[torch.randn(1, 64, 256)]", "[64, 128, 3]"))
add("Convolution/Dense_Convolution_2D", module("nn.Conv2d(*args)", "[torch.randn(1, 16, 64, 64)]", "[16, 64, 3, 1, 1]"))
add("Convolution/Dense_Convolution_2D__asymmetric_input__square_kernel",
    module("nn.Conv2d(*args)", "[torch.randn(1, 32, 64, 128)]", "[32, 64, 3]"))
add("Convolution/Dense_Convolution_2D_kernel",
    module("nn.Conv2d(args[0], args[1], kernel_size=7)", "[torch.randn(1, 3, 224, 224)]", "[3, 32]"))
GROUPED = "nn.Conv2d(args[0], args[1], args[2], stride=args[4], padding=args[5], groups=args[3])"
add("Convolution/Group_Convolution_2D", module(GROUPED, "[torch.randn(1, 16, 64, 64)]", "[16, 32, 3, 4, 1, 1]"))
add("Convolution/Group_Convolution_2D_kernel", module(GROUPED, "[torch.randn(1, 24, 64, 64)]", "[24, 24, 5, 12, 1, 2]"))
add("Convolution/Strassen_Convolution_2D",
    module("nn.Conv2d(args[0], args[1], 3, padding=1, bias=False)", "[torch.randn(1, 64, 56, 56)]", "[64, 128]"))
add("Convolution/Winograd_Convolution_2D",
    module("nn.Conv2d(args[0], args[1], 3, bias=args[2])", "[torch.randn(1, 16, 224, 224)]", "[16, 32, True]"))
add("Convolution/Winograd_Convolution_2D_padding",
    module("nn.Conv2d(args[0], args[1], 3, padding=1)", "[torch.randn(1, 16, 64, 64)]", "[16, 16]"))

# -- Logic -----------------------------------------------------------------------------------------
def _bools(*shape: int) -> str:
    return f"torch.randint(0, 2, {shape}).bool()"


def _ints(*shape: int) -> str:
    return f"torch.randint(0, 1 << 20, {shape}, dtype=torch.int32)"


add("Logic/And", binary("torch.logical_and(a, b)", f"[{_bools(4, 32, 32)}, {_bools(4, 32, 32)}]"))
add("Logic/BitWiseOr", binary("torch.bitwise_or(a, b)", f"[{_ints(8, 128, 256)}, {_ints(8, 128, 256)}]"))
add("Logic/BitWiseXor", binary("torch.bitwise_xor(a, b)", f"[{_ints(8, 128, 512)}, {_ints(8, 128, 512)}]"))
add("Logic/BitwiseAnd", binary("torch.bitwise_and(a, b)", f"[{_ints(8, 32, 64)}, {_ints(8, 32, 64)}]"))
add("Logic/Equal", binary("torch.eq(a, b)", "[torch.randint(0, 4, (4, 3, 64, 128)).float(), "
                                            "torch.randint(0, 4, (4, 3, 64, 128)).float()]"))
for name, fn, shape in (("Greater", "gt", (8, 128, 512)), ("GreaterEqual", "ge", (8, 256, 256)),
                        ("Less", "lt", (8, 256, 256)), ("LessEqual", "le", (8, 256, 256))):
    add(f"Logic/{name}", binary(f"torch.{fn}(a, b)", f"[torch.randn{shape}, torch.randn{shape}]"))
add("Logic/LogicalXor", binary("torch.logical_xor(a, b)", "[(torch.rand(8, 128, 128) > 0.5).float(), "
                                                         "(torch.rand(8, 128, 128) > 0.5).float()]"))
add("Logic/LogicalXor3d", binary("torch.logical_xor(a, b)", f"[{_bools(16, 128, 64)}, {_bools(16, 128, 64)}]"))
add("Logic/LogicalXor_2d", binary("torch.logical_xor(a, b)", f"[{_bools(64, 512)}, {_bools(64, 512)}]"))
add("Logic/Not", unary("torch.logical_not(x)", "[torch.randint(0, 2, (8, 64, 64)).float()]"))

# -- Matrix ----------------------------------------------------------------------------------------
add("Matrix/Det", unary("torch.det(x)", "[torch.randn(512, 512)]"))
add("Matrix/Det_2d", unary("torch.det(x)", "[torch.randn(64, 512, 512)]"))
add("Matrix/Det_3d", unary("torch.det(x)", "[torch.randn(4, 128, 64, 64)]"))
for name, eq, inputs in (("Einsum", "ij,jk->ik", "[torch.randn(32, 64), torch.randn(64, 128)]"),
                         ("Einsum_diagonal", "ii->i", "[torch.randn(1024, 1024)]"),
                         ("Einsum_elementwise", "ij,ij->ij", "[torch.randn(256, 256), torch.randn(256, 256)]"),
                         ("Einsum_sum_all", "ij->", "[torch.randn(64, 256)]"),
                         ("Einsum_transpose", "ij->ji", "[torch.randn(64, 256)]")):
    add(f"Matrix/{name}", args_model("self.equation, = args", "return torch.einsum(self.equation, *xs)",
                                     inputs, f"[{eq!r}]"))
LINEAR = ("super().__init__()\nin_features, out_features, self.alpha, self.beta, bias = args\n"
          "self.linear = nn.Linear(in_features, out_features, bias=bias)")
add("Matrix/Gemm", _file("Y = alpha * (x @ W^T + b)", LINEAR, "x, = xs\nreturn self.alpha * self.linear(x)",
                         "[torch.randn(32, 512)]", "[512, 256, 1.0, 1.0, True]"))
ADDMM = ("super().__init__()\nself.alpha, self.beta, self.trans_a, self.trans_b = args")
ADDMM_FWD = ("a, b, c = xs\na = a.t() if self.trans_a else a\nb = b.t() if self.trans_b else b\n"
             "return torch.addmm(c, a, b, beta=self.beta, alpha=self.alpha)")
add("Matrix/Gemm_alpha", _file("Y = alpha * A @ B + beta * C", ADDMM,
                               "a, b, c = xs\nreturn self.alpha * (a @ b) + self.beta * c",
                               "[torch.randn(8, 64), torch.randn(64, 128), torch.randn(1, 128)]", "[0.5, 1.0, 0, 0]"))
add("Matrix/Gemm_beta", _file("Y = alpha * A @ B + beta * C", ADDMM,
                              "a, b, c = xs\nreturn torch.addmm(self.beta * c, a, b, alpha=self.alpha)",
                              "[torch.randn(8, 64), torch.randn(64, 64), torch.randn(1, 64)]", "[1, 0.5, 0, 0]"))
add("Matrix/Gemm_no_bias", _file(
    "Y = alpha * A @ B", "super().__init__()\nself.alpha, self.trans_a, self.trans_b = args",
    "a, b = xs\na = a.t() if self.trans_a else a\nb = b.t() if self.trans_b else b\nreturn self.alpha * (a @ b)",
    "[torch.randn(16, 128), torch.randn(128, 32)]", "[1.0, 0, 0]"))
add("Matrix/Gemm_scalar_bias", _file(
    "Y = alpha * (x @ W^T) + beta * b with a scalar b",
    "super().__init__()\nin_features, out_features, self.alpha, self.beta, bias = args\n"
    "self.weight = nn.Parameter(torch.randn(out_features, in_features) / in_features ** 0.5)\n"
    "self.bias = nn.Parameter(torch.randn(())) if bias else None",
    "x, = xs\nreturn self.alpha * torch.addmm(self.bias, x, self.weight.t(), beta=self.beta)",
    "[torch.randn(32, 256)]", "[256, 512, 1.0, 1.0, True]"))
add("Matrix/Gemm_transposed", _file(
    "Y = alpha * (x^T @ W^T + b)",
    "super().__init__()\nin_features, out_features, self.alpha = args\nself.linear = nn.Linear(in_features, out_features)",
    "x, = xs\nreturn self.alpha * self.linear(x.t())", "[torch.randn(128, 32)]", "[128, 256, 1.5]"))
for name, inputs in (("MatMul", "[torch.randn(256, 128), torch.randn(128, 256)]"),
                     ("MatMul_1d_3d", "[torch.randn(16), torch.randn(32, 16, 64)]"),
                     ("MatMul_3d", "[torch.randn(8, 16, 32), torch.randn(8, 32, 64)]"),
                     ("MatMul_bcast", "[torch.randn(8, 1, 16, 32), torch.randn(1, 8, 32, 32)]"),
                     ("MatMul_square", "[torch.randn(128, 128), torch.randn(128, 128)]")):
    add(f"Matrix/{name}", binary("torch.matmul(a, b)", inputs))

# -- Normalization ---------------------------------------------------------------------------------
X1 = "[torch.randn(1, 32, 128, 128)]"
add("Normalization/BatchNormalization", module("nn.BatchNorm2d(*args)", X1, "[32]", eval_=True))
add("Normalization/BatchNormalization_epsilon", module("nn.BatchNorm2d(args[0], eps=args[1])", X1, "[32, 0.001]",
                                                       eval_=True))
add("Normalization/BatchNormalization_momentum", module("nn.BatchNorm2d(args[0], momentum=args[1])", X1, "[32, 0.2]",
                                                        eval_=True))
add("Normalization/InstanceNormalization", module("nn.InstanceNorm2d(*args)", "[torch.randn(1, 32, 64, 64)]", "[32]"))
add("Normalization/InstanceNormalization_1d", module("nn.InstanceNorm1d(args[0], eps=args[1], affine=args[2])",
                                                     "[torch.randn(1, 32, 128)]", "[32, 1e-05, False]"))
add("Normalization/InstanceNormalization_3d", module("nn.InstanceNorm3d(args[0], eps=args[1], affine=args[2])",
                                                     "[torch.randn(1, 1, 8, 64, 64)]", "[1, 1e-05, False]"))
add("Normalization/LayerNorm", module("nn.LayerNorm(*args)", "[torch.randn(1, 16, 64, 64)]", "[64]"))
for name, inputs, init in (("LayerNorm_1d", "[torch.randn(1, 128, 512)]", "[512, 1e-05, True]"),
                           ("LayerNorm_3d", "[torch.randn(1, 8, 32, 32)]", "[(32, 32), 1e-05, True]"),
                           ("LayerNorm_eps", "[torch.randn(1, 128, 256)]", "[256, 0.001, True]"),
                           ("LayerNorm_vision", "[torch.randn(1, 196, 768)]", "[768, 1e-05, True]")):
    add(f"Normalization/{name}", module("nn.LayerNorm(args[0], eps=args[1], elementwise_affine=args[2])", inputs, init))
add("Normalization/LayerNorm_no_affine", module("nn.LayerNorm(args[0], elementwise_affine=False)",
                                                "[torch.randn(1, 256, 512)]", "[512]"))

# -- Others ----------------------------------------------------------------------------------------
add("Others/LSTM", _file("One-layer LSTM, zero initial state; returns the output sequence.",
                         "super().__init__()\nself.lstm = nn.LSTM(16, 32)",
                         "x, = xs\ny, _ = self.lstm(x)\nreturn y", "[torch.randn(1, 1, 16)]"))
add("Others/RNN", _file("One-layer tanh RNN with a given initial state; returns the output sequence.",
                        "super().__init__()\nself.rnn = nn.RNN(10, 20)",
                        "x, h0 = xs\ny, _ = self.rnn(x, h0)\nreturn y", "[torch.randn(8, 1, 10), torch.randn(1, 1, 20)]"))
add("Others/ROIAlign", _file(
    "RoI Align (torchvision.ops.RoIAlign, aligned=True).",
    "super().__init__()\nself.op = RoIAlign(output_size=(7, 7), spatial_scale=0.25, sampling_ratio=2, aligned=True)",
    "x, boxes = xs\nreturn self.op(x, boxes)",
    "[torch.randn(2, 32, 56, 56), torch.cat([torch.randint(0, 2, (8, 1)).float(), torch.rand(8, 2) * 100,\n"
    "                                          torch.rand(8, 2) * 100 + 100], dim=1)]",
    extra="from torchvision.ops import RoIAlign\n"))
add("Others/Stft", _file(
    "Short-time Fourier transform (Hann window), real and imaginary parts last.",
    "super().__init__()\nself.n_fft, self.hop_length, self.win_length = args\n"
    "self.register_buffer('window', torch.hann_window(self.win_length))",
    "x, = xs\nreturn torch.stft(x, self.n_fft, self.hop_length, self.win_length, self.window, center=False,\n"
    "                  return_complex=False)",
    "[torch.randn(4, 16000)]", "[256, 64, 200]"))

# -- Pooling ---------------------------------------------------------------------------------------
add("Pooling/AveragePool", module("nn.AvgPool2d(args[0])", "[torch.randn(1, 16, 64, 64)]", "[11]"))
add("Pooling/AveragePool_2d_ceil", module("nn.AvgPool2d(args[0], ceil_mode=True)", "[torch.randn(1, 16, 64, 64)]",
                                          "[11]"))
add("Pooling/AveragePool_2d_strides", module("nn.AvgPool2d(args[0], stride=args[1])", "[torch.randn(1, 32, 64, 64)]",
                                             "[11, 3]"))
for name, shape in (("GlobalAveragePool", (1, 3, 128, 128)), ("GlobalAveragePool_2d", (1, 3, 128, 128)),
                    ("GlobalAveragePool_2d_single_channel", (1, 3, 64, 64))):
    add(f"Pooling/{name}", module("nn.AdaptiveAvgPool2d(1)", f"[torch.randn{shape}]", "[]"))
add("Pooling/GlobalAveragePool_3d", module("nn.AdaptiveAvgPool3d(1)", "[torch.randn(1, 3, 16, 64, 64)]", "[]"))
add("Pooling/GlobalMaxPool", module("nn.AdaptiveMaxPool2d(1)", "[torch.randn(1, 3, 128, 128)]", "[]"))
add("Pooling/GlobalMaxPool_2d_single_channel", module("nn.AdaptiveMaxPool2d(1)", "[torch.randn(1, 3, 128, 64)]", "[]"))
add("Pooling/GlobalMaxPool_3d", module("nn.AdaptiveMaxPool3d(1)", "[torch.randn(1, 256, 16, 8, 8)]", "[]"))
add("Pooling/MaxPool", module("nn.MaxPool2d(args[0])", "[torch.randn(1, 16, 64, 64)]", "[11]"))
add("Pooling/MaxPool_2d_ceil", module("nn.MaxPool2d(args[0], args[1], padding=args[2] or 0, ceil_mode=bool(args[3]))",
                                      "[torch.randn(1, 3, 32, 32)]", "[(3, 3), (2, 2), None, 1]"))
add("Pooling/MaxPool_2d_dilations", module("nn.MaxPool2d(args[0], args[1], padding=args[2] or 0, dilation=args[3])",
                                           "[torch.randn(1, 3, 32, 32)]", "[(2, 2), (1, 1), None, (2, 2)]"))
add("Pooling/MaxPool_2d_same_lower", module("nn.MaxPool2d(args[0], args[1], padding=args[2] or 0)",
                                            "[torch.randn(1, 3, 32, 32)]", "[(2, 2), (1, 1), None, 'SAME_LOWER']"))
add("Pooling/MaxPool_2d_strides", module("nn.MaxPool2d(args[0], args[1], padding=args[2] or 0)",
                                         "[torch.randn(1, 3, 32, 32)]", "[(5, 5), (3, 3), None]"))

# -- Reduction -------------------------------------------------------------------------------------
X3 = "[torch.randn(16, 128, 127)]"
for op in ("ArgMax", "ArgMin"):
    fn = op.lower()
    add(f"Reduction/{op}", args_model("self.dim, = args", f"x, = xs\nreturn torch.{fn}(x, dim=self.dim)", X3, "[1]"))
    add(f"Reduction/{op}_default_axis_example", unary(f"torch.{fn}(x)", X3))
    add(f"Reduction/{op}_keepdims_example", unary(f"torch.{fn}(x, dim=1, keepdim=True)", X3))
    add(f"Reduction/{op}_negative_axis_keepdims_example", unary(f"torch.{fn}(x, dim=-1, keepdim=True)", X3))
DIM_KEEP = "self.dim, self.keepdim = args"
for name, p, shape, init in (("ReduceL1_2d_input", 1, (64, 128), "[1, 0]"),
                             ("ReduceL1_multiple_axes", 1, (2, 3, 4), "[(0, 2), 0]"),
                             ("ReduceL1_negative_axes_keepdims", 1, (8, 64, 64), "[-1, 1]"),
                             ("ReduceL2", 2, (2, 3, 4), "[(1,), True]"), ("ReduceL2_2d_input", 2, (64, 128), "[1, 0]"),
                             ("ReduceL2_multiple_axes", 2, (2, 3, 4), "[(0, 2), 0]")):
    add(f"Reduction/{name}", args_model(DIM_KEEP, f"x, = xs\nreturn torch.norm(x, p={p}, dim=self.dim, "
                                                  "keepdim=bool(self.keepdim))", f"[torch.randn{shape}]", init))
add("Reduction/ReduceL2_keepdims", args_model("self.dim, = args", "x, = xs\nreturn torch.norm(x, p=2, dim=self.dim, "
                                                                  "keepdim=True)", "[torch.randn(2, 3, 4)]", "[1]"))
for name, shape, init in (("ReduceLogSumExp", (2, 3, 4), "[[0, 2], 1]"), ("ReduceLogSumExp_2d_input", (64, 128), "[1, 0]"),
                          ("ReduceLogSumExp_multiple_axes", (2, 3, 4), "[(0, 2), 0]")):
    add(f"Reduction/{name}", args_model(DIM_KEEP, "x, = xs\nreturn torch.logsumexp(x, self.dim, bool(self.keepdim))",
                                        f"[torch.randn{shape}]", init))
add("Reduction/ReduceLogSumExp_keepdims", args_model("self.dim, = args", "x, = xs\nreturn torch.logsumexp(x, self.dim, "
                                                                         "keepdim=True)", "[torch.randn(2, 3, 4)]", "[1]"))
for name, fn, shape, init, scale in (
        ("ReduceMax", "amax", (16, 128, 128, 64), "[1, False]", ""),
        ("ReduceMax_with_negative_values", "amax", (16, 128, 128, 64), "[1, False]", " - 10"),
        ("ReduceMean", "mean", (16, 128, 128, 64), "[1, False]", ""),
        ("ReduceMean_multiple_axes", "mean", (8, 128, 64, 64), "[(2, 3), False]", ""),
        ("ReduceMin", "amin", (8, 64, 64, 64), "[1, False]", ""),
        ("ReduceMin_with_negative_values", "amin", (16, 128, 128, 64), "[1, False]", " - 10"),
        ("ReduceProd", "prod", (8, 64, 32, 32), "[1, False]", ""),
        ("ReduceSum", "sum", (8, 128, 64, 32), "[1, False]", ""),
        ("ReduceSum_multiple_axes", "sum", (1, 128, 64, 64), "[(2, 3), False]", "")):
    add(f"Reduction/{name}", args_model(DIM_KEEP, f"x, = xs\nreturn torch.{fn}(x, self.dim, keepdim=self.keepdim)",
                                        f"[torch.randn{shape}{scale}]", init))
for name, fn, shape in (("ReduceMean_keepdims", "mean", (8, 64, 256, 256)), ("ReduceProd_keepdims", "prod", (16, 64, 64, 32))):
    add(f"Reduction/{name}", args_model("self.dim, = args", f"x, = xs\nreturn torch.{fn}(x, self.dim, keepdim=True)",
                                        f"[torch.randn{shape}]", "[1]"))
add("Reduction/ReduceL1", args_model(
    DIM_KEEP, "x, = xs\ny = torch.norm(x.reshape(x.shape[0], -1), p=1, dim=self.dim, keepdim=bool(self.keepdim))\n"
    "return y.reshape(1, *x.shape[1:])", "[torch.randn(2, 3, 4)]", "[0, 1]"))
add("Reduction/ReduceProd_1d", args_model(DIM_KEEP, "x, = xs\nreturn torch.prod(x, self.dim, self.keepdim).unsqueeze(0)",
                                          "[torch.randn(4096)]", "[0, False]"))
add("Reduction/ReduceMax_empty_axes", unary("torch.max(x).unsqueeze(0)", "[torch.randn(16, 128, 128, 64)]"))
add("Reduction/ReduceMin_empty_axes", unary("torch.min(x).reshape([1] * x.dim())", "[torch.randn(8, 64, 32, 32)]"))
add("Reduction/ReduceSum_empty_axes", unary("torch.sum(x)", "[torch.randn(1, 64, 32, 8)]"))

# -- Tensor ----------------------------------------------------------------------------------------
add("Tensor/Cast", args_model("self.dtype, = args", "x, = xs\nreturn x.to(getattr(torch, self.dtype))",
                              "[torch.randn(8, 512, 256)]", "['float16']"))
add("Tensor/Clip", args_model("self.lo, self.hi = args", "x, = xs\nreturn torch.clamp(x, self.lo, self.hi)",
                              "[torch.randn(16, 32, 128, 256)]", "[-0.5, 0.5]"))
add("Tensor/Concat", args_model("self.dim, = args", "return torch.cat(xs, dim=self.dim)",
                                "[torch.randn(16, 128, 64), torch.randn(16, 128, 64), torch.randn(16, 128, 64)]", "[0]"))
add("Tensor/CumSum", unary("torch.cumsum(x, dim=0)", "[torch.randn(16, 32, 32)]"))
add("Tensor/DepthToSpace", args_model("self.block, = args", "x, = xs\nreturn F.pixel_shuffle(x, self.block)",
                                      "[torch.randn(4, 128, 16, 16)]", "[4]"))
add("Tensor/Gather", args_model("self.dim, = args", "x, idx = xs\nreturn torch.index_select(x, self.dim, idx)",
                                "[torch.randn(8, 64, 64), torch.randint(0, 64, (3,))]", "[1]"))
add("Tensor/GatherElements", args_model("self.dim, = args", "x, idx = xs\nreturn torch.gather(x, self.dim, idx)",
                                        "[torch.randn(16, 64, 64), torch.randint(0, 64, (16, 64, 64))]", "[1]"))
add("Tensor/GridSample", args_model(
    "self.mode, self.padding_mode, self.align_corners",
    "x, grid = xs\nreturn F.grid_sample(x, grid, self.mode, self.padding_mode, self.align_corners)",
    "[torch.randn(1, 3, 32, 64), torch.rand(1, 4, 4, 2) * 2 - 1]", "['bilinear', 'zeros', False]"))
add("Tensor/OneHot", args_model("self.n, = args", "x, = xs\nreturn F.one_hot(x, self.n)",
                                "[torch.randint(0, 10, (16, 128))]", "[10]"))
add("Tensor/Range", _file("torch.arange(start, limit, delta).", "", "start, limit, delta = xs\n"
                          "return torch.arange(start, limit, delta)",
                          "[torch.tensor(1.0), torch.tensor(129.0), torch.tensor(0.25)]"))
add("Tensor/Reshape", args_model("self.shape, = args", "x, = xs\nreturn x.reshape(self.shape)",
                                 "[torch.randn(16, 8, 64, 64)]", "[(16, -1)]"))
add("Tensor/ScatterElements", args_model(
    "self.dim, = args", "x, idx, src = xs\nreturn torch.scatter(x, self.dim, idx, src)",
    "[torch.randn(8, 64, 64), torch.argsort(torch.rand(8, 64, 64), dim=1), torch.randn(8, 64, 64)]", "[1]"))
add("Tensor/Slice", args_model("self.dim, self.start, self.end = args",
                               "x, = xs\nreturn x.narrow(self.dim, self.start, self.end - self.start)",
                               "[torch.randn(2, 10, 4, 4)]", "[1, 3, 6]"))
add("Tensor/StridedSlice", args_model("self.dim, self.start, self.end = args",
                                      "x, = xs\nreturn x[:, self.start:self.end:2]",
                                      "[torch.randn(32, 8, 64, 64)]", "[1, 3, 6]"))
add("Tensor/Tile", args_model("self.reps, = args", "x, = xs\nreturn x.repeat(*self.reps)",
                              "[torch.randn(16, 64, 64)]", "[(1, 2, 3)]"))
TOPK = "x, = xs\nreturn torch.topk(x, self.k, dim=self.dim, sorted=self.sorted)"
add("Tensor/TopK", _file("torch.topk", "super().__init__()\nself.k, = args\nself.dim, self.sorted = -1, True", TOPK, "[torch.randn(64, 1024)]",
                              "[10]"))
add("Tensor/TopK_3d", _file("torch.topk", "super().__init__()\nself.k, self.dim = args\nself.sorted = True", TOPK, "[torch.randn(16, 64, 128)]",
                                 "[10, -1]"))
add("Tensor/TopK_dim0", _file("torch.topk", "super().__init__()\nself.k, self.dim = args\nself.sorted = True", TOPK, "[torch.randn(32, 256)]",
                                   "[10, 0]"))
add("Tensor/TopK_indices", args_model("self.k, self.dim = args", "x, = xs\nreturn torch.topk(x, self.k, self.dim)[1]",
                                      "[torch.randn(32, 256)]", "[10, -1]"))
add("Tensor/TopK_sorted", args_model("self.k, self.dim, self.sorted = args", TOPK, "[torch.randn(32, 256)]",
                                     "[10, -1, True]"))
add("Tensor/Trilu_lower", args_model("self.upper, = args",
                                     "x, = xs\nreturn torch.triu(x) if self.upper else torch.tril(x)",
                                     "[torch.randint(-100, 100, (32, 64))]", "[0]"))
add("Tensor/Trilu_uppper", args_model("self.upper, = args",
                                      "x, = xs\nreturn torch.triu(x) if self.upper else torch.tril(x)",
                                      "[torch.randint(-100, 100, (32, 64))]", "[1]"))
UNIQUE = "x, = xs\nreturn torch.unique(x, sorted=bool(self.sorted), dim=self.dim)"
add("Tensor/Unique", args_model("self.dim, self.sorted = args", UNIQUE, "[torch.randn(32, 512, 512)]", "[0, 1]"))
add("Tensor/Unique_sorted_with_axis", args_model("self.dim, self.sorted = args", UNIQUE,
                                                 "[torch.randint(0, 2, (64, 512)).float()]", "[0, True]"))
add("Tensor/Unique_sorted_with_axis_3d", args_model("self.dim, self.sorted = args", UNIQUE,
                                                    "[torch.randint(0, 2, (16, 64, 128)).float()]", "[1, True]"))
WHERE = "c, x, y = xs\nreturn torch.where(c, x, y)"
add("Tensor/Where", _file("torch.where", "", WHERE, "[torch.rand(32, 512, 512) > 0.5, torch.randn(32, 512, 512), "
                                                    "torch.randn(32, 512, 512)]"))
add("Tensor/Where_broadcast", _file("torch.where", "", WHERE, "[torch.rand(8, 1, 1) > 0.5, torch.randn(8, 64, 512), "
                                                              "torch.randn(8, 64, 512)]"))
add("Tensor/Where_scalar", _file("torch.where", "", WHERE, "[torch.rand(4, 128, 128) > 0.5, torch.randn(()), "
                                                           "torch.randn(())]"))

# -- Trigonometry / Unary --------------------------------------------------------------------------
for name, fn, inputs in (
        ("ATan", "atan", "torch.randn(16, 128, 512)"), ("Acos", "acos", "torch.rand(16, 128, 128) * 2 - 1"),
        ("Acosh", "acosh", "torch.rand(8, 64, 64) * 9 + 1"), ("Asin", "asin", "torch.rand(16, 512, 256) * 2 - 1"),
        ("Asinh", "asinh", "torch.randn(8, 128, 256)"), ("Atanh", "atanh", "torch.rand(8, 64, 64) * 1.8 - 0.9"),
        ("Cos", "cos", "torch.randn(16, 256, 256)"), ("Cosh", "cosh", "torch.randn(8, 128, 256)"),
        ("Sin", "sin", "torch.randn(16, 32, 32)"), ("Sinh", "sinh", "torch.randn(8, 512, 512)"),
        ("Tan", "tan", "torch.rand(16, 256, 256) * 2 - 1"), ("Tanh", "tanh", "torch.randn(8, 128, 256)")):
    add(f"Trigonometry/{name}", unary(f"torch.{fn}(x)", f"[{inputs}]"))
for name, fn, inputs in (
        ("Abs", "abs", "torch.randn(16, 8, 256, 256)"), ("Ceil", "ceil", "torch.randn(8, 128, 256) * 10"),
        ("Erf", "erf", "torch.randn(1, 64, 64)"), ("Exp", "exp", "torch.randn(16, 512, 512)"),
        ("Floor", "floor", "torch.randn(8, 256, 512) * 10"), ("Log", "log", "torch.rand(8, 64, 256) + 0.01"),
        ("Neg", "neg", "torch.randn(8, 256, 256)"), ("Reciprocal", "reciprocal", "torch.randn(2, 64, 128)"),
        ("Round", "round", "torch.randn(8, 512, 512) * 10"), ("Sign", "sign", "torch.randn(8, 128, 256)"),
        ("Sqrt", "sqrt", "torch.rand(8, 64, 64) * 10")):
    add(f"Unary/{name}", unary(f"torch.{fn}(x)", f"[{inputs}]"))

# Kept under tests/data/foreign_tasks/: every wrapper class the twin builder recognises, every exporter
# fallback, the shape-generic kernels (TopK, Unique), Det's non-finite values, the torchvision refusal,
# the files that still need a hook, and a few single-node tasks per category as controls.
SUBSET = (
    "Activation/LogSoftmax_axis_0", "Activation/PRelu", "Binary/Mod", "Binary/Mul_bcast",
    "Convolution/ConvolutionDepthwise", "Convolution/DeconvolutionDepthwise_2D_stride", "Convolution/Conv",
    "Logic/And", "Logic/BitWiseOr", "Logic/BitWiseXor", "Logic/LogicalXor", "Logic/LogicalXor_2d", "Logic/Not",
    "Matrix/Det_3d", "Matrix/Gemm", "Matrix/Gemm_alpha", "Matrix/Gemm_beta", "Matrix/Gemm_no_bias",
    "Matrix/Gemm_scalar_bias", "Matrix/Gemm_transposed", "Matrix/MatMul_1d_3d",
    "Normalization/BatchNormalization_epsilon", "Normalization/InstanceNormalization_1d",
    "Others/LSTM", "Others/RNN", "Others/ROIAlign", "Others/Stft", "Pooling/GlobalMaxPool_3d",
    "Reduction/ArgMax_default_axis_example", "Reduction/ArgMin_keepdims_example", "Reduction/ReduceL1",
    "Reduction/ReduceMin_empty_axes", "Reduction/ReduceProd_1d", "Reduction/ReduceSum_empty_axes",
    "Tensor/Range", "Tensor/Tile", "Tensor/TopK_3d", "Tensor/TopK_dim0", "Tensor/TopK_indices",
    "Tensor/Unique_sorted_with_axis", "Tensor/Unique_sorted_with_axis_3d", "Tensor/Where_scalar",
    "Trigonometry/Acosh", "Trigonometry/Atanh", "Trigonometry/Cosh", "Unary/Round",
)


def write(out: Path, names: tuple[str, ...] | None = None) -> list[Path]:
    written = []
    for task, source in sorted(TASKS.items()):
        if names is not None and task not in names:
            continue
        path = out / f"{task}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--subset", action="store_true", help="only the files kept as the test fixture")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    written = write(args.out, SUBSET if args.subset else None)
    print(f"wrote {len(written)} task files below {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
