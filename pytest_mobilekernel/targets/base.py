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


class Target(ABC):
    name: str

    @abstractmethod
    def build(self, source: str, toolchain: Toolchain, cache: Cache) -> BuildResult:
        """Compile one kernel source into a runner binary (content-addressed, cached)."""

    @abstractmethod
    def write_spec(self, workdir: Path, plan: RunPlan) -> list[str]:
        """Write the runner's inputs into workdir; return the runner's argv (after the binary)."""


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
    timing_file: str = "timing.json"
    timing_outputs: list[list[str]] = field(default_factory=list)  # per trial: outputs of its last timed call
    serve: bool = False  # stay up and run one timing block per stdin command
