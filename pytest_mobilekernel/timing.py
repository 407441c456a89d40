"""Measurement protocol and its statistics.

Candidate and baselines are measured in interleaved blocks (A B C, C B A, A B C, ...) so that
drift of the machine's speed over minutes hits every arm alike. Each block is a few warm-up calls
and N individually timed calls, N calibrated so one block lasts about ``block_ms``.

Statistic: per block, the 10th percentile of the samples (the lower tail is the run undisturbed by
interrupts and the other core; the minimum alone is one lucky sample). Latency = median over
blocks of that figure. Speedup = median over blocks of the per-block ratio T_base / T_candidate:
pairing blocks cancels drift that both arms saw, and the median ignores a block that one
disturbance spoiled. On these machines medians of raw samples wandered 20-50 % while lower
percentiles stayed within ~1 % in a run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

BlockFn = Callable[[int, int], list[int]]  # (warmup, iterations) -> samples in ns


@dataclass
class Arm:
    name: str
    block: BlockFn
    iterations: int = 0
    blocks: list[list[int]] = field(default_factory=list)
    # Set-up that is not measurement (starting a runner process and its untimed checks): callers
    # run it through start() before they take the device for timing, not while holding it.
    start: Callable[[], None] | None = None


def start(arms: list[Arm]) -> None:
    for arm in arms:
        if arm.start is not None:
            arm.start()


def calibrate(arm: Arm, block_ms: float, warmup: int = 2, max_iterations: int = 5000) -> None:
    # Same warm-up as the measured blocks, so the timer cross-check's two block sizes differ only
    # in the number of timed calls.
    probe = arm.block(warmup, 3)
    per_call = max(float(np.min(probe)), 1.0)
    arm.iterations = int(np.clip(block_ms * 1e6 / per_call, 5, max_iterations))


def interleave(arms: list[Arm], blocks: int, block_ms: float, warmup: int = 2,
               on_block: Callable[[], None] | None = None) -> None:
    for arm in arms:
        calibrate(arm, block_ms, warmup)
    for k in range(blocks):
        order = arms if k % 2 == 0 else list(reversed(arms))
        for arm in order:
            arm.blocks.append(list(arm.block(warmup, arm.iterations)))
        if on_block:
            on_block()


def block_statistic(samples: list[int] | np.ndarray) -> float:
    return float(np.percentile(np.asarray(samples, dtype=np.float64), 10))


def latency_ns(blocks: list[list[int]]) -> float:
    return float(np.median([block_statistic(b) for b in blocks]))


def speedup(base_blocks: list[list[int]], cand_blocks: list[list[int]]) -> float:
    ratios = [block_statistic(b) / block_statistic(c) for b, c in zip(base_blocks, cand_blocks)]
    return float(np.median(ratios))


def ratio_spread(base_blocks: list[list[int]], cand_blocks: list[list[int]]) -> tuple[float, float]:
    """Inter-quartile range of the per-block ratios: how much to trust the speedup."""
    ratios = [block_statistic(b) / block_statistic(c) for b, c in zip(base_blocks, cand_blocks)]
    q1, q3 = np.percentile(ratios, [25, 75])
    return float(q1), float(q3)


def busy_processes() -> int:
    """Runnable processes on this machine besides the one timing (from /proc/loadavg)."""
    try:
        with open("/proc/loadavg") as f:
            running = int(f.read().split()[3].split("/")[0])
        return max(running - 1, 0)
    except (OSError, ValueError, IndexError):
        return -1


def timer_check(walls: list[tuple[int, float, int, float]], calib_warmup: int = 2, warmup: int = 2) -> str:
    """Cross-check the runner's self-reported times against what the parent measured.

    ``walls``: (iterations, CPU seconds of the invocation as the parent saw it, sum of reported ns,
    wall seconds) per invocation, the calibration call first. A kernel that interposes the clock
    (e.g. defines clock_gettime) reports less than it spends: the per-call time the parent infers
    from two invocation sizes (start-up cost cancels) is then far above the reported one. CPU time,
    not wall time, so a busy machine does not look like a lying clock. Returns "" or the reason.
    """
    if len(walls) < 2:
        return ""
    for _, _, reported, wall in walls:
        if reported / 1e9 > wall * 1.05 + 1e-3:
            return f"the runner reported {reported / 1e6:.1f} ms of calls in a {wall * 1e3:.1f} ms run"
    calib = walls[0]
    main = walls[1:]
    extra_calls = float(np.median([w[0] + warmup for w in main])) - (calib[0] + calib_warmup)
    spent = [w[1] for w in main]
    gap = float(np.median(spent)) - calib[1]
    # Start-up cost jitters: only a gap well above it says anything (a kernel that fakes the clock
    # gets calibrated to thousands of calls, so its gap is large).
    if extra_calls < 20 or gap < max(0.02, 5 * float(np.std(spent))):
        return ""
    parent_per_call = gap / extra_calls
    reported_per_call = float(np.median([w[2] / w[0] for w in main]))
    if parent_per_call > 20e-6 and reported_per_call * 1e-9 < 0.3 * parent_per_call:
        return (f"reported {reported_per_call / 1e3:.1f} us per call but the process used "
                f"{parent_per_call * 1e6:.1f} us of CPU per call (timer interposition?)")
    return ""
