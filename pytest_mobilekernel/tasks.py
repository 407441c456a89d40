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

import functools
import importlib.metadata
import importlib.util
import json
import os
import random
import sys
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import verify
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
MATERIALIZE_VERSION = "task-v4"  # v3: twins from wrapped exports, with adapters; v4: inputs saved in C order


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
        if isinstance(exc, ModuleNotFoundError) and exc.name:
            raise TaskError(f"{ref.id}: task file imports {exc.name!r}, which is not installed: "
                            f"{_install_hint(exc.name.split('.')[0])}") from None
        raise TaskError(f"{ref.id}: task file does not import: {type(exc).__name__}: {exc}") from None
    for attr in ("Model", "get_inputs"):
        if not callable(getattr(module, attr, None)):
            raise TaskError(
                f"{ref.id}: task file has no {attr} (KernelBench format: Model, get_inputs, get_init_inputs)")
    return module


def _install_hint(package: str) -> str:
    if package in ("torchvision", "torchaudio"):
        # an unpinned install pulls another torch (a CUDA build of several GB) in place of the pinned CPU one
        return (f"pip install {package} built for torch {dist_version('torch').split('+')[0]} (CPU wheels, "
                "pinned to that release so pip keeps this torch)")
    return f"pip install {package}"


@dataclass
class Trial:
    seed: int
    graph_inputs: list[str]  # files fed to the twin's graph inputs (MNN, onnxruntime)
    node_inputs: list[str | None]  # files for the kernel's inputs, None = absent optional input
    references: list[str]  # PyTorch outputs
    reference_sha256: list[str] = field(default_factory=list)  # made here, checked before every use


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
    input_sources: list[str | None] = field(default_factory=list)  # "graph:<i>", "const<j>.npy" or None
    graph_inputs: int = 0
    notes: list[str] = field(default_factory=list)
    # twin_graph.Adapters as a dict: graph inputs reshaped/cast, outputs in the node's layout
    adapters: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path) -> TaskData:
        raw = json.loads(path.read_text())
        raw["inputs"] = [None if d is None else TensorDesc(**d) for d in raw["inputs"]]
        raw["outputs"] = [TensorDesc(**d) for d in raw["outputs"]]
        raw["trials"] = [Trial(**t) for t in raw["trials"]]
        return cls(**raw)


def task_key(ref: TaskRef) -> str:
    twin = ref.shipped_twin.read_bytes() if ref.shipped_twin.exists() else b""
    return content_key(MATERIALIZE_VERSION, ref.path.read_bytes(), twin, dist_version("torch"), dist_version("onnx"),
                       dist_version("onnxruntime"))


