"""The default agent: replays kernels stored under kernels_generated/<label>/<Category>/<Task>/."""

from __future__ import annotations

import json
from typing import Any

from ..errors import AgentError
from ..tasks import TaskRef
from .base import Agent, KernelCandidate
from .registry import register


@register("replay")
class ReplayAgent(Agent):
    def generate(self, task: TaskRef, context: Any) -> KernelCandidate:
        directory = self.settings.kernel_dir(task)
        path = directory / "kernel.cpp"
        if not path.exists():
            raise AgentError(f"no kernel for {task.id} (looked for {path})")
        meta_path = directory / "meta.json"
        meta: dict[str, Any] = {}
        if meta_path.exists():
            try:
                meta = json.loads(meta_path.read_text())
            except json.JSONDecodeError as exc:
                raise AgentError(f"{meta_path}: not valid JSON ({exc})") from None
        return KernelCandidate(source=path.read_text(), origin=str(meta.get("origin", "unknown")), path=path, meta=meta)
