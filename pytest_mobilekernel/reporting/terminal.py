"""The run's tables in the terminal summary (numbers come from metrics.py, their spelling from formatting.py)."""

from __future__ import annotations

from typing import Any

from .formatting import micros, pct, table, times
from .metrics import (
    FAST_THRESHOLDS,
    Metrics,
    TaskOutcome,
    baseline_speedups_by_device,
    by_category,
    by_device,
    compute,
    devices_of,
    mnn_differs,
    ungated,
)


def _row(name: str, m: Metrics) -> list[str]:
    return [name, str(m.tasks), pct(m.csr), pct(m.fcr), *[pct(m.fast[p]) for p in FAST_THRESHOLDS],
            times(m.geomean_speedup)]


def render(outcomes: list[TaskOutcome], run: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    head = [f"agent={run.get('agent')}", f"label={run.get('label')}", f"device={run.get('device')}",
            f"target={run.get('target')}"]
    lines.append("MobileKernelBench: " + " ".join(head))
    task_rows = []
    for o in outcomes:
        verdict = ("build failed" if o.compiled is False else "wrong" if o.correct is False
                   else "correct" if o.correct else "built" if o.compiled else "-")
        note = "no MNN baseline" if o.no_mnn_baseline else \
            "MNN differs from PyTorch" if o.mnn_matches is False else ""
        vs_mnn = None if o.no_mnn_baseline else o.speedup
        if o.no_mnn_baseline and o.speedup is not None:  # e.g. a phone: over the reference kernel
            note += f"; {o.speedup:.2f}x vs {o.baseline or 'baseline'}"
        if o.baseline == "mnn-device":
            note = (note + "; " if note else "") + "MNN on the device"
        ci = (f"{o.speedup_ci_low:.2f}-{o.speedup_ci_high:.2f}" if vs_mnn is not None and o.speedup_ci_low is not None
              and o.speedup_ci_high is not None else "-")
        task_rows.append([o.task, verdict, micros(o.latency_us), micros(o.mnn_us), times(vs_mnn), ci,
                          times(o.speedup_torch), note])
    lines += table(task_rows, ["task", "verdict", "kernel_us", "mnn_us", "vs_mnn", "95% CI", "vs_torch", "note"])
    lines.append("")
    cat_rows = [_row(c, m) for c, m in by_category(outcomes).items()]
    total = compute(outcomes)
    cat_rows.append(_row("ALL", total))
    lines += table(cat_rows, ["category", "tasks", "CSR", "FCR", *[f"fast_{p:g}" for p in FAST_THRESHOLDS],
                              "geomean"])
    if any(v is not None for v in total.fast_significant.values()):
        lines.append("significantly faster (95% interval above p): " + ", ".join(
            f"fast_{p:g} {pct(v)}" for p, v in total.fast_significant.items()))
    if total.no_baseline:
        lines.append(f"{total.no_baseline} task(s) have no MNN baseline (counted as not fast); see vs_torch")
    differs = mnn_differs(outcomes)
    if differs:
        lines.append(f"{differs} task(s) where MNN's own kernel does not reproduce PyTorch within the task's "
                     "tolerance: their speedup compares against a kernel that is itself wrong")
    for line in sorted({o.failover for o in outcomes if o.failover}):
        lines.append(f"device failover: {line}")
    not_gated = ungated(outcomes)
    if not_gated:
        lines.append(f"{len(not_gated)} task(s) not gated against --mk-baseline (e.g. {not_gated[0].task}: "
                     f"{not_gated[0].gate}); see gate in the results")
    for k, v in total.pass_at.items():
        lines.append(f"pass@{k} (unbiased, over samples): {pct(v)}")
    if total.tokens:
        lines.append(f"LLM tokens: {total.tokens}")
    if total.geomean_speedup_torch:
        lines.append(f"geomean speedup over single-thread PyTorch eager: {times(total.geomean_speedup_torch)}")
    lines += per_device(outcomes)
    return lines


def per_device_wanted(outcomes: list[TaskOutcome]) -> bool:
    """Show the per-device section: several devices, or a baseline other than host MNN."""
    return len(devices_of(outcomes)) > 1 or any(
        o.baseline and o.baseline not in ("mnn", "none") for o in outcomes)


def per_device(outcomes: list[TaskOutcome]) -> list[str]:
    """The per-device table (empty when the run has one device timed against host MNN)."""
    if not per_device_wanted(outcomes):
        return []
    header = ["device", "tasks", "CSR", "FCR", *[f"fast_{p:g}" for p in FAST_THRESHOLDS], "baseline", "timed",
              "geomean"]
    speedups = baseline_speedups_by_device(outcomes)
    rows: list[list[str]] = []
    for device, m in by_device(outcomes).items():
        kinds = speedups[device] or {"-": {}}
        for i, (kind, s) in enumerate(kinds.items()):
            head = [device, str(m.tasks), pct(m.csr), pct(m.fcr), *[pct(m.fast[p]) for p in FAST_THRESHOLDS]]
            if i:
                head = [""] * len(head)
            rows.append([*head, kind, str(s.get("timed", 0)), times(s.get("geomean_speedup"))])
    lines = ["", "Per device (speedups are never pooled across devices; fast_p counts MNN baselines only):",
             *table(rows, header, left=(0, header.index("baseline")))]
    if any(o.baseline == "reference-kernel" for o in outcomes):
        lines.append("baseline reference-kernel: the task's reference kernel timed on the same device "
                     "(no MNN built for it: see --mk-mnn-runner)")
    return lines
