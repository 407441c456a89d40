"""Shared memory of MoKA: every plan made for a kernel and what came of it.

It is rendered into every prompt (self-reflection: the roles see which repairs and optimisations
were tried and whether they helped), and gives the Accelerator the list of optimisations not to
propose again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class MemoryEntry:
    iteration: int
    role: str
    plan: dict[str, Any]
    outcome: str = "pending"

    @property
    def summary(self) -> str:
        if self.role == "Accelerator":
            return f"{self.plan.get('optimisation_method', '?')} (bottleneck: {self.plan.get('bottleneck', '?')})"
        text = "; ".join(str(v) for v in self.plan.values() if v)
        return text if len(text) <= 300 else text[:297] + "..."


@dataclass
class Memory:
    entries: list[MemoryEntry] = field(default_factory=list)

    def add(self, iteration: int, role: str, plan: dict[str, Any]) -> MemoryEntry:
        entry = MemoryEntry(iteration, role, plan)
        self.entries.append(entry)
        return entry

    def resolve(self, outcome: str) -> None:
        """The latest plan's outcome, once its kernel has been evaluated."""
        if self.entries and self.entries[-1].outcome == "pending":
            self.entries[-1].outcome = outcome

    def attempted_optimisations(self) -> list[str]:
        return [f"{e.plan.get('optimisation_method', '')} → {e.outcome}" for e in self.entries
                if e.role == "Accelerator"]

    def as_list(self) -> list[dict[str, Any]]:
        return [{"iteration": e.iteration, "role": e.role, "summary": e.summary, "outcome": e.outcome,
                 "plan": e.plan} for e in self.entries]
