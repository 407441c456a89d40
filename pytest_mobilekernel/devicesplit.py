"""Speedups per device: a run on several devices (``--device`` more than once) reports them apart.

A speedup is a ratio measured on one device; pooling ratios from a phone and from this machine
(or from two phones) into one geomean or fast_p would mean nothing, so the run's totals leave the
speed figures out (metrics.compute) as soon as timed tasks come from more than one device, and
this table gives them per device instead, each with the baseline it was measured against
(``mnn`` = the mnn wheel on this machine, ``mnn-device`` = MNN on the phone via --mnn-runner,
``mnn-tree`` = MNN's original kernel built from the --mnn-root checkout,
``reference-kernel`` = the task's reference kernel on the same device; see devicespeed.py).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .metrics import FAST_THRESHOLDS, Metrics, TaskOutcome, compute, geomean

MNN_BASELINES = ("mnn", "mnn-device", "mnn-tree")


def by_device(outcomes: list[TaskOutcome]) -> dict[str, Metrics]:
    """Metrics over the tasks evaluated on each device (a task belongs to the device of its records)."""
    groups: dict[str, list[TaskOutcome]] = {}
    for o in outcomes:
        groups.setdefault(o.device or "?", []).append(o)
    return {d: compute(v) for d, v in sorted(groups.items())}


def baseline_speedups(outcomes: list[TaskOutcome]) -> dict[str, dict[str, Any]]:
    """Per baseline kind: how many correct tasks were timed against it and the geomean speedup."""
    kinds: dict[str, list[float]] = {}
    for o in outcomes:
        if o.correct and o.speedup is not None:
            kinds.setdefault(o.baseline or "mnn", []).append(o.speedup)
    return {k: {"timed": len(v), "geomean_speedup": geomean(v)} for k, v in sorted(kinds.items())}


def devices_of(outcomes: list[TaskOutcome]) -> list[str]:
    return sorted({o.device for o in outcomes if o.device})


def wanted(outcomes: list[TaskOutcome]) -> bool:
    """Show the per-device section: several devices, or a baseline other than host MNN."""
    return len(devices_of(outcomes)) > 1 or any(
        o.baseline and o.baseline not in ("mnn", "none") for o in outcomes)


def per_device_dict(outcomes: list[TaskOutcome]) -> dict[str, Any]:
    """For results.json: per device, its metrics and its speedups per baseline kind."""
    out: dict[str, Any] = {}
    for device, m in by_device(outcomes).items():
        d = asdict(m)
        d["fast"] = {f"fast_{p:g}": v for p, v in m.fast.items()}
        d["pass_at"] = {f"pass@{k}": v for k, v in m.pass_at.items()}
        d["baselines"] = baseline_speedups([o for o in outcomes if (o.device or "?") == device])
        out[device] = d
    return out


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def _x(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}x"


def render(outcomes: list[TaskOutcome]) -> list[str]:
    """The per-device table (empty when the run has one device timed against host MNN)."""
    if not wanted(outcomes):
        return []
    header = ["device", "tasks", "CSR", "FCR", *[f"fast_{p:g}" for p in FAST_THRESHOLDS], "baseline", "timed",
              "geomean"]
    rows: list[list[str]] = []
    for device, m in by_device(outcomes).items():
        kinds = baseline_speedups([o for o in outcomes if (o.device or "?") == device]) or {"-": {}}
        for i, (kind, s) in enumerate(kinds.items()):
            head = [device, str(m.tasks), _pct(m.csr), _pct(m.fcr), *[_pct(m.fast[p]) for p in FAST_THRESHOLDS]]
            if i:
                head = [""] * len(head)
            rows.append([*head, kind, str(s.get("timed", 0)), _x(s.get("geomean_speedup"))])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if i in (0, 7) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    lines = ["", "Per device (speedups are never pooled across devices; fast_p counts MNN baselines only):",
             fmt(header), "  ".join("-" * w for w in widths), *[fmt(r) for r in rows]]
    if any(o.baseline == "reference-kernel" for o in outcomes):
        lines.append("baseline reference-kernel: the task's reference kernel timed on the same device "
                     "(no MNN built for it: see --mnn-runner)")
    return lines
