"""Every number the run publishes, computed from per-task outcomes (numbers only: terminal.py,
markdown.py, plots.py and results_file.py present them).

CSR    = tasks whose kernel builds / all tasks
FCR    = tasks whose kernel is correct / all tasks
fast_p = tasks correct AND speedup over MNN > p / all tasks   (p = 0.5, 1.0, 1.5)
fast_p significant = tasks correct AND the lower end of the speedup's 95 % interval > p / all tasks
pass@k = 1 - C(n-c, k) / C(n, k) per task, averaged (unbiased estimator for n samples, c correct)
A task with no MNN baseline never counts as fast (its speedup over PyTorch eager is reported apart).

Speedups per device: a speedup is a ratio measured on one device; pooling ratios from a phone and
from this machine (or from two phones) into one geomean or fast_p would mean nothing, so the run's
totals leave the speed figures out as soon as timed tasks come from more than one device, and
``by_device`` gives them per device instead, each with the baseline it was measured against
(``mnn`` = the mnn wheel on this machine, ``mnn-device`` = MNN on the phone via --mk-mnn-runner,
``mnn-tree`` = MNN's original kernel built from the --mk-mnn-root checkout,
``reference-kernel`` = the task's reference kernel on the same device; see baselines/).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import comb
from typing import Any

import numpy as np

FAST_THRESHOLDS = (0.5, 1.0, 1.5)


@dataclass
class TaskOutcome:
    task: str
    category: str
    compiled: bool | None = None  # None: stage not run
    correct: bool | None = None
    speedup: float | None = None  # over MNN
    speedup_ci_low: float | None = None  # its 95 % bootstrap interval over the paired blocks
    speedup_ci_high: float | None = None
    speedup_torch: float | None = None
    latency_us: float | None = None
    mnn_us: float | None = None
    no_mnn_baseline: str = ""
    mnn_matches: bool | None = None  # does MNN's own kernel reproduce PyTorch on this task?
    device: str = ""
    baseline: str = ""
    gate: str = ""  # --mk-baseline: what the CI gate compared, or why it did not
    failover: str = ""  # a device went away before this task ran: which, and where it ran instead
    n_samples: int | None = None  # oneshot: samples drawn, and how many were correct
    n_correct: int | None = None
    tokens: int = 0
    messages: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)


@dataclass
class Metrics:
    tasks: int
    csr: float | None
    fcr: float | None
    fast: dict[float, float | None]
    geomean_speedup: float | None
    geomean_speedup_torch: float | None
    timed: int
    no_baseline: int
    pass_at: dict[int, float] = field(default_factory=dict)
    tokens: int = 0
    # fast_p counting only speedups whose 95 % interval lies above p ("significantly faster")
    fast_significant: dict[float, float | None] = field(default_factory=dict)


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k (Chen et al. 2021) for n samples of which c are correct."""
    if k > n:
        raise ValueError(f"pass@{k} needs at least {k} samples, got {n}")
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def geomean(values: list[float]) -> float | None:
    vals = [v for v in values if v and v > 0]
    return float(np.exp(np.mean(np.log(vals)))) if vals else None


def compute(outcomes: list[TaskOutcome]) -> Metrics:
    n = len(outcomes)
    ran_compile = [o for o in outcomes if o.compiled is not None]
    ran_correct = [o for o in outcomes if o.correct is not None]
    csr = sum(bool(o.compiled) for o in outcomes) / n if n and len(ran_compile) == n else None
    fcr = sum(bool(o.correct) for o in outcomes) / n if n and len(ran_correct) == n else None
    timed = [o for o in outcomes if o.speedup is not None or o.speedup_torch is not None]
    # Speedups from different devices are never pooled (by_device reports them per device),
    # and only a speedup over MNN counts as fast (a phone without MNN times a reference kernel).
    pooled = len({o.device for o in timed}) > 1
    over_mnn = [o for o in outcomes if o.correct and o.speedup is not None and not o.no_mnn_baseline]
    fast: dict[float, float | None] = {}
    significant: dict[float, float | None] = {}
    for p in FAST_THRESHOLDS:
        fast[p] = (sum(1 for o in over_mnn if o.speedup > p) / n  # type: ignore[operator]
                   if n and fcr is not None and timed and not pooled else None)
        significant[p] = (sum(1 for o in over_mnn if o.speedup_ci_low is not None and o.speedup_ci_low > p) / n
                          if fast[p] is not None else None)
    return Metrics(
        tasks=n, csr=csr, fcr=fcr, fast=fast,
        geomean_speedup=None if pooled else geomean([o.speedup for o in over_mnn]),  # type: ignore[misc]
        geomean_speedup_torch=None if pooled else geomean(
            [o.speedup_torch for o in outcomes if o.correct and o.speedup_torch is not None]),
        timed=len(timed), no_baseline=sum(1 for o in outcomes if o.no_mnn_baseline),
        pass_at=pass_at(outcomes), tokens=sum(o.tokens for o in outcomes), fast_significant=significant,
    )


