"""CI regression gate: compare this run's verdicts with a stored results file.

The gate compares *speedups over MNN measured in the same run*, not latencies: both arms of a
speedup see the same machine, so a runner that is 10 % slower today than the one that stored the
baseline does not trip the gate, while a kernel that got 10 % slower relative to MNN does. Tasks
without an MNN baseline compare their speedup over PyTorch eager.

A speedup is only compared with one of the same kind: the same device and the same baseline arm
(``mnn`` on this machine, ``mnn-device`` on a phone, ``mnn-tree``, ``reference-kernel``). A task
whose record differs is not gated, and its item says why (``gate`` in the results); a stored run
with another target or thread count is refused at start, as every speedup would differ in kind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MobileKernelError

ARM_NAMES = {"mnn": "MNN", "mnn-device": "MNN on the device", "mnn-tree": "MNN's original kernel (tree)",
             "reference-kernel": "the reference kernel"}


@dataclass
class GateCheck:
    failure: str = ""  # the item fails with this
    note: str = ""  # what was compared, or why nothing was


@dataclass
class Baseline:
    path: Path
    tasks: dict[str, dict[str, Any]]
    max_slowdown: float  # 0.10 = fail when the speedup drops by more than 10 %
    run: dict[str, Any]

    @classmethod
    def load(cls, path: Path, max_slowdown: float) -> Baseline:
        try:
            doc = json.loads(Path(path).read_text())
            tasks = {t["task"]: t for t in doc["tasks"]}
            run = dict(doc.get("run") or {})
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise MobileKernelError(f"--mk-baseline {path}: not a pytest-mobilekernel results file ({exc})") from None
        return cls(Path(path), tasks, max_slowdown, run)

    def check_run(self, target: str, threads: int) -> None:
        """Refuse a stored run whose speedups are of another kind than this run's."""
        for what, then, now in (("--mk-target", self.run.get("target"), target),
                                ("--mk-threads", self.run.get("threads"), threads)):
            if then is not None and then != now:
                raise MobileKernelError(f"--mk-baseline {self.path}: measured with {what}={then}, this run uses "
                                        f"{what}={now}; speedups are not comparable (store a baseline with the "
                                        f"same settings)")

    def correctness_regression(self, task: str, correct: bool) -> str:
        before = self.tasks.get(task)
        if before and before.get("correct") and not correct:
            return f"regression: correct in the baseline {self.path.name}, wrong now"
        return ""

    def speed_check(self, task: str, now: dict[str, Any]) -> GateCheck:
        """``now``: the speed item's properties (speedup, speedup_torch, baseline, device)."""
        before = self.tasks.get(task)
        if not before:
            return GateCheck(note=f"not in the baseline {self.path.name}")
        if before.get("device") and now.get("device") and before["device"] != now["device"]:
            return GateCheck(note=f"not compared: timed on {before['device']} in the baseline, on {now['device']} now")
        candidates = []
        if before.get("baseline") == now.get("baseline"):
            label = now.get("baseline") or "mnn"
            candidates.append((ARM_NAMES.get(label, label), now.get("speedup"), before.get("speedup")))
        candidates.append(("PyTorch eager", now.get("speedup_torch"), before.get("speedup_torch")))
        for name, speedup, then in candidates:
            if speedup is None or not then:
                continue
            drop = 1 - speedup / then
            if drop > self.max_slowdown:
                return GateCheck(failure=f"regression: speedup over {name} {speedup:.3f}x vs {then:.3f}x in the "
                                         f"baseline ({100 * drop:.0f}% slower, limit {100 * self.max_slowdown:.0f}%)")
            return GateCheck(note=f"speedup over {name} {speedup:.3f}x vs {then:.3f}x in the baseline")
        if before.get("baseline") != now.get("baseline"):
            return GateCheck(note=f"not compared: speedup over {before.get('baseline') or 'nothing'} in the baseline, "
                                  f"over {now.get('baseline') or 'nothing'} now")
        return GateCheck(note="not compared: no speedup in the baseline")
