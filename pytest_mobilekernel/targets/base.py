"""The Target interface: what a kernel is built against and how its runner is driven."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache import Cache
from ..toolchain import Toolchain


@dataclass
class BuildResult:
    ok: bool
    key: str
    message: str  # one line: "built" or the first error
    binary: Path | None = None
    diagnostics: list[dict[str, Any]] = field(default_factory=list)  # gcc JSON, for the Debugger
    log: str = ""
    seconds: float = 0.0
    cached: bool = False


@dataclass
class AgentView:
    """What the agents' prompts say about the framework a kernel is written against."""

    framework: str  # "the lite MNN SDK", "MNN 3.6.1 (your checkout)"
    rules: str  # how kernels are written there
    tree: str  # Repository Tree rendering
    example: str  # a complete kernel file of another operator
    op_type: str  # the OpType the kernel registers (OpType_<op_type>)
    attributes: str  # how the kernel reads the operator's attributes
    sdk_root: Path  # where the Error Extractor resolves cross-file errors
    kernel_file: str = "kernel.cpp"  # what the kernel file is called in the framework
    tree_dirs: tuple[str, ...] = ("include", "source")  # where the Error Extractor looks up declarations


class Target(ABC):
    name: str
    #: True where the runner takes the twin graph's inputs (a converted model), not the node's
    feeds_graph: bool = False

    #: the framework tree agents are grounded in (Repository Tree, headers, Error Extractor)
    sdk_dir: Path

    @abstractmethod
    def agent_view(self, task: Any) -> AgentView:
        """The framework as the agents' prompts show it, for one task (a tasks.TaskData)."""

    def timed_op_types(self, source: str) -> list[str]:
        """Op types the runner times for this kernel (targets that run a whole model)."""
        return []

    @abstractmethod
    def build(self, source: str, toolchain: Toolchain, cache: Cache) -> BuildResult:
        """Compile one kernel source into a runner binary (content-addressed, cached)."""

    @abstractmethod
    def write_spec(self, workdir: Path, plan: RunPlan) -> list[str]:
        """Write the runner's inputs into workdir; return the runner's argv (after the binary)."""

    def null_runner(self, tc: Toolchain, cache: Cache) -> Path | None:
        """A runner whose kernel does nothing: the protocol's own cost per call (None: not offered)."""
        return None


@dataclass
class TensorDesc:
    shape: list[int]
    dtype: str  # numpy dtype name: float32, int64, bool...


@dataclass
class RunPlan:
    """What one runner invocation does; paths are relative to the work directory."""

    op_type: str
    op_name: str
    attrs: dict[str, Any]
    inputs: list[TensorDesc | None]  # None: absent optional ONNX input
    outputs: list[TensorDesc]
    trials: list[tuple[list[str | None], list[str]]]  # (input files, output files) per trial
    threads: int = 1
    warmup: int = 0
    iterations: int = 0  # 0: no timing
    serve: bool = False  # stay up and run one timing block per stdin command
    # protocol v2 (protocol.py): how each input is fed to timed calls ({"const": True}, {"mix": g},
    # {"pick": g}), the block's nonce (per-invocation blocks), where every call's outputs are kept
    # ({"fd": N, "bytes": B} shared with the harness, or {"bytes": B}: a file), the null runner
    feeds: list[dict[str, Any] | None] = field(default_factory=list)
    nonce: int = 0
    retention: dict[str, int] = field(default_factory=dict)
    null: bool = False
    null_block: bool = False  # this invocation's block runs the protocol without the kernel
    # targets that run the converted model (--mk-target=mnn): the model and its graph's names, and the
    # op types whose execution is timed
    model: str | None = None
    input_names: list[str] = field(default_factory=list)
    output_names: list[str] = field(default_factory=list)
    op_types: list[str] = field(default_factory=list)
