"""Measurement protocol: interleaved blocks, the clock that decides, and the statistics.

Candidate and baselines are measured in interleaved blocks (A B C, C B A, A B C, ...) so drift of
the machine's speed over minutes hits every arm alike. A block is a few warm-up calls and N calls,
N calibrated so one block lasts about ``block_ms``.

The clock that bounds a runner arm (kernel code in the process) is out of the kernel's reach: the
runner's CPU time over each block as the kernel's scheduler accounted it, read by the harness after
it stopped the runner (``Block.cpu_ns``), minus the same for the null runner (the harness's
do-nothing kernel, same protocol, same N, interleaved): the kernel's own CPU per call
(``cpu_figures``). The runner's per-call samples are the finer view; they are admitted only when
they agree with that bound (``clock_check``), which has no size floor. (Subtracting the null
runner is too noisy to be the figure itself where the protocol's per-call work outweighs a
sub-microsecond kernel: measured in docs/timing.md.) Baseline arms run in the harness's own
processes (MNN's worker, PyTorch), timed with the harness's clock.

Statistics: per block the 10th percentile of the per-call samples; latency = median over blocks;
speedup = median over blocks of the paired ratio T_base / T_candidate, with a percentile bootstrap
95 % interval over those paired ratios.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Block:
    """One block of one arm: what the clocks said."""

    samples: list[int]  # per-call ns: the runner's (a view) or the harness's (baselines)
    iterations: int
    cpu_ns: int | None = None  # runner arms: CPU time of the runner over the block, read by the harness
    wall_ns: int | None = None  # wall time of the block as the harness saw it


BlockFn = Callable[[int, int], Block]  # (warmup, iterations) -> Block
NULL_SHARE = 4  # null blocks hold a quarter of the calls of the kernel blocks they serve
STRETCH = 2  # how much longer than block_ms a runner's block may grow with the protocol's work


@dataclass
class Arm:
    name: str
    block: BlockFn
    iterations: int = 0
    blocks: list[Block] = field(default_factory=list)
    # Set-up that is not measurement (starting a runner process and its untimed checks): callers
    # run it through start() before they take the device for timing, not while holding it.
    start: Callable[[], None] | None = None
    runner: bool = False  # kernel code runs in this arm's process: its figure comes from cpu_ns
    null: Arm | None = None  # the null runner measured beside it (same N): the protocol's own cost
    warm: BlockFn | None = None  # the discarded round's block (no checks: nothing of it counts)
    max_iterations: int = 5000  # what one block may hold (the retention area)
    # a runner with no generated code in it (MNN's original, on a tree): its samples are honest, so
    # its CPU per call beyond them is what the runner and the rest of the session cost per call
    trusted: bool = False

    @property
    def samples(self) -> list[list[int]]:
        return [b.samples for b in self.blocks]


def sampled(fn: Callable[[int, int], list[int]]) -> BlockFn:
    """A block function for arms timed by the harness's own clock (MNN's worker, PyTorch)."""

    def block(warmup: int, iterations: int) -> Block:
        samples = [int(x) for x in fn(warmup, iterations)]
        return Block(samples, len(samples), None, int(sum(samples)))

    return block


@dataclass
class Comparison:
    """The numbers of one speed measurement (presentation lives elsewhere)."""

    latency_us: float
    iterations: int
    base_us: float | None = None
    speedup: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    cpu_us: float | None = None  # the kernel's CPU per call by the harness's clock (the bound)
    protocol_us: float | None = None  # what the protocol itself cost per call (null runner)
    clock: str = ""  # "" or why the runner's clock disagrees with the harness's


def compare(kernel: Arm, base: Arm | None, trusted_base: bool = False) -> Comparison:
    """The figures of a measurement: the kernel's latency, and against ``base`` the speedup with its
    95 % bootstrap interval (paired block ratios). ``trusted_base``: ``base`` is the same runner
    without generated code (an MNN tree's original), which calibrates the clock check."""
    result = Comparison(latency_ns(kernel) / 1e3, kernel.iterations,
                        clock=clock_check(kernel, reference=base if trusted_base else None))
    if kernel.runner:
        own = cpu_figures(kernel)
        result.cpu_us = float(np.median(own)) / 1e3 if own else None
        if kernel.null is not None and kernel.null.blocks and kernel.null.blocks[0].cpu_ns is not None:
            result.protocol_us = float(np.median([b.cpu_ns / b.iterations for b in kernel.null.blocks
                                                  if b.cpu_ns is not None])) / 1e3
    if base is not None:
        result.base_us = latency_ns(base) / 1e3
        result.speedup = speedup(base, kernel)
        result.ci_low, result.ci_high = speedup_ci(base, kernel)
    return result


def start(arms: list[Arm]) -> None:
    for arm in arms:
        if arm.start is not None:
            arm.start()


def calibrate(arm: Arm, block_ms: float, warmup: int = 2) -> None:
    """N such that a block holds about ``block_ms`` of calls: enough samples for a stable 10th
    percentile. For runner arms the protocol's per-call work (fresh inputs, poison, retention) comes
    on top, measured from two block sizes of the runner's CPU time (fixed per-block costs cancel);
    it may stretch a block to ``STRETCH`` times ``block_ms`` before N is cut."""
    small, large = 4, 16
    block = arm.warm or arm.block  # calibration decides N only: its outputs need no check (nothing of it counts)
    a, b = block(warmup, small), block(warmup, large)
    per_call = max(float(np.min(b.samples)), 1.0)
    n = block_ms * 1e6 / per_call
    if arm.runner and a.cpu_ns is not None and b.cpu_ns is not None:
        total = max((b.cpu_ns - a.cpu_ns) / (large - small), per_call)
        n = min(n, STRETCH * block_ms * 1e6 / total)
    arm.iterations = int(np.clip(n, 5, min(5000, arm.max_iterations)))


def interleave(arms: list[Arm], blocks: int, block_ms: float, warmup: int = 2,
               on_block: Callable[[], None] | None = None) -> None:
    """Calibrate, one discarded round of the runner arms, then ``blocks`` rounds; a null arm takes a
    ``NULL_SHARE``-th of the N of the arm it serves."""
    for arm in arms:
        if not any(other.null is arm for other in arms):
            calibrate(arm, block_ms, warmup)
    for arm in arms:
        if arm.null is not None:
            # the protocol's cost per call needs fewer calls than the kernel's figure
            arm.null.iterations = max(5, arm.iterations // NULL_SHARE)
    # runner arms: one round at full size, discarded (first touches of the retention area's pages)
    for arm in arms:
        if arm.runner and not any(other.null is arm for other in arms):
            (arm.warm or arm.block)(warmup, arm.iterations)
    for k in range(blocks):
        order = arms if k % 2 == 0 else list(reversed(arms))
        for arm in order:
            arm.blocks.append(arm.block(warmup, arm.iterations))
        if on_block:
            on_block()


def block_statistic(samples: list[int]) -> float:
    """The per-block figure of a per-call sample series: its 10th percentile (the lower tail is the
    run undisturbed by interrupts and the other core; the minimum alone is one lucky sample)."""
    return float(np.percentile(np.asarray(samples, dtype=np.float64), 10))


def figures(arm: Arm) -> list[float]:
    """Per-call ns of each block. A runner arm's samples are admitted only once ``clock_check`` found
    them consistent with the CPU time the harness read (``cpu_figures``)."""
    return [block_statistic(b.samples) for b in arm.blocks]


def cpu_figures(arm: Arm) -> list[float]:
    """Per-call ns of the kernel's own CPU time in each block, from the clock the kernel cannot touch:
    the runner's CPU time (scheduler accounting, read by the harness while the runner is stopped)
    minus the null runner's for the same protocol and N."""
    out = []
    for k, b in enumerate(arm.blocks):
        if b.cpu_ns is None:
            continue
        own = b.cpu_ns / b.iterations
        if arm.null is not None and k < len(arm.null.blocks) and arm.null.blocks[k].cpu_ns is not None:
            own -= arm.null.blocks[k].cpu_ns / arm.null.blocks[k].iterations
        out.append(own)
    return out


def latency_ns(arm: Arm) -> float:
    return float(np.median(figures(arm)))


def ratios(base: Arm, cand: Arm) -> np.ndarray:
    b, c = figures(base), figures(cand)
    n = min(len(b), len(c))
    return np.array([b[i] / c[i] if c[i] > 0 else np.inf for i in range(n)])


def speedup(base: Arm, cand: Arm) -> float:
    return float(np.median(ratios(base, cand)))


def bootstrap_ci(values: np.ndarray, level: float = 0.95, resamples: int = 4000, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap of the median of ``values`` (the paired block ratios)."""
    values = np.asarray(values, dtype=np.float64)
    if values.size < 2:
        v = float(values[0]) if values.size else float("nan")
        return v, v
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, values.size, size=(resamples, values.size))
    medians = np.median(values[idx], axis=1)
    lo, hi = np.percentile(medians, [100 * (1 - level) / 2, 100 * (1 + level) / 2])
    return float(lo), float(hi)


# What block-to-block variation does not show: two identical arms in two processes differ by a
# little (memory placement, cache colouring). Measured with benchmarks/aa_timing.py over the 190
# tasks (2026-12-03, 373 A/A pairs): the bootstrap interval alone contained 1.0 for 91.7 % of
# pairs, widened by 1 % on each side for 98.1 %. The A/A script prints the coverage of every run.
SYSTEMATIC = 0.01


def speedup_ci(base: Arm, cand: Arm) -> tuple[float, float]:
    """95 % interval of the speedup: bootstrap over the paired blocks, widened by ``SYSTEMATIC``."""
    lo, hi = bootstrap_ci(ratios(base, cand))
    return lo * (1 - SYSTEMATIC), hi * (1 + SYSTEMATIC)


def busy_processes() -> int:
    """Runnable processes on this machine besides the one timing (from /proc/loadavg)."""
    try:
        with open("/proc/loadavg") as f:
            running = int(f.read().split()[3].split("/")[0])
        return max(running - 1, 0)
    except (OSError, ValueError, IndexError):
        return -1


def untimed_share_ns(arm: Arm) -> float | None:
    """CPU per call of a trusted runner beyond what its samples time (the rest of the session: other
    ops, layout conversions, callbacks), median over blocks; None without the clocks to tell."""
    own = cpu_figures(arm)
    if arm.null is None or not own:
        return None
    return float(np.median([o - float(np.mean(b.samples)) for o, b in zip(own, arm.blocks)]))


def clock_check(arm: Arm, slack_ns: float = 50_000, share: float = 0.2, per_call_ns: float = 300,
                reference: Arm | None = None) -> str:
    """Do the runner's per-call samples agree with the clocks the harness read? "" or the reason.

    Every block, whatever the kernel's size: the samples may not add up to more than the block's
    wall time as the harness measured it; and the runner's mean per call (median over blocks) may
    not fall below ``share`` of the kernel's own CPU per call (``cpu_figures``, median over blocks)
    minus the noise of that estimate (``per_call_ns`` plus 5 % of what the protocol costs per call). A kernel that
    fakes its clock or its printed samples by more than that shows here; docs/timing.md gives the
    measured spread of both clocks and so what a forger could still hide. Where the samples time one
    op of a whole session (the MNN tree), ``reference`` (the same runner with MNN's original kernel)
    tells what the rest of the session costs per call; that much is taken off the kernel's CPU first.
    """
    if not arm.runner:
        return ""
    for k, b in enumerate(arm.blocks):
        if b.wall_ns is None:
            continue
        reported = float(np.sum(b.samples))
        if reported > b.wall_ns * 1.02 + slack_ns:
            return (f"the runner reported {reported / 1e6:.2f} ms of calls in block {k + 1}, which lasted "
                    f"{b.wall_ns / 1e6:.2f} ms")
    own = cpu_figures(arm)
    if arm.null is not None and own:
        reported = float(np.median([np.mean(b.samples) for b in arm.blocks]))
        kernel = float(np.median(own))
        protocol = float(np.median([b.cpu_ns / b.iterations for b in arm.null.blocks if b.cpu_ns is not None]
                                   or [0.0]))
        rest = untimed_share_ns(reference) if reference is not None else None
        if rest is not None:
            kernel -= rest
            protocol += abs(rest)  # its noise counts like the protocol's
        if reported < share * kernel - per_call_ns - 0.05 * protocol:
            return (f"the runner reported {reported / 1e3:.3f} us per call, but the kernel used "
                    f"{kernel / 1e3:.3f} us of CPU per call (its clock or its samples are forged)")
    return ""
