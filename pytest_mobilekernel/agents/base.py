"""The Agent interface: something that produces a kernel source for a task."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import AgentOptions
from ..kernels import task_dir
from ..tasks import TaskRef


@dataclass
class AgentSettings:
    kernels_dir: Path  # kernels_generated/
    label: str  # sub-folder of kernels_dir holding this run's kernels
    options: AgentOptions = field(default_factory=AgentOptions)

    def kernel_dir(self, task: TaskRef) -> Path:
        """Where an agent writes this task's kernel (the per-task layout of kernels.py)."""
        return task_dir(self.kernels_dir, self.label, task)


@dataclass
class KernelCandidate:
    source: str
    origin: str  # "hand-written", "llm:<model>", ...
    path: Path | None = None
    meta: dict[str, Any] = field(default_factory=dict)


class Agent(ABC):
    name: str
    #: whether generate() needs the materialised task (torch, ONNX twin); replay does not
    needs_task_data: bool = False

    def __init__(self, settings: AgentSettings) -> None:
        self.settings = settings

    @abstractmethod
    def generate(self, task: TaskRef, context: Any) -> KernelCandidate:
        """Return the kernel for task. ``context`` gives lazy access to the task data and evaluation."""
