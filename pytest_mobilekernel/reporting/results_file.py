"""The machine-readable results file (``--mk-results``, schema pytest-mobilekernel/results/1)."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .metrics import Metrics, TaskOutcome, baseline_speedups_by_device, by_category, by_device, compute
from .records import ResultsCollector

SCHEMA = "pytest-mobilekernel/results/1"


def document(collector: ResultsCollector, run_info: dict[str, Any]) -> dict[str, Any]:
    outcomes = collector.outcomes()
    return {
        "schema": SCHEMA,
        "run": {**run_info, "started": collector.started, "finished": time.time(),
                "machine": platform.machine(), "node": platform.node()},
        "metrics": metrics_dict(compute(outcomes)),
        "categories": {c: metrics_dict(m) for c, m in by_category(outcomes).items()},
        "devices": per_device(outcomes),
        "tasks": [asdict(o) for o in outcomes],
        "items": collector.records,
    }


def write(path: Path, collector: ResultsCollector, run_info: dict[str, Any]) -> dict[str, Any]:
    """Write the results file atomically (a reader never sees half a file) and return its document."""
    doc = document(collector, run_info)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1, default=str))
    tmp.replace(path)
    return doc


def per_device(outcomes: list[TaskOutcome]) -> dict[str, Any]:
    """Per device: its metrics and its speedups per baseline kind (speedups are never pooled across devices)."""
    baselines = baseline_speedups_by_device(outcomes)
    return {d: {**metrics_dict(m), "baselines": baselines[d]} for d, m in by_device(outcomes).items()}


def metrics_dict(m: Metrics) -> dict[str, Any]:
    """JSON keys for the thresholds (fast_1.5, pass@5) instead of bare numbers."""
    d = asdict(m)
    d["fast"] = {f"fast_{p:g}": v for p, v in m.fast.items()}
    d["fast_significant"] = {f"fast_{p:g}": v for p, v in m.fast_significant.items()}
    d["pass_at"] = {f"pass@{k}": v for k, v in m.pass_at.items()}
    return d
