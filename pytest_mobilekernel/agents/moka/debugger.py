"""The Debugger: turns compiler errors (located by the Error Extractor) or a mismatch into a plan.

Its reply must be JSON with ``local_error_suggestion`` and ``crossfile_error_suggestion``; a reply
that is not is kept as free text (and the memory says so) rather than losing the iteration.
"""

from __future__ import annotations

from typing import Any

from ...tools.error_extractor import ErrorExtractor
from ..llm import LLM, extract_json
from ..llm_agent import PromptContext
from ..prompting import messages
from .memory import Memory

KEYS = ("local_error_suggestion", "crossfile_error_suggestion")


class Debugger:
    role = "Debugger"

    def __init__(self, llm: LLM, prompt: PromptContext, extractor: ErrorExtractor) -> None:
        self.llm = llm
        self.prompt = prompt
        self.extractor = extractor

    def compile_plan(self, kernel: str | None, feedback: Any, memory: Memory) -> dict[str, Any]:
        errors = [e.render() for e in self.extractor.extract(feedback.diagnostics, kernel or "")]
        msgs = messages(self.role, "debugger_compile.j2", kernel=kernel or "(no kernel: the reply had no code)",
                        errors=errors, build_message=feedback.build_message, memory=memory.as_list(),
                        **self.prompt.base())
        return self._plan(self.llm.complete(self.role, msgs))

    def correctness_plan(self, kernel: str, feedback: Any, memory: Memory) -> dict[str, Any]:
        msgs = messages(self.role, "debugger_correctness.j2", kernel=kernel, mismatch=feedback.mismatch or
                        feedback.message, memory=memory.as_list(), **self.prompt.base())
        return self._plan(self.llm.complete(self.role, msgs))

    @staticmethod
    def _plan(reply: str) -> dict[str, Any]:
        data = extract_json(reply)
        if data is None or not any(k in data for k in KEYS):
            return {"local_error_suggestion": reply.strip()[:2000], "crossfile_error_suggestion": "",
                    "note": "the Debugger's reply was not the JSON asked for; kept as free text"}
        return {k: str(data.get(k, "")) for k in KEYS}
