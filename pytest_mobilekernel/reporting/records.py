"""Per-item records: StageResult -> JUnit properties -> records in the controller -> per-task outcomes.

Items attach their record to ``item.user_properties`` (which reach JUnit XML and travel from xdist
workers to the controller with the report); the controller rebuilds per-task outcomes from the
reports it receives, so ``-n 0`` and ``-n 4`` aggregate the same way.
"""

from __future__ import annotations

import time
from typing import Any

from .metrics import TaskOutcome

PREFIX = "mk_"


def to_properties(result: Any) -> list[tuple[str, object]]:
    props = [(f"{PREFIX}status", result.status), (f"{PREFIX}message", result.message)]
    for k, v in result.props.items():
        props.append((f"{PREFIX}{k}", v))
    return props


def from_properties(props: list[tuple[str, object]]) -> dict[str, Any]:
    return {k[len(PREFIX):]: v for k, v in props if k.startswith(PREFIX)}


class ResultsCollector:
    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.started = time.time()

    def add(self, props: list[tuple[str, object]], outcome: str, duration: float) -> dict[str, Any] | None:
        record = from_properties(props)
        if "stage" not in record:
            return None
        record["pytest_outcome"] = outcome
        record["duration_s"] = round(duration, 3)
        self.records.append(record)
        return record

    def outcomes(self) -> list[TaskOutcome]:
        tasks: dict[str, TaskOutcome] = {}
        for r in sorted(self.records, key=lambda r: (r["task"], r["stage"])):
            o = tasks.setdefault(r["task"], TaskOutcome(task=r["task"], category=r["category"]))
            stage, status = r["stage"], r.get("status")
            if r.get("device") and not o.device:  # several --mk-device: which one evaluated the task
                o.device = r["device"]
            o.statuses[stage] = status
            o.messages[stage] = r.get("message", "")
            o.failover = r.get("failover") or o.failover
            if stage == "compile":
                o.compiled = status == "passed"
                o.n_samples, o.n_correct = r.get("n_samples"), r.get("n_correct")
                o.tokens = int(r.get("tokens") or 0)
            elif stage == "correctness":
                if status == "skipped" and str(r.get("message", "")).startswith("compile failed"):
                    o.compiled, o.correct = False, False
                elif status in ("passed", "failed"):
                    o.compiled, o.correct = True if o.compiled is None else o.compiled, status == "passed"
            elif stage == "speed":
                if status == "passed":
                    o.compiled, o.correct = True, True
                    o.speedup = r.get("speedup")
                    o.speedup_ci_low, o.speedup_ci_high = r.get("speedup_ci_low"), r.get("speedup_ci_high")
                    o.speedup_torch = r.get("speedup_torch")
                    o.latency_us = r.get("latency_us")
                    o.mnn_us = r.get("mnn_us")
                    o.no_mnn_baseline = r.get("no_mnn_baseline", "")
                    o.mnn_matches = r.get("mnn_matches")
                    o.baseline = r.get("baseline", "")
                    o.device = r.get("device", "")
                o.gate = r.get("gate", "")
        return sorted(tasks.values(), key=lambda o: o.task)
