"""A stage's verdict as the plugin reports it: what was run, its outcome, and the figures behind it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

STAGES = ("compile", "correctness", "speed")


@dataclass
class StageResult:
    stage: str
    status: str  # passed | failed | skipped
    message: str
    props: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> StageResult:
        return cls(**json.loads(text))
