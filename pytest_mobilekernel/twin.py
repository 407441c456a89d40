"""The single-node ONNX twin of a task: export, topology check, attributes, onnxruntime validation."""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path
from typing import Any

from .errors import TaskError
from .twin_graph import ADAPTERS_KEY, Adapters, NotOneOperator, single_operator
from .verify import check_arrays

__all__ = ["ADAPTERS_KEY", "Adapters", "export", "export_any", "make", "single_node"]


# Exporter routes, in order: TorchScript at the task's opset, then at the other opsets it knows, then the
# dynamo exporter where onnxscript is installed. TorchScript gets symbolics for the aten ops that are one
# ONNX operator but that it cannot export (acosh..., bitwise ops on integers); they are registered in
# torch's process-wide registry, where they only add what was missing (bool inputs keep Or/Xor/And).
FALLBACK_OPSETS = (18, 17)
_EXTRA_UNARY = {"acosh": "Acosh", "asinh": "Asinh", "atanh": "Atanh", "cosh": "Cosh", "sinh": "Sinh"}
_EXTRA_BITWISE = {"bitwise_or": ("Or", "BitwiseOr"), "__or__": ("Or", "BitwiseOr"),
                  "bitwise_xor": ("Xor", "BitwiseXor"), "__xor__": ("Xor", "BitwiseXor"),
                  "bitwise_and": ("And", "BitwiseAnd"), "__and__": ("And", "BitwiseAnd")}
_SYMBOLICS_REGISTERED = False


def export(model: Any, inputs: list[Any], n_outputs: int, opset: int) -> Any:
    """TorchScript export (deterministic, needs no onnxscript); graph inputs named input_<k>."""
    import onnx
    import torch

    names = [f"input_{i}" for i, x in enumerate(inputs) if isinstance(x, torch.Tensor)]
    buf = io.BytesIO()
    with warnings.catch_warnings(), _quiet_stderr():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, tuple(inputs), buf, dynamo=False, opset_version=opset, do_constant_folding=True,
            input_names=names, output_names=[f"output_{j}" for j in range(n_outputs)],
        )
    return onnx.load_from_string(buf.getvalue())


def _register_symbolics() -> None:
    """aten ops that are one ONNX operator but have no TorchScript symbolic: once per process, and kept
    (unregistering leaves torch's registry broken)."""
    global _SYMBOLICS_REGISTERED
    if _SYMBOLICS_REGISTERED:
        return
    from torch.onnx import register_custom_op_symbolic

    for aten, op in _EXTRA_UNARY.items():
        register_custom_op_symbolic(f"aten::{aten}", lambda g, x, op=op: g.op(op, x), 9)
    for aten, (logical, bitwise) in _EXTRA_BITWISE.items():
        def symbolic(g: Any, a: Any, b: Any, logical: str = logical, bitwise: str = bitwise) -> Any:
            kind = a.type().scalarType() if hasattr(a.type(), "scalarType") else None
            return g.op(logical if kind == "Bool" else bitwise, a, b)

        register_custom_op_symbolic(f"aten::{aten}", symbolic, 18)
    register_custom_op_symbolic(
        "aten::bitwise_not", lambda g, x: g.op("Not" if x.type().scalarType() == "Bool" else "BitwiseNot", x), 18)
    _SYMBOLICS_REGISTERED = True


def _export_dynamo(model: Any, inputs: list[Any], n_outputs: int, opset: int) -> Any:
    import importlib.util

    import onnx
    import torch

    if importlib.util.find_spec("onnxscript") is None:
        raise RuntimeError("onnxscript is not installed")
    names = [f"input_{i}" for i, x in enumerate(inputs) if isinstance(x, torch.Tensor)]
    with warnings.catch_warnings(), _quiet_stderr():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(model, tuple(inputs), dynamo=True, opset_version=opset, input_names=names,
                                    output_names=[f"output_{j}" for j in range(n_outputs)], verbose=False)
    return onnx.load_from_string(program.model_proto.SerializeToString())


def export_any(model: Any, inputs: list[Any], n_outputs: int, opset: int) -> tuple[Any, str]:
    """The first export that works, trying the routes torch offers; (proto, how) or a one-line TaskError-ready
    RuntimeError naming why each route failed."""
    _register_symbolics()
    attempts = [(f"TorchScript opset {o}", lambda o=o: export(model, inputs, n_outputs, o))
                for o in (opset, *(o for o in FALLBACK_OPSETS if o != opset))]
    attempts.append((f"dynamo opset {opset}", lambda: _export_dynamo(model, inputs, n_outputs, opset)))
    failures = []
    for how, attempt in attempts:
        try:
            return attempt(), how
        except Exception as exc:  # noqa: BLE001 - every exporter error is a reason to try the next route
            first = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
            failures.append(f"{how}: {type(exc).__name__}: {first}")
    raise RuntimeError("; ".join(failures))


