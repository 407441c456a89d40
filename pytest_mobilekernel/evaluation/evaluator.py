"""The Evaluator: one per pytest process, holding what the stages share.

Values flow one way: TaskRef -> KernelCandidate -> BuildResult -> runs on the Device -> StageResult.
Every stage can be run alone (``-m speed`` computes what it needs); expensive steps are
content-cached (builds, task data, MNN conversion) or cached for this session (verdicts), behind
file locks, so under ``-n 4`` each runs once. All cross-process sharing goes through the cache and
the session dir.
"""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import sandbox, timing
from ..agents import AgentSettings, KernelCandidate, get_agent_class
from ..cache import Cache
from ..config import Settings
from ..devices import DeviceFailure, get_device
from ..devices.lock import DeviceLock
from ..errors import DeviceError, DeviceLost, MobileKernelError
from ..sandbox import Limits, ProcessResult
from ..targets import BuildResult, get_target
from ..tasks import TaskData, TaskRef, materialize
from ..toolchain import Toolchain, toolchain_for
from . import arms, feedback, speed, stages
from .stage import StageResult


class Evaluator:
    """The pipeline of one pytest process (the AgentContext its agents receive)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache = Cache(settings.cache_dir)
        sandbox.use_launcher(sandbox.build_launcher(self.cache))
        self.device = get_device(settings.device, **settings.device_options.as_kwargs())
        self.target = get_target(settings.target, cache=self.cache, **settings.target_options.as_kwargs())
        self.agent = get_agent_class(settings.agent)(
            AgentSettings(settings.kernels_dir, settings.label, settings.agent_options))
        self.timing_cpu = self._timing_cpu()
        self.lane = self._lane()
        lock_name = self.device.lock_name() + (f"-cpu{self.timing_cpu}" if self.lane else "")
        self.lock = DeviceLock(settings.cache_dir / "locks", lock_name)
        self.static_checks = settings.target_options.static_checks
        # threads only when the run gives kernels several: at one thread a helper thread would be
        # work on another core that the measurement does not see
        self.limits = Limits(wall_seconds=settings.timeout, cpu_seconds=int(math.ceil(settings.timeout)) + 1,
                             memory_mb=settings.memory_mb, threads=settings.threads > 1)
        # timing runs: the same limits, pinned to one core shared by every arm
        self.timing_limits = dataclasses.replace(self.limits, cpu=self.timing_cpu)
        self.notes: dict[Any, Any] = {}  # per task, computed once per process (arms.py: fixed, mixable)
        self._kernels: dict[TaskRef, KernelCandidate | MobileKernelError] = {}
        self._data: dict[TaskRef, TaskData] = {}
        self._closers: dict[Path, list[Callable[[], None]]] = {}
        self._lost: dict[str, str] = {}  # devices that went away in this process, and why
        self._moved_to = ""  # after a failover: which device was lost and where the run went on

    def _timing_cpu(self) -> int | None:
        pin = str(self.settings.pin_cpu)
        if pin == "none" or self.device.name != "host" or not hasattr(os, "sched_setaffinity"):
            return None
        allowed = sorted(os.sched_getaffinity(0))
        if pin != "auto":
            return int(pin)
        if self.settings.timing_lanes == "auto" and self.settings.worker_index is not None:
            return allowed[self.settings.worker_index % len(allowed)]
        return allowed[-1]

    def _lane(self) -> bool:
        """Timing lanes: xdist worker gwN lives on CPU N (it and every child it starts: builds,
        runners, the MNN worker), and times there while the other workers time on theirs. The
        device lock is then per CPU: timing on a CPU excludes the other work of that CPU only.
        With one lane (``--mk-timing-lanes=1``) a timing excludes everything on the machine."""
        if (self.timing_cpu is None or self.settings.timing_lanes != "auto" or self.settings.worker_index is None
                or str(self.settings.pin_cpu) != "auto" or self.target.name != "lite"):
            return False
        os.sched_setaffinity(0, {self.timing_cpu})
        return True

    # -- what stages and agents share ----------------------------------------------------------
    def toolchain(self) -> Toolchain:
        return toolchain_for(self.device.arch, self.device.platform, self.settings.toolchain)

    def kernel(self, ref: TaskRef) -> KernelCandidate:
        if ref not in self._kernels:
            try:
                self._kernels[ref] = self.agent.generate(ref, self)
            except DeviceLost:
                raise  # the agent's feedback came from a vanished device: generate again elsewhere
            except MobileKernelError as exc:
                self._kernels[ref] = exc  # remembered, raised again below
        kernel = self._kernels[ref]
        if isinstance(kernel, MobileKernelError):
            raise kernel
        return kernel

    def try_source(self, ref: TaskRef, source: str, time_it: bool = True, blocks: int = 3,
                   block_ms: float = 5.0) -> feedback.Feedback:
        """Build, check and (when correct) quickly time a candidate: the agents' view of the pipeline."""
        return feedback.try_source(self, ref, source, time_it, blocks, block_ms)

    def task_data(self, ref: TaskRef) -> TaskData:
        if ref not in self._data:
            self._data[ref] = materialize(ref, self.cache, self.settings.seeds)
        return self._data[ref]

    def build(self, ref: TaskRef) -> tuple[KernelCandidate, BuildResult]:
        kernel = self.kernel(ref)
        return kernel, self.target.build(kernel.source, self.toolchain(), self.cache)

    def runner_arm(self, name: str, data: TaskData, build: BuildResult, work: Path, ref: TaskRef | None = None,
                   source: str = "", verify: bool = True, null: bool = False) -> timing.Arm:
        """A built runner on this device as a timing arm (arms.runner_arm: protocol v2)."""
        return arms.runner_arm(self, name, data, build, work, ref=ref, source=source, verify=verify, null=null)

    def base_props(self, ref: TaskRef, stage: str) -> dict[str, Any]:
        return {"task": ref.id, "category": ref.category, "stage": stage, "agent": self.settings.agent,
                "label": self.settings.label, "device": self.device.name, "target": self.target.name}

    @contextmanager
    def scratch(self, ref: TaskRef) -> Iterator[Path]:
        # outside the cache and the session dir: nothing reachable from it leads to references,
        # verdicts or other tasks (the sandbox confines the runner to it)
        work = sandbox.make_scratch(prefix=f"mk-{ref.category}-{ref.name}-")
        try:
            yield work
        finally:
            for close in self._closers.pop(work, []):  # runners serving timing blocks in there
                close()
            shutil.rmtree(work, ignore_errors=True)

    def on_scratch_close(self, work: Path, close: Callable[[], None]) -> None:
        """Run ``close`` when the scratch dir ``work`` goes (a serving runner, a retention area)."""
        self._closers.setdefault(work, []).append(close)

    # -- the session memo ----------------------------------------------------------------------
    @contextmanager
    def _session_entry(self, ref: TaskRef, stage: str) -> Iterator[Path]:
        from filelock import FileLock

        path = self.settings.session_dir / "stages" / ref.category / ref.name / f"{stage}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path) + ".lock"):
            yield path

    def _memo(self, ref: TaskRef, stage: str, compute: Callable[[], StageResult]) -> StageResult:
        """Compute a stage once per session across workers; later calls read the stored verdict."""
        with self._session_entry(ref, stage) as path:
            if path.exists():
                return StageResult.from_json(path.read_text())
            result = compute()
            path.write_text(result.to_json())
            return result

    # -- stages --------------------------------------------------------------------------------
    def run(self, ref: TaskRef, stage: str) -> StageResult:
        while True:
            try:
                return self._run(ref, stage)
            except DeviceLost as exc:
                # nothing of this stage was stored; on another device it runs again from the start
                moved = self._failover(str(exc))
                if not moved:
                    props = self.base_props(ref, stage)
                    props["failure"] = f"kernel {exc}"
                    return StageResult(stage, "failed", f"kernel {exc}", props)
                self._moved_to = moved

    def _run(self, ref: TaskRef, stage: str) -> StageResult:
        try:
            # Generation first, outside the device lock: LLM agents evaluate candidates themselves
            # and take the lock's shared or exclusive side step by step.
            self.kernel(ref)
        except DeviceLost:
            raise
        except MobileKernelError:
            pass  # the compile stage reports it
        if stage == "speed":
            result = self.speed(ref)
        else:
            with self.lock.shared():
                result = self.compile(ref) if stage == "compile" else self.correctness(ref)
        if self._moved_to:
            result.props["failover"] = self._moved_to
        return result

    def compile(self, ref: TaskRef) -> StageResult:
        return self._memo(ref, "compile", lambda: stages.compile_stage(self, ref))

    def correctness(self, ref: TaskRef) -> StageResult:
        result = self._memo(ref, "correctness", lambda: stages.correctness_stage(self, ref))
        gate = self.settings.baseline
        if gate is not None and result.status != "passed":
            why = gate.correctness_regression(ref.id, False)
            if why:
                return StageResult(result.stage, "failed", f"{why}: {result.message}", result.props)
        return result

    def speed(self, ref: TaskRef) -> StageResult:
        with self.lock.shared():
            correct = self.correctness(ref)
        props = self.base_props(ref, "speed")
        props.update({k: v for k, v in correct.props.items() if k in ("kernel_hash", "origin", "op")})
        if correct.status != "passed":
            return StageResult("speed", "skipped", f"correctness {correct.status}: {correct.message}", props)
        if not self.device.can_time:
            return StageResult("speed", "skipped", self.device.timing_reason or "device cannot time", props)
        result = self._memo(ref, "speed", lambda: speed.speed_stage(self, ref, props))
        gate = self.settings.baseline
        if gate is not None and result.status == "passed":
            check = gate.speed_check(ref.id, result.props)
            result.props["gate"] = check.failure or check.note
            if check.failure:
                result.props["failure"] = check.failure
                return StageResult("speed", "failed", check.failure, result.props)
        return result

    # -- devices -------------------------------------------------------------------------------
    def device_gone(self, proc: ProcessResult) -> None:
        """Raise DeviceLost when a device failure means the device itself went away."""
        if not isinstance(proc, DeviceFailure):
            return
        try:
            self.device.check_present()
        except DeviceError:
            self._lost[self.device.name] = proc.describe()
            raise DeviceLost(proc.describe()) from None

    def _failover(self, reason: str) -> str:
        """Lease another ``--mk-device`` that answers (same kind, so every build is reused); returns a
        line saying so, or "" when none is left."""
        lost = self.device.name
        self._lost.setdefault(lost, reason)
        for spec in self.settings.devices:
            if spec in self._lost or spec == lost:
                continue
            try:
                device = get_device(spec, **self.settings.device_options.as_kwargs())
                device.check()
            except MobileKernelError as exc:
                self._lost[spec] = str(exc)
                continue
            self.device = device
            self.lock = DeviceLock(self.settings.cache_dir / "locks", device.lock_name())
            return f"{lost} lost ({reason}); continued on {device.name}"
        return ""