def materialize(ref: TaskRef, cache: Cache, seeds: tuple[int, ...] = DEFAULT_SEEDS) -> TaskData:
    """Twin, node description and per-seed inputs/references for ``ref``.

    Two kinds of cache entries, each computed once across workers: the task (twin, node, constant
    inputs: keyed by the task's content) and one per seed (graph inputs, reference outputs), so a run
    with a fresh random seed only computes that seed's trial.
    """
    key = task_key(ref)
    try:
        base = cache.get_or_create("tasks", key, lambda out: _materialize_task(ref, out))
        data = TaskData.load(base / "task.json")
        data.twin = str(base / data.twin)
        trials = []
        for seed in seeds:
            # v2: references carry their sha256, checked before every use
            entry = cache.get_or_create("trials", content_key(key, str(seed), "trial-v2"),
                                        lambda out, s=seed: _materialize_trial(ref, data, s, out))
            trial = Trial(**json.loads((entry / "trial.json").read_text()))
            trial.graph_inputs = [str(entry / p) for p in trial.graph_inputs]
            trial.node_inputs = [None if p is None else str((base if p.startswith("const") else entry) / p)
                                 for p in trial.node_inputs]
            trial.references = [str(entry / p) for p in trial.references]
            for path, digest in zip(trial.references, trial.reference_sha256):
                verify.trust_reference(path, digest)
            trials.append(trial)
    except TaskError:
        raise
    except Exception as exc:  # torch/onnx errors from a user's file: one line, not a traceback
        raise TaskError(f"{ref.id}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
    data.trials = trials
    _ADAPTERS[(ref.path, key)] = data.adapters
    return data


@functools.cache  # a metadata lookup is ~1 ms, and cache keys ask for it per task
def dist_version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


_LOADED: dict[tuple[Path, str], tuple[Any, Any]] = {}
_ADAPTERS: dict[tuple[Path, str], dict[str, Any]] = {}  # per task, as materialize found them


def _adapters(raw: dict[str, Any]) -> Any:
    from .twin_graph import Adapters

    return Adapters(**raw) if raw else Adapters()


def _module_and_model(ref: TaskRef) -> tuple[Any, Any]:
    """Import the task and build its seeded model once per process."""
    key = (ref.path, task_key(ref))
    if key not in _LOADED:
        module = load_module(ref)
        _LOADED[key] = (module, build_model(ref, module))
    return _LOADED[key]


def _forward(ref: TaskRef, model: Any, inputs: list[Any]) -> list[Any]:
    import torch

    with torch.no_grad():
        try:
            result = model(*inputs)
        except Exception as exc:
            raise TaskError(f"{ref.id}: Model.forward failed on get_inputs(): {type(exc).__name__}: {exc}") from None
    outputs = list(result) if isinstance(result, (tuple, list)) else [result]
    return [o.detach().cpu().numpy() for o in outputs]


def _materialize_task(ref: TaskRef, out: Path) -> None:
    import numpy as np
    import onnx
    import torch

    from . import twin as twin_mod

    module, model = _module_and_model(ref)
    atol = float(getattr(module, "ATOL", DEFAULT_TOL))
    rtol = float(getattr(module, "RTOL", DEFAULT_TOL))
    reason = str(getattr(module, "TOLERANCE_REASON", "") or "")
    if (atol != DEFAULT_TOL or rtol != DEFAULT_TOL) and not reason:
        raise TaskError(f"{ref.id}: ATOL/RTOL differ from {DEFAULT_TOL:g} but TOLERANCE_REASON is not set")
    opset = int(getattr(module, "OPSET", DEFAULT_OPSET))

    inputs = make_inputs(ref, module, DEFAULT_SEEDS[0])
    outputs = _forward(ref, model, inputs)
    proto = onnx.load(str(ref.shipped_twin)) if ref.shipped_twin.exists() else \
        twin_mod.make(ref.id, module, model, inputs, len(outputs), opset)
    onnx.save(proto, str(out / "twin.onnx"))
    node = twin_mod.single_node(proto, getattr(module, "ONNX_OP", None), ref.id)
    adapters = twin_mod.Adapters.from_proto(proto)
    outputs = [adapters.reference(j, o) for j, o in enumerate(outputs)]

    n_tensors = sum(isinstance(x, torch.Tensor) for x in inputs)
    graph_inputs = twin_mod.graph_input_names(proto)
    if len(graph_inputs) > n_tensors:
        raise TaskError(f"{ref.id}: twin has {len(graph_inputs)} graph inputs but get_inputs() gives "
                        f"{n_tensors} tensors")
    graph_outputs = [o.name for o in proto.graph.output]
    if len(graph_outputs) != len(outputs):
        raise TaskError(f"{ref.id}: twin has {len(graph_outputs)} outputs, Model returns {len(outputs)}")
    missing = [o for o in graph_outputs if o not in node.output]
    if missing:
        raise TaskError(f"{ref.id}: twin output {missing[0]!r} is not produced by its {node.op_type} node")

    # Node inputs: graph inputs (per seed), constants (initializers / Constant nodes, saved once), absent.
    consts = twin_mod.constant_values(proto)
    tensors = [adapters.adapt_input(k, x.detach().cpu().numpy())
               for k, x in enumerate(x for x in inputs if isinstance(x, torch.Tensor))]
    descs: list[TensorDesc | None] = []
    sources: list[str | None] = []
    for j, name in enumerate(node.input):
        if name == "":
            descs.append(None)
            sources.append(None)
        elif name in graph_inputs:
            arr = tensors[graph_inputs.index(name)]
            descs.append(TensorDesc(shape=list(arr.shape), dtype=str(arr.dtype)))
            sources.append(f"graph:{graph_inputs.index(name)}")
        elif name in consts:
            arr = consts[name]
            np.save(out / f"const{j}.npy", arr)
            descs.append(TensorDesc(shape=list(arr.shape), dtype=str(arr.dtype)))
            sources.append(f"const{j}.npy")
        else:
            raise TaskError(
                f"{ref.id}: input {name!r} of the {node.op_type} node is neither a graph input nor a constant")
    data = TaskData(
        task_id=ref.id, category=ref.category, name=ref.name,
        op_type=node.op_type, op_name=node.name or node.op_type, attrs=twin_mod.node_attributes(node),
        inputs=descs, outputs=[TensorDesc(shape=list(a.shape), dtype=str(a.dtype)) for a in outputs],
        trials=[], twin="twin.onnx", atol=atol, rtol=rtol, tolerance_reason=reason, source=ref.path.read_text(),
        input_sources=sources, graph_inputs=len(graph_inputs),
        adapters={} if adapters.trivial() else asdict(adapters),
    )
    data.save(out / "task.json")


def _materialize_trial(ref: TaskRef, data: TaskData, seed: int, out: Path) -> None:
    import numpy as np
    import torch

    from . import twin as twin_mod

    module, model = _module_and_model(ref)
    adapters = _adapters(data.adapters)
    inputs = make_inputs(ref, module, seed)
    outputs = [adapters.reference(j, o) for j, o in enumerate(_forward(ref, model, inputs))]
    # C order: a transposed or movedim'd input would be saved Fortran-ordered, which the runner does not read
    tensors = [np.require(adapters.adapt_input(k, x.detach().cpu().numpy()), requirements="C")
               for k, x in enumerate(x for x in inputs if isinstance(x, torch.Tensor))]
    gfiles = []
    for g in range(data.graph_inputs):
        np.save(out / f"graph_in{g}.npy", tensors[g])
        gfiles.append(f"graph_in{g}.npy")
    node_files: list[str | None] = []
    for src in data.input_sources:
        node_files.append(None if src is None else gfiles[int(src[6:])] if src.startswith("graph:") else src)
    for k, (arr, desc) in enumerate(zip(outputs, data.outputs)):
        if list(arr.shape) != desc.shape or str(arr.dtype) != desc.dtype:
            raise TaskError(f"{ref.id}: output {k} is {arr.dtype}{list(arr.shape)} for seed {seed} but "
                            f"{desc.dtype}{desc.shape} for seed {DEFAULT_SEEDS[0]}: output shapes must not depend "
                            "on the input values")
        np.save(out / f"ref{k}.npy", arr)
    references = [f"ref{k}.npy" for k in range(len(outputs))]
    for name in references:
        os.chmod(out / name, 0o444)
    trial = Trial(seed=seed, graph_inputs=gfiles, node_inputs=node_files, references=references,
                  reference_sha256=[verify.file_sha256(out / name) for name in references])
    # The twin is checked against PyTorch under onnxruntime on the fixed seeds (cached for good);
    # per-run random seeds are checked against the candidate only.
    validation: dict[str, Any] = {"ort_max_abs_err": None, "note": "not validated (per-run seed)"}
    if seed in DEFAULT_SEEDS:
        validation = twin_mod.validate_isolated(Path(data.twin), [out / p for p in gfiles],
                                                [out / p for p in trial.references], data.atol, data.rtol, ref.id)
    (out / "trial.json").write_text(json.dumps({**asdict(trial)}))
    (out / "validation.json").write_text(json.dumps(validation))


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


_TEMPLATES: dict[tuple[Path, str], list[Any]] = {}


def reference_outputs(ref: TaskRef, graph_inputs: list[Any]) -> list[Any]:
    """PyTorch's outputs for these graph inputs (numpy arrays, in get_inputs' tensor order; any
    non-tensor arguments as get_inputs gives them): the references of the timed calls."""
    import numpy as np
    import torch

    module, model = _module_and_model(ref)
    key = (ref.path, task_key(ref))
    if key not in _TEMPLATES:
        _TEMPLATES[key] = make_inputs(ref, module, DEFAULT_SEEDS[0])
    feed = iter(graph_inputs)
    inputs = []
    for x in _TEMPLATES[key]:
        arr = next(feed, None) if isinstance(x, torch.Tensor) else None
        if arr is not None and (tuple(arr.shape) != tuple(x.shape) or arr.dtype != x.numpy().dtype):
            # the twin takes this input reshaped or cast to bool (twin_graph.Adapters): back to PyTorch's form
            arr = np.ascontiguousarray(arr).reshape(tuple(x.shape)).astype(x.numpy().dtype)
        inputs.append(torch.from_numpy(np.ascontiguousarray(arr)) if arr is not None else x)
    adapters = _adapters(_ADAPTERS.get(key, {}))
    return [adapters.reference(j, o) for j, o in enumerate(_forward(ref, model, inputs))]


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