@contextlib.contextmanager
def _quiet_stderr() -> Any:
    """torch prints the whole TorchScript graph to fd 2 on a failed export; a fallback follows, so drop it."""
    import os
    import sys
    import tempfile

    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


def make(task_id: str, module: Any, model: Any, inputs: list[Any], n_outputs: int, opset: int) -> Any:
    """The task's twin: from its ``onnx_twin(model, inputs)`` hook if it has one, else exported and, when
    the export wraps one operator in plumbing, reduced to that operator (twin_graph.single_operator)."""
    import onnx

    hook = getattr(module, "onnx_twin", None)
    if callable(hook):
        proto = hook(model, inputs)
        if not isinstance(proto, onnx.ModelProto):
            raise TaskError(f"{task_id}: onnx_twin() must return an onnx.ModelProto, got {type(proto).__name__}")
        return proto
    try:
        proto, _how = export_any(model, inputs, n_outputs, opset)
    except RuntimeError as exc:
        raise TaskError(f"{task_id}: no exporter produced an ONNX graph ({exc}); define onnx_twin(model, inputs) "
                        "in the task file returning a one-node onnx.ModelProto built with onnx.helper") from None
    if len(operator_nodes(proto)) == 1:
        return proto
    import torch

    with torch.no_grad():
        result = model(*inputs)
    shapes = [list(o.shape) for o in (result if isinstance(result, (tuple, list)) else [result])]
    try:
        return single_operator(proto, shapes)[0]
    except NotOneOperator as exc:
        raise TaskError(f"{task_id}: {refusal(proto, str(exc))}") from None


def refusal(proto: Any, why: str) -> str:
    ops = ", ".join(n.op_type for n in operator_nodes(proto)) or "none"
    return (f"the export is {len(operator_nodes(proto))} nodes ({ops}) and not one operator in "
            f"shape/cast/identity plumbing ({why}); define onnx_twin(model, inputs) in the task file returning "
            "a one-node onnx.ModelProto built with onnx.helper")


def canonical(proto: Any) -> tuple:
    """What makes two twins the same operator on the same data (not bytes: producer fields vary)."""
    from onnx import numpy_helper

    def shape(v: Any) -> tuple:
        return tuple(d.dim_value for d in v.type.tensor_type.shape.dim)

    nodes = tuple((n.op_type, tuple(n.input), tuple(n.output), tuple(sorted(node_attributes(n).items(),
                                                                           key=lambda kv: kv[0])).__repr__())
                  for n in proto.graph.node)
    inits = tuple((i.name, numpy_helper.to_array(i).tobytes(), tuple(i.dims)) for i in proto.graph.initializer)
    ios = tuple((v.name, shape(v), v.type.tensor_type.elem_type) for v in [*proto.graph.input, *proto.graph.output])
    return nodes, inits, ios


def operator_nodes(proto: Any) -> list[Any]:
    return [n for n in proto.graph.node if n.op_type != "Constant"]


def single_node(proto: Any, expected_op: str | None, task_id: str) -> Any:
    nodes = operator_nodes(proto)
    if len(nodes) != 1:
        raise TaskError(f"{task_id}: ONNX twin: {refusal(proto, 'expected exactly one operator node')}")
    node = nodes[0]
    if expected_op and node.op_type != expected_op:
        raise TaskError(f"{task_id}: ONNX twin's node is {node.op_type}, task declares ONNX_OP = {expected_op!r}")
    return node


def graph_input_names(proto: Any) -> list[str]:
    init = {i.name for i in proto.graph.initializer}
    return [i.name for i in proto.graph.input if i.name not in init]


def constant_values(proto: Any) -> dict[str, Any]:
    """Initializers and Constant-node outputs, as numpy arrays."""
    from onnx import numpy_helper

    values = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    for n in proto.graph.node:
        if n.op_type == "Constant":
            values[n.output[0]] = _constant_node_value(n)
    return values


def _constant_node_value(node: Any) -> Any:
    import numpy as np
    from onnx import helper, numpy_helper

    attr = node.attribute[0]
    value = helper.get_attribute_value(attr)
    if attr.name == "value":
        return numpy_helper.to_array(value)
    dtype = {"value_float": np.float32, "value_floats": np.float32, "value_int": np.int64, "value_ints": np.int64}
    return np.asarray(value, dtype=dtype.get(attr.name))


