"""Tasks: KernelBench-format files (``Model``, ``get_inputs``, ``get_init_inputs``) in category folders.

Collection only lists files (no import, no torch), so it stays cheap and identical on every xdist
worker. ``materialize`` then does the heavy part once per task content, in the shared cache: it
imports the file, builds the seeded model, obtains the single-node ONNX twin (shipped beside the
file, built by the file's ``onnx_twin`` hook, or exported), checks the twin against PyTorch with
onnxruntime, and writes the inputs and reference outputs for every seed.

Optional module-level metadata in a task file:
    ONNX_OP = "Softmax"          the operator the twin must contain (checked)
    ATOL, RTOL = 1e-3, 1e-3      tolerances, default 1e-4; an override needs TOLERANCE_REASON = "..."
    OPSET = 20                   opset for the exporter
    def onnx_twin(model, inputs) -> onnx.ModelProto   for files whose export is not one node
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import random
import sys
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .cache import Cache, content_key
from .errors import TaskError
from .targets.base import TensorDesc

CATEGORIES = (
    "Unary", "Binary", "Trigonometry", "Activation", "Normalization", "Pooling",
    "Convolution", "Matrix", "Reduction", "Tensor", "Logic", "Others",
)
DEFAULT_TOL = 1e-4
DEFAULT_OPSET = 20
DEFAULT_SEEDS = (1, 2, 3)
MODEL_SEED = 0
MATERIALIZE_VERSION = "task-v1"


@dataclass(frozen=True, order=True)
class TaskRef:
    category: str
    name: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.category}/{self.name}"

    @property
    def shipped_twin(self) -> Path:
        return self.path.with_suffix(".onnx")


def discover(tasks_dir: Path) -> list[TaskRef]:
    """Every ``<category>/<Task>.py`` below tasks_dir, sorted (xdist needs identical collection)."""
    refs = [task_ref(p) for p in sorted(Path(tasks_dir).glob("*/*.py")) if is_task_file(p)]
    return sorted(refs)


def is_task_file(path: Path) -> bool:
    return (path.suffix == ".py" and not path.name.startswith(("_", "test_", "conftest"))
            and not path.parent.name.startswith((".", "_")))


def task_ref(path: Path) -> TaskRef:
    return TaskRef(category=path.parent.name, name=path.stem, path=Path(path).resolve())


# -- loading --------------------------------------------------------------------------------------
def load_module(ref: TaskRef) -> Any:
    """Import a task file; any failure becomes a TaskError naming the file and the cause."""
    mod_name = f"mk_task_{ref.category}_{ref.name}_{content_key(str(ref.path))[:8]}"
    try:
        spec = importlib.util.spec_from_file_location(mod_name, ref.path)
        if spec is None or spec.loader is None:
            raise ImportError("not a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = module
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - a task file may raise anything, even SystemExit
        sys.modules.pop(mod_name, None)
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise TaskError(f"{ref.id}: task file does not import: {type(exc).__name__}: {exc}") from None
    for attr in ("Model", "get_inputs"):
        if not callable(getattr(module, attr, None)):
            raise TaskError(
                f"{ref.id}: task file has no {attr} (KernelBench format: Model, get_inputs, get_init_inputs)")
    return module


@dataclass
class Trial:
    seed: int
    graph_inputs: list[str]  # files fed to the twin's graph inputs (MNN, onnxruntime)
    node_inputs: list[str | None]  # files for the kernel's inputs, None = absent optional input
    references: list[str]  # PyTorch outputs


@dataclass
class TaskData:
    """A materialised task: everything downstream needs, as plain files and values."""

    task_id: str
    category: str
    name: str
    op_type: str
    op_name: str
    attrs: dict[str, Any]
    inputs: list[TensorDesc | None]
    outputs: list[TensorDesc]
    trials: list[Trial]
    twin: str
    atol: float
    rtol: float
    tolerance_reason: str
    source: str  # the task file's text (prompts show it)
    ort_max_abs_err: float | None = None
    notes: list[str] = field(default_factory=list)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path) -> TaskData:
        raw = json.loads(path.read_text())
        raw["inputs"] = [None if d is None else TensorDesc(**d) for d in raw["inputs"]]
        raw["outputs"] = [TensorDesc(**d) for d in raw["outputs"]]
        raw["trials"] = [Trial(**t) for t in raw["trials"]]
        return cls(**raw)


def materialize_key(ref: TaskRef, seeds: tuple[int, ...]) -> str:
    twin = ref.shipped_twin.read_bytes() if ref.shipped_twin.exists() else b""
    return content_key(
        MATERIALIZE_VERSION, ref.path.read_bytes(), twin, ",".join(map(str, seeds)),
        _version("torch"), _version("onnx"), _version("onnxruntime"),
    )


def materialize(ref: TaskRef, cache: Cache, seeds: tuple[int, ...] = DEFAULT_SEEDS) -> TaskData:
    """Inputs, reference outputs and twin for ``ref``, computed once per content across workers."""
    key = materialize_key(ref, seeds)
    entry = cache.entry("tasks", key)
    if not (entry / ".done").exists():
        try:
            entry = cache.get_or_create("tasks", key, lambda out: _materialize_into(ref, seeds, out))
        except TaskError:
            raise
        except Exception as exc:  # torch/onnx errors from a user's file: one line, not a traceback
            raise TaskError(f"{ref.id}: {type(exc).__name__}: {exc}") from exc
    data = TaskData.load(entry / "task.json")
    # Paths are stored relative to the entry so the cache can move.
    for trial in data.trials:
        trial.graph_inputs = [str(entry / p) for p in trial.graph_inputs]
        trial.node_inputs = [None if p is None else str(entry / p) for p in trial.node_inputs]
        trial.references = [str(entry / p) for p in trial.references]
    data.twin = str(entry / data.twin)
    return data


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _materialize_into(ref: TaskRef, seeds: tuple[int, ...], out: Path) -> None:
    import numpy as np
    import onnx
    import torch

    from . import twin as twin_mod

    module = load_module(ref)
    atol = float(getattr(module, "ATOL", DEFAULT_TOL))
    rtol = float(getattr(module, "RTOL", DEFAULT_TOL))
    reason = str(getattr(module, "TOLERANCE_REASON", "") or "")
    if (atol != DEFAULT_TOL or rtol != DEFAULT_TOL) and not reason:
        raise TaskError(f"{ref.id}: ATOL/RTOL differ from {DEFAULT_TOL:g} but TOLERANCE_REASON is not set")
    expected_op = getattr(module, "ONNX_OP", None)
    opset = int(getattr(module, "OPSET", DEFAULT_OPSET))

    model = build_model(ref, module)
    per_seed = []
    for seed in seeds:
        inputs = make_inputs(ref, module, seed)
        with torch.no_grad():
            try:
                result = model(*inputs)
            except Exception as exc:
                raise TaskError(
                    f"{ref.id}: Model.forward failed on get_inputs(): {type(exc).__name__}: {exc}") from None
        outputs = list(result) if isinstance(result, (tuple, list)) else [result]
        per_seed.append((seed, inputs, [o.detach().cpu().numpy() for o in outputs]))

    first_inputs = per_seed[0][1]
    n_outputs = len(per_seed[0][2])
    twin_path = out / "twin.onnx"
    proto = onnx.load(str(ref.shipped_twin)) if ref.shipped_twin.exists() else \
        twin_mod.make(ref.id, module, model, first_inputs, n_outputs, opset)
    onnx.save(proto, str(twin_path))
    node = twin_mod.single_node(proto, expected_op, ref.id)

    tensor_positions = [i for i, x in enumerate(first_inputs) if isinstance(x, torch.Tensor)]
    graph_inputs = twin_mod.graph_input_names(proto)
    if len(graph_inputs) > len(tensor_positions):
        raise TaskError(f"{ref.id}: twin has {len(graph_inputs)} graph inputs but get_inputs() gives "
                        f"{len(tensor_positions)} tensors")
    if len(proto.graph.output) != n_outputs:
        raise TaskError(f"{ref.id}: twin has {len(proto.graph.output)} outputs, Model returns {n_outputs}")

    consts = twin_mod.constant_values(proto)
    trials: list[Trial] = []
    input_descs: list[TensorDesc | None] = []
    for t, (seed, inputs, refs) in enumerate(per_seed):
        tdir = out / f"trial{t}"
        tdir.mkdir()
        gfiles = []
        arrays = {}
        for g, name in enumerate(graph_inputs):
            arr = inputs[tensor_positions[g]].detach().cpu().numpy()
            arrays[name] = arr
            np.save(tdir / f"graph_in{g}.npy", arr)
            gfiles.append(f"trial{t}/graph_in{g}.npy")
        node_files: list[str | None] = []
        descs: list[TensorDesc | None] = []
        for j, name in enumerate(node.input):
            if name == "":
                node_files.append(None)
                descs.append(None)
                continue
            if name in arrays:
                arr = arrays[name]
                node_files.append(gfiles[graph_inputs.index(name)])
            elif name in consts:
                arr = consts[name]
                np.save(tdir / f"const{j}.npy", arr)
                node_files.append(f"trial{t}/const{j}.npy")
            else:
                raise TaskError(
                    f"{ref.id}: input {name!r} of the {node.op_type} node is neither a graph input nor a constant")
            descs.append(TensorDesc(shape=list(arr.shape), dtype=str(arr.dtype)))
        input_descs = descs
        ref_files = []
        for k, arr in enumerate(refs):
            np.save(tdir / f"ref{k}.npy", arr)
            ref_files.append(f"trial{t}/ref{k}.npy")
        trials.append(Trial(seed=seed, graph_inputs=gfiles, node_inputs=node_files, references=ref_files))

    outputs = [TensorDesc(shape=list(a.shape), dtype=str(a.dtype)) for a in per_seed[0][2]]
    graph_outputs = [o.name for o in proto.graph.output]
    missing = [o for o in graph_outputs if o not in node.output]
    if missing:
        raise TaskError(f"{ref.id}: twin output {missing[0]!r} is not produced by its {node.op_type} node")

    data = TaskData(
        task_id=ref.id, category=ref.category, name=ref.name,
        op_type=node.op_type, op_name=node.name or node.op_type, attrs=twin_mod.node_attributes(node),
        inputs=input_descs, outputs=outputs, trials=trials, twin="twin.onnx",
        atol=atol, rtol=rtol, tolerance_reason=reason, source=ref.path.read_text(),
    )
    data.ort_max_abs_err, note = twin_mod.validate_with_onnxruntime(
        twin_path, [[out / p for p in t.graph_inputs] for t in trials],
        [[out / p for p in t.references] for t in trials], atol, rtol, ref.id)
    if note:
        data.notes.append(note)
    # Node outputs that the graph does not expose (e.g. optional extra outputs) are not the kernel's.
    data.outputs = [outputs[graph_outputs.index(name)] for name in graph_outputs]
    data.save(out / "task.json")


def build_model(ref: TaskRef, module: Any) -> Any:
    import numpy as np
    import torch

    torch.manual_seed(MODEL_SEED)
    np.random.seed(MODEL_SEED)
    random.seed(MODEL_SEED)
    try:
        init = list(module.get_init_inputs()) if callable(getattr(module, "get_init_inputs", None)) else []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = module.Model(*init)
    except Exception as exc:
        raise TaskError(f"{ref.id}: Model(*get_init_inputs()) failed: {type(exc).__name__}: {exc}") from None
    return model.eval() if hasattr(model, "eval") else model


def make_inputs(ref: TaskRef, module: Any, seed: int) -> list[Any]:
    import numpy as np
    import torch

    torch.manual_seed(seed)
    np.random.seed(seed)
    random.seed(seed)
    try:
        inputs = list(module.get_inputs())
    except Exception as exc:
        raise TaskError(f"{ref.id}: get_inputs() failed: {type(exc).__name__}: {exc}") from None
    if not any(isinstance(x, torch.Tensor) for x in inputs):
        raise TaskError(f"{ref.id}: get_inputs() returned no tensor")
    return inputs
