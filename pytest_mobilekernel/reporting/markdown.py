"""report.md of ``--mk-report DIR``: the machine, the summary, the terminal's tables, speedups to check by hand."""

from __future__ import annotations

from typing import Any

from .formatting import pct, times
from .metrics import FAST_THRESHOLDS, TaskOutcome, compute
from .terminal import render

PLAUSIBLE_SPEEDUP = 10.0  # above it a speedup is listed for a look by hand


def markdown(outcomes: list[TaskOutcome], run: dict[str, Any], machine: dict[str, Any], images: list[str]) -> str:
    total = compute(outcomes)
    cpu = machine.get("cpu", {})
    lines = [
        "# MobileKernelBench report", "",
        f"agent `{run.get('agent')}`, kernels `{run.get('label')}`, device `{run.get('device')}`, "
        f"target `{run.get('target')}`, seeds {run.get('seeds')}, {run.get('threads')} thread(s), "
        f"{run.get('blocks')} timing blocks per arm.", "",
        "## Machine",
        f"- CPU: {cpu.get('model')} ({cpu.get('cores')} cores), ISA: {', '.join(cpu.get('isa', [])) or '-'}",
        f"- {machine.get('system')}, Python {machine.get('python')}",
        f"- compiler: {machine.get('compiler')}",
        f"- MNN {machine.get('mnn')}, torch {machine.get('torch')}, onnxruntime {machine.get('onnxruntime')}",
        "", "## Summary",
        f"CSR {pct(total.csr)}, FCR {pct(total.fcr)}, "
        + ", ".join(f"fast_{p:g} {pct(total.fast[p])}" for p in FAST_THRESHOLDS)
        + (f", geomean speedup over MNN {times(total.geomean_speedup)}" if total.geomean_speedup else ""), "",
    ]
    lines += [f"![{name}]({name})" for name in images]
    lines += ["", "## Tables", "```", *render(outcomes, run), "```", ""]
    flagged = [o for o in outcomes if o.speedup and o.speedup > PLAUSIBLE_SPEEDUP]
    if flagged:
        lines += ["## Plausibility", f"Speedups above {PLAUSIBLE_SPEEDUP:g}x deserve a look by hand before anyone "
                  "quotes them:", ""]
        lines += [f"- {o.task}: {o.speedup:.1f}x" for o in flagged]
    return "\n".join(lines) + "\n"
