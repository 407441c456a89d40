"""Terminal presentation of the results (numbers come from metrics.py)."""

from __future__ import annotations

from typing import Any

from . import devicesplit
from .metrics import FAST_THRESHOLDS, Metrics, TaskOutcome, by_category, compute


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def _x(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}x"


def _us(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}"


def _row(name: str, m: Metrics) -> list[str]:
    return [name, str(m.tasks), _pct(m.csr), _pct(m.fcr), *[_pct(m.fast[p]) for p in FAST_THRESHOLDS],
            _x(m.geomean_speedup)]


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return [fmt(header), "  ".join("-" * w for w in widths), *[fmt(r) for r in rows]]


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
        task_rows.append([o.task, verdict, _us(o.latency_us), _us(o.mnn_us), _x(vs_mnn), ci, _x(o.speedup_torch),
                          note])
    lines += _table(task_rows, ["task", "verdict", "kernel_us", "mnn_us", "vs_mnn", "95% CI", "vs_torch", "note"])
    lines.append("")
    cat_rows = [_row(c, m) for c, m in by_category(outcomes).items()]
    total = compute(outcomes)
    cat_rows.append(_row("ALL", total))
    lines += _table(cat_rows, ["category", "tasks", "CSR", "FCR", *[f"fast_{p:g}" for p in FAST_THRESHOLDS],
                               "geomean"])
    if any(v is not None for v in total.fast_significant.values()):
        lines.append("significantly faster (95% interval above p): " + ", ".join(
            f"fast_{p:g} {_pct(v)}" for p, v in total.fast_significant.items()))
    if total.no_baseline:
        lines.append(f"{total.no_baseline} task(s) have no MNN baseline (counted as not fast); see vs_torch")
    differs = sum(1 for o in outcomes if o.mnn_matches is False)
    if differs:
        lines.append(f"{differs} task(s) where MNN's own kernel does not reproduce PyTorch within the task's "
                     "tolerance: their speedup compares against a kernel that is itself wrong")
    for line in sorted({o.failover for o in outcomes if o.failover}):
        lines.append(f"device failover: {line}")
    ungated = [o for o in outcomes if o.gate.startswith("not ")]
    if ungated:
        lines.append(f"{len(ungated)} task(s) not gated against --mk-baseline (e.g. {ungated[0].task}: "
                     f"{ungated[0].gate}); see gate in the results")
    for k, v in total.pass_at.items():
        lines.append(f"pass@{k} (unbiased, over samples): {100 * v:.1f}%")
    if total.tokens:
        lines.append(f"LLM tokens: {total.tokens}")
    if total.geomean_speedup_torch:
        lines.append(f"geomean speedup over single-thread PyTorch eager: {total.geomean_speedup_torch:.2f}x")
    lines += devicesplit.render(outcomes)
    return lines
