"""CI regression gate: compare this run's verdicts with a stored results file.

The gate compares *speedups over MNN measured in the same run*, not latencies: both arms of a
speedup see the same machine, so a runner that is 10 % slower today than the one that stored the
baseline does not trip the gate, while a kernel that got 10 % slower relative to MNN does. Tasks
without an MNN baseline compare their speedup over PyTorch eager.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import MobileKernelError


@dataclass
class Baseline:
    path: Path
    tasks: dict[str, dict[str, Any]]
    max_slowdown: float  # 0.10 = fail when the speedup drops by more than 10 %

    @classmethod
    def load(cls, path: Path, max_slowdown: float) -> Baseline:
        try:
            doc = json.loads(Path(path).read_text())
            tasks = {t["task"]: t for t in doc["tasks"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise MobileKernelError(f"--mk-baseline {path}: not a pytest-mobilekernel results file ({exc})") from None
        return cls(Path(path), tasks, max_slowdown)

    def correctness_regression(self, task: str, correct: bool) -> str:
        before = self.tasks.get(task)
        if before and before.get("correct") and not correct:
            return f"regression: correct in the baseline {self.path.name}, wrong now"
        return ""

    def speed_regression(self, task: str, speedup: float | None, speedup_torch: float | None) -> str:
        before = self.tasks.get(task)
        if not before:
            return ""
        for name, now, then in (("MNN", speedup, before.get("speedup")),
                                ("PyTorch eager", speedup_torch, before.get("speedup_torch"))):
            if now is None or not then:
                continue
            drop = 1 - now / then
            if drop > self.max_slowdown:
                return (f"regression: speedup over {name} {now:.3f}x vs {then:.3f}x in the baseline "
                        f"({100 * drop:.0f}% slower, limit {100 * self.max_slowdown:.0f}%)")
            return ""
        return ""
