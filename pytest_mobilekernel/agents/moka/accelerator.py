"""The Accelerator: one bottleneck, one optimisation per iteration, from measured performance."""

from __future__ import annotations

from typing import Any

from ..llm import LLM, extract_json
from ..llm_agent import PromptContext
from ..prompting import messages
from .memory import Memory

KEYS = ("bottleneck", "optimisation_method", "modification_plan")
MAX_WORDS = 100


class Accelerator:
    role = "Accelerator"

    def __init__(self, llm: LLM, prompt: PromptContext) -> None:
        self.llm = llm
        self.prompt = prompt

    def plan(self, kernel: str, feedback: Any, memory: Memory) -> dict[str, Any]:
        perf = {"latency_us": feedback.latency_us or 0.0, "mnn_us": feedback.mnn_us, "speedup": feedback.speedup,
                "bytes": feedback.bytes, "gbps": feedback.gbps or 0.0,
                "ceiling_gbps": getattr(feedback, "ceiling_gbps", None),
                "ceiling_bytes": getattr(feedback, "ceiling_bytes", None)}
        msgs = messages(self.role, "accelerator.j2", kernel=kernel, perf=perf,
                        attempted=memory.attempted_optimisations(), memory=memory.as_list(), **self.prompt.base())
        reply = self.llm.complete(self.role, msgs)
        data = extract_json(reply)
        if data is None or not all(k in data for k in KEYS):
            return {"bottleneck": "unknown", "optimisation_method": "unspecified",
                    "modification_plan": reply.strip()[:1000],
                    "note": "the Accelerator's reply was not the JSON asked for; kept as free text"}
        plan = {}
        for k in KEYS:
            words = str(data[k]).split()
            plan[k] = " ".join(words[:MAX_WORDS]) + (" [truncated to 100 words]" if len(words) > MAX_WORDS else "")
        return plan
