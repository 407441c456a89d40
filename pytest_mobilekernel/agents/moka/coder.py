"""The Coder: drafts the kernel, then carries out the Debugger's and Accelerator's plans."""

from __future__ import annotations

from typing import Any

from ..llm import LLM, extract_code
from ..llm_agent import PromptContext
from ..prompting import messages
from .memory import Memory


class Coder:
    role = "Coder"

    def __init__(self, llm: LLM, prompt: PromptContext) -> None:
        self.llm = llm
        self.prompt = prompt

    def draft(self) -> str | None:
        return extract_code(self.llm.complete(self.role, messages(self.role, "coder_draft.j2", **self.prompt.base())))

    def apply(self, kernel: str, plan: dict[str, Any], plan_role: str, memory: Memory) -> str | None:
        msgs = messages(self.role, "coder_apply.j2", kernel=kernel, plan=plan, plan_role=plan_role,
                        memory=memory.as_list(), **self.prompt.base())
        return extract_code(self.llm.complete(self.role, msgs))
