"""The paper's baseline: one query per sample, no feedback. ``--samples k`` gives pass@k."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..tasks import TaskRef
from .llm import LLM, extract_code
from .llm_agent import LLMAgent, PromptContext, evaluate
from .prompting import messages
from .registry import register


@register("oneshot")
class OneShotAgent(LLMAgent):
    def config(self) -> dict[str, Any]:
        return {**super().config(), "samples": self.samples}

    @property
    def samples(self) -> int:
        return self.settings.options.samples

    def run(self, task: TaskRef, context: Any, llm: LLM, out: Path) -> tuple[str, dict[str, Any]]:
        data = context.task_data(task)
        prompt = PromptContext(data, context.target.agent_view(data))
        samples_dir = out / "samples"
        samples_dir.mkdir(exist_ok=True)
        results = []
        sources: list[str | None] = []
        for s in range(self.samples):
            reply = llm.complete("Coder", messages("Coder", "coder_draft.j2", **prompt.base()))
            source = extract_code(reply)
            sources.append(source)
            fb = evaluate(context, task, source, llm, time_it=False)
            if source is not None:
                (samples_dir / f"sample_{s}.cpp").write_text(source)
            results.append({"sample": s, "verdict": fb.verdict, "built": fb.built, "correct": bool(fb.correct),
                            "message": fb.message or fb.build_message})
            self.progress(task, f"sample {s + 1}/{self.samples}: {fb.verdict}")
        order = sorted(range(len(results)), key=lambda i: (not results[i]["correct"], not results[i]["built"], i))
        chosen = next((i for i in order if sources[i] is not None), None)
        source = sources[chosen] if chosen is not None else "// the LLM returned no code\n"
        meta = {"samples": results, "n_samples": len(results),
                "n_correct": sum(r["correct"] for r in results), "n_built": sum(r["built"] for r in results),
                "chosen_sample": chosen}
        return source, meta
