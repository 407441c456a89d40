"""The speed stage: one implementation for every path (host lite, the MNN tree, adb phones).

The candidate is a runner arm (arms.py: every timed call checked, the runner's CPU time read by the
harness), with its null arm where the device lets the harness read that clock. Beside it: the first
baseline of ``baselines.for_run`` that opens (MNN's own kernel wherever it can run), and the extras
(PyTorch eager). All arms are set up under the device's shared lock and timed in interleaved blocks
under its exclusive lock. A baseline that fails mid-measurement is dropped and the candidate
measured again without it. Every published figure of the stage is built in ``result``.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import baselines, timing
from ..baselines.base import Baseline, BaselineFailed, Measurement
from ..errors import DeviceLost, MobileKernelError
from ..targets import BuildResult
from ..tasks import TaskData, TaskRef
from .stage import StageResult

if TYPE_CHECKING:
    from .evaluator import Evaluator


@dataclass
class Measured:
    """The arms of one speed measurement, once timed."""

    kernel: timing.Arm
    base: timing.Arm | None = None
    used: Baseline | None = None  # the baseline behind ``base``
    extras: list[timing.Arm] = field(default_factory=list)
    busy: list[int] = field(default_factory=list)  # runnable processes after each round
    reasons: list[str] = field(default_factory=list)  # why there is no MNN baseline


def measure(ev: Evaluator, ref: TaskRef, data: TaskData, build: BuildResult, source: str, props: dict[str, Any],
            blocks: int, block_ms: float, extras: bool = True) -> Measured:
    """Time the candidate beside its baseline (raises MobileKernelError when the candidate fails)."""
    with ExitStack() as stack:
        m = Measurement(ev, ref, data, source, stack, props)
        got = Measured(ev.runner_arm("kernel", data, build, m.scratch(), ref=ref, source=source))
        with ev.lock.shared():
            for option in baselines.for_run(ev.device, ev.target):
                opened = option.open(m)
                if isinstance(opened, str):
                    got.reasons.append(opened)
                    continue
                got.base, got.used = opened, option
                break
            wanted = baselines.extras_for_run(ev.device, ev.target, ev.settings, got.base is not None) if extras else []
            for extra in wanted:
                opened = extra.open(m)
                if not isinstance(opened, str):
                    got.extras.append(opened)
            arms = with_nulls(ev, [got.kernel, *([got.base] if got.base else []), *got.extras])
            timing.start(arms)
        with ev.lock.exclusive():
            try:
                timing.interleave(arms, blocks, block_ms, on_block=lambda: got.busy.append(timing.busy_processes()))
            except BaselineFailed as exc:
                # a baseline died mid-measurement: measure again without it rather than lose the task
                got.reasons.append(str(exc))
                got.base, got.used, got.extras = None, None, []
                arms = with_nulls(ev, [got.kernel])
                for arm in arms:
                    arm.blocks.clear()
                got.busy.clear()
                timing.interleave(arms, blocks, block_ms, on_block=lambda: got.busy.append(timing.busy_processes()))
        if got.used is not None:
            got.used.after(m)
    return got


def speed_stage(ev: Evaluator, ref: TaskRef, props: dict[str, Any]) -> StageResult:
    data = ev.task_data(ref)
    candidate, build = ev.build(ref)
    if ev.device.remote:
        props.update({f"device_{k}": v for k, v in ev.device.describe().items() if k != "device" and v})
    try:
        got = measure(ev, ref, data, build, candidate.source, props, ev.settings.blocks, ev.settings.block_ms)
    except DeviceLost:
        raise
    except MobileKernelError as exc:
        props["failure"] = str(exc)
        return StageResult("speed", "failed", str(exc), props)
    return result(ev, ref, props, got)


def with_nulls(ev: Evaluator, arms: list[timing.Arm]) -> list[timing.Arm]:
    """The arms plus the null arms of the runner arms, where the harness reads the runner's CPU time
    (the host): on a phone a null block would cost a whole invocation and measure nothing usable."""
    out = list(arms)
    if not ev.device.remote:
        out += [a.null for a in arms if a.null is not None]
    else:
        for a in arms:
            a.null = None
    return out


def result(ev: Evaluator, ref: TaskRef, props: dict[str, Any], got: Measured) -> StageResult:
    """The stage's verdict and figures (the one place they are built)."""
    kernel, base, used, extras, busy, reasons = got.kernel, got.base, got.used, got.extras, got.busy, got.reasons
    figures = timing.compare(kernel, base, trusted_base=bool(base is not None and base.trusted))
    if figures.clock:
        props["failure"] = figures.clock
        return StageResult("speed", "failed", f"timing rejected: {figures.clock}", props)
    where = f" on {ev.device.name}" if ev.device.remote else ""
    props.update(latency_us=round(figures.latency_us, 4), blocks=ev.settings.blocks, iterations=figures.iterations,
                 busy_processes=max(busy) if busy else -1)
    if figures.cpu_us is not None:
        props["cpu_us"] = round(figures.cpu_us, 4)  # the kernel's CPU per call by the harness's clock
    if figures.protocol_us is not None:
        props["protocol_us"] = round(figures.protocol_us, 4)  # what checking every call cost (subtracted)
    parts = [f"kernel {figures.latency_us:.1f} us{where}"]
    if used is not None and figures.speedup is not None:
        base_us = round(figures.base_us or 0.0, 4)
        props.update(baseline=used.label, speedup=round(figures.speedup, 4),
                     speedup_ci_low=round(figures.ci_low or 0.0, 4), speedup_ci_high=round(figures.ci_high or 0.0, 4))
        props["mnn_us" if used.mnn else f"{used.arm_name}_us"] = base_us
        parts.insert(0, f"{figures.speedup:.2f}x vs {used.title} "
                        f"[95% CI {figures.ci_low:.2f}-{figures.ci_high:.2f}]")
        parts.append(f"{used.arm_name if not used.mnn else 'MNN'} {base_us:.1f} us")
    else:
        props.update(baseline="none")
    if used is None or not used.mnn:
        props["no_mnn_baseline"] = "; ".join(reasons) or "no MNN baseline"
        if used is None:
            parts.insert(0, f"no MNN baseline ({props['no_mnn_baseline']})")
        else:
            parts.append(f"no MNN baseline: {props['no_mnn_baseline']}")
    for arm in extras:  # PyTorch eager
        extra = timing.compare(kernel, arm)
        props.update({f"{arm.name}_us": round(extra.base_us or 0.0, 3),
                      f"speedup_{arm.name}": round(extra.speedup or 0.0, 4)})
        parts.append(f"{extra.speedup:.2f}x vs {arm.name} eager")
    samples_path = ev.settings.session_dir / "samples" / ref.category / f"{ref.name}.json"
    samples_path.parent.mkdir(parents=True, exist_ok=True)
    arms = [kernel, *([base] if base else []), *extras]
    samples_path.write_text(json.dumps({a.name: a.samples for a in arms}))
    return StageResult("speed", "passed", ", ".join(parts), props)
