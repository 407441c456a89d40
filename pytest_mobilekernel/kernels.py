"""Where a label's stored kernel for a task is: the one resolver behind the replay agent, the phone's
reference-kernel baseline, the tests and the benchmark scripts.

A label is a folder of ``--kernels-dir`` (``kernels_generated/``). It stores kernels in one of two
ways, or both:

per task   ``<label>/<Category>/<Task>/kernel.cpp`` (+ ``meta.json``): what every agent writes, since
           an LLM's kernel, transcript and meta belong to one task.
shared     ``<label>/index.toml`` points each task at a file below the label (``ops/Conv.cpp``), so
           a kernel that serves many tasks (one Conv for 14 tasks) is stored, and fixed, once. The
           hand-written ``reference`` and ``reference-mnn`` labels are stored this way::

               [meta]                      # reported for every kernel of the index (origin...)
               origin = "hand-written"

               [tasks.Convolution]         # one table per category: task = file below the label
               Conv = "ops/Conv.cpp"
               Conv3D = "ops/Conv.cpp"

A per-task ``kernel.cpp`` wins over the index: it is what an agent last wrote for that task under
the label, and it lets one task try another kernel without touching a file other tasks share. The
shipped reference labels have none (tests/test_shipped.py checks), so there the index is the source.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AgentError

if TYPE_CHECKING:
    from .tasks import TaskRef

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli below 3.11
    import tomli as tomllib

MANIFEST = "index.toml"
KERNEL_FILE = "kernel.cpp"
META_FILE = "meta.json"


class KernelNotFound(AgentError):
    """No usable stored kernel for the task under the label; str() is one line saying what to fix."""


@dataclass(frozen=True)
class KernelSource:
    path: Path  # the C++ file
    meta: dict[str, Any] = field(default_factory=dict)  # meta.json beside it, or the index's [meta]


@dataclass(frozen=True)
class Manifest:
    path: Path
    meta: dict[str, Any]
    tasks: dict[str, str]  # "Category/Task" -> file, relative to the label folder

    def files(self) -> set[Path]:
        """Every kernel file the index points at (each once)."""
        return {self.path.parent / rel for rel in self.tasks.values()}


def task_dir(kernels_dir: Path, label: str, ref: TaskRef) -> Path:
    """The per-task folder of label: where agents write a task's kernel, meta and transcript."""
    return Path(kernels_dir) / label / ref.category / ref.name


def read_manifest(label_dir: Path) -> Manifest | None:
    """The label's index.toml, or None when the label has none (per-task layout only)."""
    path = Path(label_dir) / MANIFEST
    if not path.is_file():
        return None
    try:
        doc = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KernelNotFound(f"{path}: not valid TOML ({exc})") from None
    meta, categories = doc.get("meta", {}), doc.get("tasks", {})
    unknown = sorted(set(doc) - {"meta", "tasks"})
    if unknown or not isinstance(meta, dict) or not isinstance(categories, dict):
        raise KernelNotFound(f"{path}: expected only a [meta] table and [tasks.<Category>] tables, "
                             f"got {unknown or 'another shape'}")
    tasks: dict[str, str] = {}
    for category, entries in categories.items():
        if not isinstance(entries, dict):
            raise KernelNotFound(f"{path}: [tasks.{category}] must be a table of Task = \"file\" entries")
        for name, rel in entries.items():
            # relative and inside the label: the index names the label's own files, nothing else
            if not isinstance(rel, str) or Path(rel).is_absolute() or ".." in Path(rel).parts:
                raise KernelNotFound(f"{path}: {category}/{name} = {rel!r} is not a path inside {path.parent}")
            tasks[f"{category}/{name}"] = rel
    return Manifest(path, meta, tasks)


def kernel_source(kernels_dir: Path, label: str, ref: TaskRef) -> KernelSource:
    """The kernel stored under label for ref: its per-task kernel.cpp if there is one, else the file
    the label's index.toml points it at. Raises KernelNotFound with one line naming what to fix."""
    own = task_dir(kernels_dir, label, ref)
    if (own / KERNEL_FILE).is_file():
        return KernelSource(own / KERNEL_FILE, _read_meta(own / META_FILE))
    manifest = read_manifest(Path(kernels_dir) / label)
    if manifest is None:
        raise KernelNotFound(f"no kernel for {ref.id} (looked for {own / KERNEL_FILE})")
    rel = manifest.tasks.get(ref.id)
    if rel is None:
        raise KernelNotFound(f"no kernel for {ref.id}: {manifest.path} has no entry for it "
                             f"(add {ref.name} = \"<file>\" under [tasks.{ref.category}])")
    path = manifest.path.parent / rel
    if not path.is_file():
        raise KernelNotFound(f"no kernel for {ref.id}: {manifest.path} points it at {rel}, which does not exist")
    return KernelSource(path, dict(manifest.meta))


def _read_meta(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        meta = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise KernelNotFound(f"{path}: not valid JSON ({exc})") from None
    return meta if isinstance(meta, dict) else {}
