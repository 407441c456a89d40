"""twin.make without a hook: one operator out of a wrapped export, exporter fallbacks, one-line refusals.

Every twin here is run under onnxruntime on the adapted inputs and compared with PyTorch's outputs in
the node's layout: the same check materialize makes, without compiling anything.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
ort = pytest.importorskip("onnxruntime")
nn = torch.nn

from pytest_mobilekernel import twin  # noqa: E402
from pytest_mobilekernel.errors import TaskError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class Fn(nn.Module):
    def __init__(self, fn: Any, **params: Any) -> None:
        super().__init__()
        self.fn = fn
        for name, value in params.items():
            setattr(self, name, value)

    def forward(self, *xs: Any) -> Any:
        return self.fn(self, *xs)


def twin_of(model: Any, inputs: list[Any]) -> tuple[Any, Any]:
    model = model.eval()
    with torch.no_grad():
        out = model(*inputs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    proto = twin.make("T/t", object(), model, inputs, len(outs), 20)
    node = twin.single_node(proto, None, "T/t")
    adapters = twin.Adapters.from_proto(proto)
    sess = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    tensors = [x.numpy() for x in inputs if isinstance(x, torch.Tensor)]
    feed = {i.name: adapters.adapt_input(int(i.name.split("_")[1]), tensors[int(i.name.split("_")[1])])
            for i in sess.get_inputs()}
    got = sess.run(None, feed)
    for j, (g, o) in enumerate(zip(got, outs)):
        expect = adapters.reference(j, o.detach().numpy())
        assert g.shape == expect.shape, (node.op_type, g.shape, expect.shape)
        np.testing.assert_allclose(g.astype(np.float64), expect.astype(np.float64), rtol=1e-4, atol=1e-4)
    return node, adapters


def attr(node: Any, name: str, default: Any = 0) -> Any:
    from onnx import helper

    return next((helper.get_attribute_value(a) for a in node.attribute if a.name == name), default)


def test_batchnorm_behind_identities_is_one_node() -> None:
    bn = nn.BatchNorm2d(5, eps=1e-3)
    with torch.no_grad():
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.5, 2)
    node, adapters = twin_of(Fn(lambda m, x: m.bn(x), bn=bn), [torch.randn(2, 5, 7, 3)])
    assert node.op_type == "BatchNormalization" and adapters.trivial()


@pytest.mark.parametrize("dtype", [torch.float32, torch.bool])
def test_casts_to_bool_become_bool_graph_inputs(dtype: Any) -> None:
    a, b = (torch.randint(0, 2, (3, 17)).to(dtype) for _ in range(2))
    node, adapters = twin_of(Fn(lambda m, a, b: torch.logical_xor(a, b)), [a, b])
    assert node.op_type == "Xor"
    if dtype == torch.float32:  # the inputs are cast on the way in, as the export's Casts did
        assert adapters.inputs == [{"shape": [3, 17], "dtype": "bool"}] * 2
    node, _ = twin_of(Fn(lambda m, x: torch.logical_not(x)), [a])
    assert node.op_type == "Not"


def test_flattening_argmax_takes_the_flattened_input() -> None:
    node, adapters = twin_of(Fn(lambda m, x: torch.argmax(x)), [torch.randn(4, 5, 7)])
    assert node.op_type == "ArgMax" and adapters.inputs == [{"shape": [140], "dtype": "float32"}]


def test_reduction_with_unsqueeze_and_reshapes_around() -> None:
    node, adapters = twin_of(Fn(lambda m, x: torch.max(x).unsqueeze(0)), [torch.randn(3, 5, 2)])
    assert node.op_type == "ReduceMax" and adapters.outputs[0][0][0] == "reshape"
    fn = Fn(lambda m, x: torch.norm(x.reshape(x.shape[0], -1), p=1, dim=0, keepdim=True).reshape(1, *x.shape[1:]))
    node, adapters = twin_of(fn, [torch.randn(2, 3, 5)])
    assert node.op_type == "ReduceL1"


@pytest.mark.parametrize("case, alpha, beta", [
    ("linear*alpha", 1.5, 1.5),  # the Mul after Gemm scales bias too
    ("alpha*(a@b)", 0.25, None),
    ("alpha*(a@b)+beta*c", 0.5, 2.0),
    ("addmm(beta*c)", 1.0, 0.5),
])
def test_scalar_scales_fold_into_gemm_alpha_and_beta(case: str, alpha: float, beta: float | None) -> None:
    a, b, c = torch.randn(6, 9), torch.randn(9, 5), torch.randn(1, 5)
    lin = nn.Linear(9, 5)
    model, inputs = {
        "linear*alpha": (Fn(lambda m, x: 1.5 * m.lin(x), lin=lin), [a]),
        "alpha*(a@b)": (Fn(lambda m, a, b: 0.25 * (a @ b)), [a, b]),
        "alpha*(a@b)+beta*c": (Fn(lambda m, a, b, c: 0.5 * (a @ b) + 2.0 * c), [a, b, c]),
        "addmm(beta*c)": (Fn(lambda m, a, b, c: torch.addmm(0.5 * c, a, b)), [a, b, c]),
    }[case]
    node, _ = twin_of(model, inputs)
    assert node.op_type == "Gemm" and attr(node, "alpha") == pytest.approx(alpha)
    if beta is not None:
        assert attr(node, "beta") == pytest.approx(beta)


def test_rnn_lstm_and_tile_lose_their_plumbing() -> None:
    node, adapters = twin_of(Fn(lambda m, x, h: m.rnn(x, h)[0], rnn=nn.RNN(4, 6)), [torch.randn(5, 1, 4),
                                                                                   torch.randn(1, 1, 6)])
    assert node.op_type == "RNN" and adapters.outputs[0] == [["reshape", [5, 1, 6], [5, 1, 1, 6]]]
    node, _ = twin_of(Fn(lambda m, x: m.lstm(x)[0], lstm=nn.LSTM(3, 5)), [torch.randn(2, 1, 3)])
    assert node.op_type == "LSTM"  # the zero initial state, built from Shape/Expand, is a constant
    node, _ = twin_of(Fn(lambda m, x: x.repeat(1, 2, 3)), [torch.randn(3, 4, 5)])
    assert node.op_type == "Tile"


def test_depthwise_then_pointwise_conv_is_the_dense_conv_it_equals() -> None:
    dw, pw = nn.Conv2d(6, 6, 3, padding=1, groups=6), nn.Conv2d(6, 10, 1)
    node, _ = twin_of(Fn(lambda m, x: m.pw(m.dw(x)), dw=dw, pw=pw), [torch.randn(1, 6, 11, 9)])
    assert node.op_type == "Conv" and not any(a.name == "group" for a in node.attribute)


@pytest.mark.parametrize("fn, op", [(torch.acosh, "Acosh"), (torch.sinh, "Sinh"), (torch.atanh, "Atanh")])
def test_ops_torchscript_cannot_export_get_their_onnx_node(fn: Any, op: str) -> None:
    x = torch.rand(4, 7) * 0.9 + (1.0 if op == "Acosh" else 0.0)
    node, _ = twin_of(Fn(lambda m, x: fn(x)), [x])
    assert node.op_type == op


@pytest.mark.parametrize("fn, op", [(torch.bitwise_or, "BitwiseOr"), (torch.bitwise_xor, "BitwiseXor")])
def test_integer_bitwise_ops_export(fn: Any, op: str) -> None:
    a, b = (torch.randint(0, 1 << 20, (3, 33), dtype=torch.int32) for _ in range(2))
    node, _ = twin_of(Fn(lambda m, a, b: fn(a, b)), [a, b])
    assert node.op_type == op


def test_a_real_composite_is_refused_in_one_line_naming_nodes_and_hook() -> None:
    model = Fn(lambda m, a, b: torch.remainder(a, b))
    with pytest.raises(TaskError) as err:
        twin.make("Binary/Mod", object(), model, [torch.randn(4, 4), torch.randn(4, 4)], 1, 20)
    message = str(err.value)
    assert "\n" not in message and "(Div, Floor, Mul, Sub)" in message and "onnx_twin(model, inputs)" in message


def test_a_missing_package_is_one_line_with_the_install_command(tmp_path: Path) -> None:
    from pytest_mobilekernel.tasks import load_module, task_ref

    path = tmp_path / "Others" / "ROIAlign.py"
    path.parent.mkdir()
    path.write_text("import torchvision_not_here.ops\n")
    with pytest.raises(TaskError, match=r"^Others/ROIAlign: task file imports 'torchvision_not_here', which is not "
                                        r"installed: pip install torchvision_not_here$"):
        load_module(task_ref(path))


def test_non_finite_references_are_matched_exactly_and_said(tmp_path: Path) -> None:
    from onnx import TensorProto, helper

    node = helper.make_node("Det", ["input_0"], ["output_0"])
    graph = helper.make_graph([node], "Det", [helper.make_tensor_value_info("input_0", TensorProto.FLOAT, [2, 3, 3])],
                              [helper.make_tensor_value_info("output_0", TensorProto.FLOAT, [2])])
    path = tmp_path / "det.onnx"
    path.write_bytes(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)]).SerializeToString())
    x = np.stack([np.eye(3, dtype=np.float32) * 1e20, np.eye(3, dtype=np.float32)])
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "ok.npy", np.array([np.inf, 1.0], np.float32))  # det overflows to inf in both
    err, _ = twin.validate_with_onnxruntime(path, [[tmp_path / "x.npy"]], [[tmp_path / "ok.npy"]], 1e-4, 1e-4, "M/D")
    assert err == 0.0
    np.save(tmp_path / "bad.npy", np.array([-np.inf, 1.0], np.float32))
    with pytest.raises(TaskError, match=r"1 of 2 elements wrong.*got inf, expected -inf.*inf/NaN"):
        twin.validate_with_onnxruntime(path, [[tmp_path / "x.npy"]], [[tmp_path / "bad.npy"]], 1e-4, 1e-4, "M/D")


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("write_foreign_tasks", ROOT / "scripts" / "write_foreign_tasks.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_the_foreign_fixture_is_what_the_generator_writes(tmp_path: Path) -> None:
    gen = _generator()
    assert len(gen.TASKS) == 190
    written = gen.write(tmp_path, gen.SUBSET)
    fixture = ROOT / "tests" / "data" / "foreign_tasks"
    assert sorted(p.relative_to(tmp_path) for p in written) == sorted(p.relative_to(fixture)
                                                                     for p in fixture.glob("*/*.py"))
    for path in written:
        assert path.read_text() == (fixture / path.relative_to(tmp_path)).read_text(), path
        assert "onnx_twin" not in path.read_text() and "ONNX_OP" not in path.read_text()


@pytest.mark.parametrize("ta, tb", [(1, 0), (0, 1), (1, 1)])
def test_transposed_operands_fold_into_trans_flags(ta: int, tb: int) -> None:
    a = torch.randn(9, 6) if ta else torch.randn(6, 9)
    b = torch.randn(5, 9) if tb else torch.randn(9, 5)
    model = Fn(lambda m, a, b: 0.5 * ((a.t() if ta else a) @ (b.t() if tb else b)))
    node, _ = twin_of(model, [a, b])
    assert node.op_type == "Gemm" and attr(node, "transA") == ta and attr(node, "transB") == tb


def test_materialize_stores_adapted_c_ordered_inputs_and_node_layout_references(tmp_path: Path) -> None:
    from pytest_mobilekernel.cache import Cache
    from pytest_mobilekernel.tasks import materialize, reference_outputs, task_ref

    path = tmp_path / "tasks" / "Reduction" / "ArgMaxT.py"
    path.parent.mkdir(parents=True)
    # a transposed input (saved Fortran-ordered unless made C-ordered) and a flattening argmax (Reshape)
    path.write_text("import torch\n\n\nclass Model(torch.nn.Module):\n    def forward(self, x):\n"
                    "        return torch.argmax(x)\n\n\ndef get_inputs():\n    return [torch.randn(5, 7).t()]\n")
    ref = task_ref(path)
    data = materialize(ref, Cache(tmp_path / "cache"))
    assert data.op_type == "ArgMax" and data.inputs[0].shape == [35] and data.outputs[0].shape == []
    for trial in data.trials:
        x = np.load(trial.graph_inputs[0])
        assert x.shape == (35,) and np.load(trial.references[0]) == np.argmax(x)
        assert reference_outputs(ref, [x])[0] == np.argmax(x)
    plain = path.with_name("ArgMaxRows.py")  # the transposed input reaches the node as it is
    plain.write_text(path.read_text().replace("torch.argmax(x)", "torch.argmax(x, dim=1)"))
    for trial in materialize(task_ref(plain), Cache(tmp_path / "cache")).trials:
        assert np.load(trial.graph_inputs[0]).shape == (7, 5)  # np.load: the runner reads C order only
        with open(trial.graph_inputs[0], "rb") as f:
            assert b"'fortran_order': False" in f.read(128)
