"""The PNG plots of ``--mk-report DIR`` (numbers from metrics.py; matplotlib only when plots are drawn)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .formatting import pct
from .metrics import FAST_THRESHOLDS, TaskOutcome, category_geomeans, compute


def plots(directory: Path, outcomes: list[TaskOutcome]) -> list[Path]:
    per_category = category_geomeans(outcomes)
    if not per_category:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    cats = list(per_category)
    fig, ax = plt.subplots(figsize=(max(6, 0.8 * len(cats) + 2), 4.5))
    for i, (vals, mean) in enumerate(per_category.values()):
        jitter = np.linspace(-0.15, 0.15, len(vals)) if len(vals) > 1 else [0.0]
        ax.scatter(np.full(len(vals), i) + jitter, vals, s=18, alpha=0.75)
        ax.hlines(mean, i - 0.3, i + 0.3, colors="black", linewidth=2)
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
    vals = np.sort([v for speedups, _ in per_category.values() for v in speedups])
    total = compute(outcomes)
    ax.step(vals, 1 - np.arange(len(vals)) / len(vals), where="post")
    for p in FAST_THRESHOLDS:
        ax.axvline(p, color="grey", linestyle="--", linewidth=0.8)
        ax.text(p, 0.02, f" fast_{p:g} = {pct(total.fast[p])}", rotation=90, va="bottom", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("speedup over MNN (log)")
    ax.set_ylabel("share of timed tasks at least this fast")
    ax.set_title(f"Speedup distribution ({len(vals)} correct, timed tasks)")
    fig.tight_layout()
    out.append(directory / "speedup_distribution.png")
    fig.savefig(out[-1], dpi=120)
    plt.close(fig)
    return out