def pass_at(outcomes: list[TaskOutcome], ks: tuple[int, ...] = (1, 5, 10)) -> dict[int, float]:
    """Mean unbiased pass@k over tasks, for each k no larger than every task's sample count."""
    sampled = [o for o in outcomes if o.n_samples]
    if not sampled or len(sampled) != len(outcomes):
        return {}
    n_min = min(o.n_samples for o in sampled)  # type: ignore[type-var]
    return {k: float(np.mean([pass_at_k(o.n_samples, o.n_correct or 0, k) for o in sampled]))  # type: ignore[arg-type]
            for k in ks if k <= n_min}


def by_category(outcomes: list[TaskOutcome]) -> dict[str, Metrics]:
    cats: dict[str, list[TaskOutcome]] = {}
    for o in outcomes:
        cats.setdefault(o.category, []).append(o)
    return {c: compute(v) for c, v in sorted(cats.items())}


def by_device(outcomes: list[TaskOutcome]) -> dict[str, Metrics]:
    """Metrics over the tasks evaluated on each device (a task belongs to the device of its records)."""
    groups: dict[str, list[TaskOutcome]] = {}
    for o in outcomes:
        groups.setdefault(device_of(o), []).append(o)
    return {d: compute(v) for d, v in sorted(groups.items())}


def device_of(outcome: TaskOutcome) -> str:
    return outcome.device or "?"


def baseline_speedups(outcomes: list[TaskOutcome]) -> dict[str, dict[str, Any]]:
    """Per baseline kind: how many correct tasks were timed against it and the geomean speedup."""
    kinds: dict[str, list[float]] = {}
    for o in outcomes:
        if o.correct and o.speedup is not None:
            kinds.setdefault(o.baseline or "mnn", []).append(o.speedup)
    return {k: {"timed": len(v), "geomean_speedup": geomean(v)} for k, v in sorted(kinds.items())}


def baseline_speedups_by_device(outcomes: list[TaskOutcome]) -> dict[str, dict[str, dict[str, Any]]]:
    """``baseline_speedups`` over the tasks of each device."""
    return {d: baseline_speedups([o for o in outcomes if device_of(o) == d]) for d in by_device(outcomes)}


def devices_of(outcomes: list[TaskOutcome]) -> list[str]:
    return sorted({o.device for o in outcomes if o.device})


def mnn_differs(outcomes: list[TaskOutcome]) -> int:
    """Tasks where MNN's own kernel does not reproduce PyTorch (their speedup compares with a wrong kernel)."""
    return sum(1 for o in outcomes if o.mnn_matches is False)


def ungated(outcomes: list[TaskOutcome]) -> list[TaskOutcome]:
    """Tasks the --mk-baseline gate did not compare (``gate`` says why)."""
    return [o for o in outcomes if o.gate.startswith("not ")]


def category_geomeans(outcomes: list[TaskOutcome]) -> dict[str, tuple[list[float], float | None]]:
    """Per category: the speedups of correct, timed tasks and their geomean (the plot's points and bar)."""
    timed = [o for o in outcomes if o.correct and o.speedup]
    out: dict[str, tuple[list[float], float | None]] = {}
    for c in sorted({o.category for o in timed}):
        vals = [o.speedup for o in timed if o.category == c]
        out[c] = (vals, geomean(vals))  # type: ignore[arg-type]
    return out
