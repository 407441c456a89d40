"""The MoKA loop: draft, evaluate, plan (Debugger or Accelerator), execute (Coder); keep the best.

Per iteration one candidate is evaluated. A build failure goes to the Debugger with the errors
located by the Error Extractor; a wrong output goes to the Debugger with the mismatch summary and
the ONNX node; a correct kernel goes to the Accelerator with its measured performance. After a
correct but slower candidate the loop continues from the fastest correct kernel so far. The kernel
kept is the fastest correct one (timed again, properly, by the speed stage), else the last one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...tasks import TaskRef
from ...tools.error_extractor import ErrorExtractor
from ...tools.repo_tree import RepositoryTree
from ..llm import LLM
from ..llm_agent import LLMAgent, PromptContext, evaluate
from ..registry import register
from .accelerator import Accelerator
from .coder import Coder
from .debugger import Debugger
from .memory import Memory


@register("moka")
class MokaAgent(LLMAgent):
    def config(self) -> dict[str, Any]:
        return {**super().config(), "max_iterations": self.max_iterations}

    @property
    def max_iterations(self) -> int:
        return self.settings.options.max_iterations

    def run(self, task: TaskRef, context: Any, llm: LLM, out: Path) -> tuple[str, dict[str, Any]]:
        data = context.task_data(task)
        view = context.target.agent_view(data)
        prompt = PromptContext(data, view)
        coder, accelerator = Coder(llm, prompt), Accelerator(llm, prompt)
        extractor = ErrorExtractor(view.sdk_root, RepositoryTree(view.sdk_root, include=view.tree_dirs))
        debugger = Debugger(llm, prompt, extractor)
        memory = Memory()
        iterations: list[dict[str, Any]] = []
        best: tuple[str, Any, int] | None = None

        current = coder.draft()
        last_source = current
        for it in range(1, self.max_iterations + 1):
            fb = evaluate(context, task, current, llm)
            is_best = bool(fb.correct) and (best is None or (fb.latency_us or 0) < (best[1].latency_us or 0))
            if is_best:
                best = (current, fb, it)  # type: ignore[assignment]
            outcome = fb.verdict + (f", speedup {fb.speedup:.2f}x" if fb.speedup else "")
            if fb.correct and not is_best:
                outcome += " (slower than the best; continuing from the best)"
            memory.resolve(outcome)
            iterations.append({"iteration": it, "verdict": fb.verdict, "message": fb.message or fb.build_message,
                               "latency_us": fb.latency_us, "mnn_us": fb.mnn_us, "speedup": fb.speedup,
                               "kept": is_best})
            self.progress(task, f"iteration {it}/{self.max_iterations}: {outcome}")
            if it == self.max_iterations:
                break
            if fb.correct and not is_best and best is not None:
                current, fb = best[0], best[1]  # an optimisation that did not pay off is dropped
            if not fb.built:
                role, plan = "Debugger", debugger.compile_plan(current, fb, memory)
            elif not fb.correct:
                role, plan = "Debugger", debugger.correctness_plan(current or "", fb, memory)
            else:
                role, plan = "Accelerator", accelerator.plan(current or "", fb, memory)
            memory.add(it, role, plan)
            revised = coder.apply(current or "", plan, role, memory)
            current = revised
            if revised is not None:
                last_source = revised
        source = best[0] if best else (last_source or "// the LLM returned no code\n")
        meta = {"iterations": iterations, "max_iterations": self.max_iterations,
                "best_iteration": best[2] if best else None, "memory": memory.as_list(),
                "note": "loop timings are quick (3 blocks); the speed stage re-times the kept kernel"}
        return source, meta