def node_attributes(node: Any) -> dict[str, Any]:
    """ONNX attributes as JSON values (numbers, strings, lists; tensors flattened to lists)."""
    from onnx import helper, numpy_helper

    attrs: dict[str, Any] = {}
    for attr in node.attribute:
        value = helper.get_attribute_value(attr)
        if isinstance(value, bytes):
            value = value.decode()
        elif hasattr(value, "dims") and hasattr(value, "data_type"):  # TensorProto
            value = numpy_helper.to_array(value).reshape(-1).tolist()
        elif isinstance(value, list):
            value = [v.decode() if isinstance(v, bytes) else v for v in value]
            if value and not isinstance(value[0], (int, float, str)):
                continue  # graphs / tensor lists: no kernel in this benchmark takes them
        elif not isinstance(value, (int, float, str)):
            continue
        attrs[attr.name] = value
    return attrs


def validate_with_onnxruntime(
    twin: Path, graph_inputs: list[list[Path]], references: list[list[Path]], atol: float, rtol: float, task_id: str,
) -> tuple[float | None, str]:
    """Run the twin under onnxruntime for every trial; raise if it disagrees with PyTorch.

    Returns (max abs error, note). onnxruntime lacking a kernel is a note, not a failure: the
    twin may still be valid ONNX that MNN and the candidate kernel can run.
    """
    import numpy as np

    try:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.log_severity_level = 3
        sess = ort.InferenceSession(str(twin), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001
        return None, f"onnxruntime cannot load the twin: {str(exc).splitlines()[0][:200]}"
    names = [i.name for i in sess.get_inputs()]
    worst = 0.0
    for files, refs in zip(graph_inputs, references):
        feed = {n: np.load(f) for n, f in zip(names, files)}
        try:
            got = sess.run(None, feed)
        except Exception as exc:  # noqa: BLE001
            return None, f"onnxruntime cannot run the twin: {str(exc).splitlines()[0][:200]}"
        for k, (g, r) in enumerate(zip(got, refs)):
            expect = np.load(r)
            if g.shape != expect.shape:
                raise TaskError(f"{task_id}: twin output shape {g.shape} under onnxruntime != PyTorch {expect.shape}")
            # the candidate's rule (verify.check_arrays): non-finite references must be matched exactly
            check = check_arrays(k, g.astype(expect.dtype, copy=False), expect, atol, rtol)
            worst = max(worst, check.max_abs_err)
            if not check.ok:
                finite = np.isfinite(expect).all() if np.issubdtype(expect.dtype, np.floating) else True
                raise TaskError(
                    f"{task_id}: ONNX twin disagrees with PyTorch under onnxruntime: {check.summary()}"
                    + ("" if finite else " (PyTorch's output has inf/NaN: those must match exactly)")
                    + f" (atol {atol:g}, rtol {rtol:g}); fix the twin or state a tolerance with a reason")
    return worst, ""


class _Validator:
    """One onnxruntime child process per pytest process, serving validations (JSON lines).

    onnxruntime can crash on odd nodes (seen: an empty trailing optional input); in a child that
    costs one note and a restart, not the pytest worker. Persistent, because starting Python and
    onnxruntime for each of 190 tasks would dominate a cold run.
    """

    proc: Any = None

    def validate(self, request: dict[str, Any], timeout: float = 300.0) -> dict[str, Any]:
        import json
        import select
        import subprocess
        import sys

        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen([sys.executable, "-m", "pytest_mobilekernel.twin", "--serve"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         text=True, start_new_session=True)
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
            line = self.proc.stdout.readline() if ready else ""
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            rc = self.proc.poll()
            self.proc.kill()
            self.proc = None
            why = "did not answer in time" if rc is None else f"crashed (exit {rc})"
            return {"ort_max_abs_err": None, "note": f"onnxruntime {why} validating the twin"}
        reply = json.loads(line)
        if reply.get("task_error"):
            raise TaskError(reply["task_error"])
        return reply


_VALIDATOR = _Validator()


def validate_isolated(twin: Path, graph_inputs: list[Path], references: list[Path], atol: float, rtol: float,
                      task_id: str) -> dict[str, Any]:
    """validate_with_onnxruntime in the validator child process."""
    return _VALIDATOR.validate({"twin": str(twin), "inputs": [str(p) for p in graph_inputs],
                                "refs": [str(p) for p in references], "atol": atol, "rtol": rtol,
                                "task": task_id})


def _serve() -> int:
    import json
    import sys

    for line in sys.stdin:
        a = json.loads(line)
        try:
            err, note = validate_with_onnxruntime(Path(a["twin"]), [[Path(p) for p in a["inputs"]]],
                                                  [[Path(p) for p in a["refs"]]], a["atol"], a["rtol"], a["task"])
            reply: dict[str, Any] = {"ort_max_abs_err": err, "note": note}
        except TaskError as exc:
            reply = {"task_error": str(exc)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--serve"]:
        raise SystemExit(_serve())
    raise SystemExit("usage: python -m pytest_mobilekernel.twin --serve (the shipped twins: "
                     "python -m pytest_mobilekernel.shipped_twins)")
