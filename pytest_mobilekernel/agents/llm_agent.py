"""Base of the agents that ask an LLM: output layout, once-per-task generation, transcripts, meta."""

from __future__ import annotations

import json
import sys
import time
from abc import abstractmethod
from dataclasses import asdict
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..errors import AgentError
from ..targets import AgentView
from ..tasks import TaskData, TaskRef
from .base import Agent, AgentSettings, KernelCandidate
from .llm import LLM, LLMSettings, OpenAILLM, ReplayLLM, Transcript

TRANSCRIPT = "transcript.jsonl"


class PromptContext:
    """Everything the prompts show about a task and its framework (the target's AgentView)."""

    def __init__(self, data: TaskData, view: AgentView) -> None:
        self.task = data
        self.view = view
        self.tree = view.tree
        self.rules = view.rules
        self.example = view.example
        self.device = "host"

    def base(self) -> dict[str, Any]:
        return {"task": self.task, "tree": self.tree, "rules": self.rules, "example": self.example,
                "device": self.device, "framework": self.view}


class LLMAgent(Agent):
    needs_task_data = True

    def __init__(self, settings: AgentSettings) -> None:
        super().__init__(settings)
        self.llm_settings: LLMSettings = settings.options.llm or LLMSettings.from_env()

    def config(self) -> dict[str, Any]:
        return {"agent": self.name, "model": self.llm_settings.model}

    def generate(self, task: TaskRef, context: Any) -> KernelCandidate:
        out = self.settings.kernel_dir(task)
        out.mkdir(parents=True, exist_ok=True)
        # Once per task across xdist workers and reruns: the first worker generates, others wait and reuse.
        with FileLock(str(out) + ".lock"):
            meta_path = out / "meta.json"
            if meta_path.exists() and not self.settings.options.regenerate:
                meta = json.loads(meta_path.read_text())
                if meta.get("complete") and meta.get("config") == self.config() and (out / "kernel.cpp").exists():
                    return KernelCandidate((out / "kernel.cpp").read_text(), meta.get("origin", "llm"),
                                           out / "kernel.cpp", meta)
            for stale in ("kernel.cpp", "meta.json", TRANSCRIPT):
                (out / stale).unlink(missing_ok=True)
            transcript = Transcript(out / TRANSCRIPT)
            llm = self._llm(task, transcript)
            start = time.time()
            source, meta = self.run(task, context, llm, out)
            meta.update(complete=True, config=self.config(), origin=f"llm:{self.llm_settings.model}",
                        agent=self.name, model=self.llm_settings.model, tokens=llm.usage_dict(),
                        seconds=round(time.time() - start, 2), replayed=isinstance(llm, ReplayLLM))
            (out / "kernel.cpp").write_text(source)
            meta_path.write_text(json.dumps(meta, indent=1, default=str))
            return KernelCandidate(source, meta["origin"], out / "kernel.cpp", meta)

    def _llm(self, task: TaskRef, transcript: Transcript) -> LLM:
        if self.llm_settings.replay_dir is not None:
            src = Path(self.llm_settings.replay_dir) / task.category / task.name / TRANSCRIPT
            return ReplayLLM(self.llm_settings, src, transcript)
        return OpenAILLM(self.llm_settings, transcript)

    @abstractmethod
    def run(self, task: TaskRef, context: Any, llm: LLM, out: Path) -> tuple[str, dict[str, Any]]:
        """Produce the kernel source and the meta dict (iterations, verdicts...)."""

    def progress(self, task: TaskRef, line: str) -> None:
        # Visible live also under xdist: workers share the controller's stderr.
        sys.__stderr__.write(f"[{self.name}] {task.id}: {line}\n")
        sys.__stderr__.flush()


def evaluate(context: Any, task: TaskRef, source: str | None, llm: LLM, time_it: bool = True) -> Any:
    """Evaluate a candidate; in a replay the timing comes from the transcript, not the clock."""
    from ..evaluation import Feedback

    if source is None:
        fb = Feedback(False, "the reply had no ```cpp code block")
    elif isinstance(llm, ReplayLLM):
        fb = context.try_source(task, source, time_it=False)
        recorded = llm.recorded_feedback("evaluation")
        if recorded and fb.correct:
            for key in ("latency_us", "mnn_us", "speedup", "bytes", "gbps"):
                setattr(fb, key, recorded.get(key))
    else:
        fb = context.try_source(task, source, time_it=time_it)
    record = {k: v for k, v in asdict(fb).items() if k != "diagnostics"}
    llm.feedback("evaluation", record)
    return fb


def no_code(reply: str) -> AgentError:
    return AgentError(f"the LLM reply had no ```cpp code block: {reply[:120]!r}")
