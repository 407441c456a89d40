"""--mk-report DIR: results.json, report.md and PNG plots for people (numbers from metrics.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np

from .metrics import FAST_THRESHOLDS, TaskOutcome, compute
from .report import render


def write(directory: Path, outcomes: list[TaskOutcome], run: dict[str, Any], results_file: Path,
          machine: dict[str, Any]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    if results_file.exists():
        target = directory / "results.json"
        if not (target.exists() and target.samefile(results_file)):  # make bench writes it there already
            shutil.copy(results_file, target)
        written.append(target)
    written += plots(directory, outcomes)
    md = directory / "report.md"
    md.write_text(markdown(outcomes, run, machine, [p.name for p in written if p.suffix == ".png"]))
    written.append(md)
    return written


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
        f"CSR {_pct(total.csr)}, FCR {_pct(total.fcr)}, "
        + ", ".join(f"fast_{p:g} {_pct(total.fast[p])}" for p in FAST_THRESHOLDS)
        + (f", geomean speedup over MNN {total.geomean_speedup:.2f}x" if total.geomean_speedup else ""), "",
    ]
    lines += [f"![{name}]({name})" for name in images]
    lines += ["", "## Tables", "```", *render(outcomes, run), "```", ""]
    flagged = [o for o in outcomes if o.speedup and o.speedup > 10]
    if flagged:
        lines += ["## Plausibility", "Speedups above 10x deserve a look by hand before anyone quotes them:", ""]
        lines += [f"- {o.task}: {o.speedup:.1f}x" for o in flagged]
    return "\n".join(lines) + "\n"


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{100 * v:.1f}%"


def plots(directory: Path, outcomes: list[TaskOutcome]) -> list[Path]:
    timed = [o for o in outcomes if o.correct and o.speedup]
    if not timed:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    cats = sorted({o.category for o in timed})
    fig, ax = plt.subplots(figsize=(max(6, 0.8 * len(cats) + 2), 4.5))
    for i, c in enumerate(cats):
        vals = [o.speedup for o in timed if o.category == c]
        jitter = np.linspace(-0.15, 0.15, len(vals)) if len(vals) > 1 else [0.0]
        ax.scatter(np.full(len(vals), i) + jitter, vals, s=18, alpha=0.75)
        ax.hlines(float(np.exp(np.mean(np.log(vals)))), i - 0.3, i + 0.3, colors="black", linewidth=2)
    for p in FAST_THRESHOLDS:
        ax.axhline(p, color="grey", linestyle="--", linewidth=0.8)
        ax.text(len(cats) - 0.5, p, f" fast_{p:g}", va="center", fontsize=8, color="grey")
    ax.set_yscale("log")
    ax.set_xticks(range(len(cats)), cats, rotation=30, ha="right")
    ax.set_ylabel("speedup over MNN (log)")
    ax.set_title("Speedup per category (bar: geometric mean)")
    fig.tight_layout()
    out.append(directory / "speedup_by_category.png")
    fig.savefig(out[-1], dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    vals = np.sort([o.speedup for o in timed])
    ax.step(vals, 1 - np.arange(len(vals)) / len(vals), where="post")
    for p in FAST_THRESHOLDS:
        share = compute(outcomes).fast[p]
        ax.axvline(p, color="grey", linestyle="--", linewidth=0.8)
        ax.text(p, 0.02, f" fast_{p:g} = {_pct(share)}", rotation=90, va="bottom", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("speedup over MNN (log)")
    ax.set_ylabel("share of timed tasks at least this fast")
    ax.set_title(f"Speedup distribution ({len(vals)} correct, timed tasks)")
    fig.tight_layout()
    out.append(directory / "speedup_distribution.png")
    fig.savefig(out[-1], dpi=120)
    plt.close(fig)
    return out
