"""What an agent learns from one candidate: built? correct? how fast, against what ceiling?

``try_source`` is the agents' view of the pipeline (agents/context.py): the same build, the same
runner and the same speed measurement as the stages, in short blocks, on sources that are not the
task's final kernel (nothing is memoised for the session).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import roofline, timing
from ..errors import DeviceLost, MobileKernelError
from ..tasks import TaskRef
from .speed import measure
from .stages import check_trials, screen_message

if TYPE_CHECKING:
    from .evaluator import Evaluator


@dataclass
class Feedback:
    """What an agent learns from evaluating one candidate kernel."""

    built: bool
    build_message: str
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    correct: bool | None = None
    message: str = ""
    mismatch: str = ""
    latency_us: float | None = None
    mnn_us: float | None = None
    speedup: float | None = None
    bytes: int = 0
    gbps: float | None = None
    # the device's single-thread bandwidth at this working-set size (roofline.py): the ceiling
    ceiling_gbps: float | None = None
    ceiling_bytes: int | None = None

    @property
    def verdict(self) -> str:
        if not self.built:
            return "build failed"
        if not self.correct:
            return "wrong output" if self.correct is False else "not checked"
        return "correct" if self.latency_us is None else f"correct, {self.latency_us:.1f} us"


def _nbytes(desc: Any) -> int:
    import numpy as np

    return int(np.prod(desc.shape)) * np.dtype(desc.dtype).itemsize


def try_source(ev: Evaluator, ref: TaskRef, source: str, time_it: bool = True, blocks: int = 3,
               block_ms: float = 5.0) -> Feedback:
    """Build, check and (when correct) quickly time a candidate."""
    rejected = screen_message(source) if ev.static_checks else ""
    if rejected:
        return Feedback(False, rejected)
    with ev.lock.shared():
        build = ev.target.build(source, ev.toolchain(), ev.cache)
        if not build.ok:
            return Feedback(False, build.message, build.diagnostics)
        data = ev.task_data(ref)
        verdict = check_trials(ev, ref, data, build, source)
    if isinstance(verdict, str):
        return Feedback(True, "built", build.diagnostics, False, verdict, verdict)
    if not verdict.ok:
        return Feedback(True, "built", build.diagnostics, False, "wrong output: " + verdict.summary(),
                        verdict.summary())
    fb = Feedback(True, "built", build.diagnostics, True, "correct")
    if not time_it or not ev.device.can_time:
        return fb
    fb.bytes = sum(_nbytes(d) for d in [*data.inputs, *data.outputs] if d is not None)
    try:
        got = measure(ev, ref, data, build, source, {}, blocks, block_ms, extras=False)
    except DeviceLost:
        raise
    except MobileKernelError as exc:
        return Feedback(True, "built", build.diagnostics, False, str(exc), str(exc))
    figures = timing.compare(got.kernel, got.base, trusted_base=bool(got.base is not None and got.base.trusted))
    if figures.clock:
        return Feedback(True, "built", build.diagnostics, False, f"timing rejected: {figures.clock}", figures.clock)
    fb.latency_us = figures.latency_us
    fb.gbps = fb.bytes / (fb.latency_us * 1e3) if fb.latency_us else None
    if figures.speedup is not None and got.used is not None and got.used.mnn:
        fb.mnn_us, fb.speedup = figures.base_us, figures.speedup
    try:
        levels = roofline.measure(ev.device, ev.toolchain(), ev.cache, ev.lock, ev.timing_limits)
        fb.ceiling_bytes, fb.ceiling_gbps = roofline.ceiling(levels, fb.bytes)
    except (MobileKernelError, OSError):
        pass  # the profile goes without the ceiling
    return fb
