"""The default agent: replays the kernels stored under a label (layouts: see kernels.py)."""

from __future__ import annotations

from typing import Any

from ..kernels import kernel_source
from ..tasks import TaskRef
from .base import Agent, KernelCandidate
from .registry import register


@register("replay")
class ReplayAgent(Agent):
    def generate(self, task: TaskRef, context: Any) -> KernelCandidate:
        stored = kernel_source(self.settings.kernels_dir, self.settings.label, task)
        return KernelCandidate(source=stored.path.read_text(), origin=str(stored.meta.get("origin", "unknown")),
                               path=stored.path, meta=stored.meta)
