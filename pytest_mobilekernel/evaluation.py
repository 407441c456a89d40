"""The pipeline of one task: kernel -> build -> correctness -> speed, each step cached and shared.

Values flow one way: TaskRef -> KernelCandidate -> BuildResult -> runs on the Device -> StageResult.
Every stage can be run alone (``-m speed`` computes what it needs); expensive steps are
content-cached (builds, task data, MNN conversion) or cached for this session (verdicts), behind
file locks, so under ``-n 4`` each runs once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import protocol, roofline, sandbox, timing
from .agents import AgentSettings, KernelCandidate, get_agent_class
from .cache import Cache
from .config import Settings
from .devicelock import DeviceLock
from .devices import DeviceFailure, get_device
from .errors import DeviceError, DeviceLost, MobileKernelError, TaskError
from .sandbox import LimitedServer, Limits, ProcessResult
from .targets import BuildResult, RunPlan, get_target
from .tasks import TaskData, TaskRef, build_model, load_module, make_inputs, materialize
from .toolchain import Toolchain, toolchain_for
from .verify import check_arrays, verify_trials

STAGES = ("compile", "correctness", "speed")


def screen_message(source: str) -> str:
    """"" when the kernel passes the static screen, else the verdict naming the first construct."""
    from .screen import screen

    findings = screen(source)
    if not findings:
        return ""
    shown = "; ".join(str(f) for f in findings[:3])
    more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
    return f"rejected by the static screen: {shown}{more}"


def _nbytes(desc: Any) -> int:
    import numpy as np

    return int(np.prod(desc.shape)) * np.dtype(desc.dtype).itemsize


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


@dataclass
class StageResult:
    stage: str
    status: str  # passed | failed | skipped
    message: str
    props: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> StageResult:
        return cls(**json.loads(text))


class Evaluator:
    """One per pytest process; all cross-process sharing goes through the cache and session dir."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache = Cache(settings.cache_dir)
        sandbox.use_launcher(sandbox.build_launcher(self.cache))
        self.device = get_device(settings.device, **settings.device_options)
        self.target = get_target(settings.target, cache=self.cache, **settings.target_options)
        self.agent = get_agent_class(settings.agent)(
            AgentSettings(settings.kernels_dir, settings.label, settings.agent_options))
        self.timing_cpu = self._timing_cpu()
        self.lane = self._lane()
        lock_name = self.device.lock_name() + (f"-cpu{self.timing_cpu}" if self.lane else "")
        self.lock = DeviceLock(settings.cache_dir / "locks", lock_name)
        self.static_checks = settings.target_options.get("static_checks", True)
        # threads only when the run gives kernels several: at one thread a helper thread would be
        # work on another core that the measurement does not see
        self.limits = Limits(wall_seconds=settings.timeout, cpu_seconds=int(math.ceil(settings.timeout)) + 1,
                             memory_mb=settings.memory_mb, threads=settings.threads > 1)
        self._kernels: dict[TaskRef, KernelCandidate] = {}
        self._data: dict[TaskRef, TaskData] = {}
        self._data_notes: dict[Any, Any] = {}  # per task: can timed calls mix inputs
        self._closers: dict[Path, list[Any]] = {}
        self._lost: dict[str, str] = {}  # devices that went away in this process, and why
        self._moved_to = ""  # after a failover: which device was lost and where the run went on
        # timing runs: the same limits, pinned to one core shared by every arm
        self.timing_limits = dataclasses.replace(self.limits, cpu=self.timing_cpu)

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

    # -- shared steps --------------------------------------------------------------------------
    def toolchain(self) -> Toolchain:
        return toolchain_for(self.device.arch, self.device.platform, self.settings.toolchain)

    def kernel(self, ref: TaskRef) -> KernelCandidate:
        if ref not in self._kernels:
            try:
                self._kernels[ref] = self.agent.generate(ref, self)
            except DeviceLost:
                raise  # the agent's feedback came from a vanished device: generate again elsewhere
            except MobileKernelError as exc:
                self._kernels[ref] = exc  # type: ignore[assignment] - remembered, re-raised below
        kernel = self._kernels[ref]
        if isinstance(kernel, MobileKernelError):
            raise kernel
        return kernel

    def try_source(self, ref: TaskRef, source: str, time_it: bool = True, blocks: int = 3,
                   block_ms: float = 5.0) -> Feedback:
        """Build, check and (when correct) quickly time a candidate: the agents' view of the pipeline."""
        from .baselines import mnn

        rejected = screen_message(source) if self.static_checks else ""
        if rejected:
            return Feedback(False, rejected)
        with self.lock.shared():
            build = self.target.build(source, self.toolchain(), self.cache)
            if not build.ok:
                return Feedback(False, build.message, build.diagnostics)
            data = self.task_data(ref)
            with self.scratch(ref) as work:
                plan = self._plan(data, work, trials=range(len(data.trials)), source=source)
                proc = self.device.run(build.binary, work, self.target.write_spec(work, plan), self.limits)
                if not proc.ok:
                    self.device_gone(proc)
                    msg = "kernel " + proc.describe(self.limits)
                    return Feedback(True, "built", build.diagnostics, False, msg, msg)
                verdict = verify_trials(
                    [([work / o for o in outs], [Path(r) for r in trial.references])
                     for (_, outs), trial in zip(plan.trials, data.trials)], data.atol, data.rtol)
            if not verdict.ok:
                return Feedback(True, "built", build.diagnostics, False, "wrong output: " + verdict.summary(),
                                verdict.summary())
            fb = Feedback(True, "built", build.diagnostics, True, "correct")
            if not time_it or not self.device.can_time:
                return fb
            conversion = mnn.convert(data, self.cache)
        fb.bytes = sum(_nbytes(d) for d in [*data.inputs, *data.outputs] if d is not None)
        with self.scratch(ref) as work:
            kernel = self.kernel_arm("kernel", data, build, work, ref=ref, source=source)
            arms = [kernel]
            null = self.null_arm(kernel, data, work)
            if null is not None:
                arms.append(null)
            session = None
            mnn_arm = None
            try:
                if conversion.ok and not self.device.remote:  # host MNN vs a phone's kernel: meaningless
                    try:
                        session = mnn.open_session(data, conversion.model, self.timing_cpu)  # type: ignore[arg-type]
                        session.load(data.trials[0].graph_inputs)
                        mnn_arm = timing.Arm("mnn", timing.sampled(session.time))
                        arms.append(mnn_arm)
                    except mnn.MNNUnavailable:
                        session = None
                with self.lock.shared():
                    timing.start(arms)
                with self.lock.exclusive():
                    timing.interleave(arms, blocks, block_ms)
            except DeviceLost:
                raise
            except (MobileKernelError, mnn.MNNUnavailable) as exc:
                return Feedback(True, "built", build.diagnostics, False, str(exc), str(exc))
            finally:
                if session:
                    session.close()
        result = timing.compare(kernel, mnn_arm)
        if result.clock:
            return Feedback(True, "built", build.diagnostics, False, f"timing rejected: {result.clock}",
                            result.clock)
        fb.latency_us = result.latency_us
        fb.gbps = fb.bytes / (fb.latency_us * 1e3) if fb.latency_us else None
        if result.speedup is not None:
            fb.mnn_us, fb.speedup = result.base_us, result.speedup
        try:
            fb.ceiling_bytes, fb.ceiling_gbps = roofline.ceiling(roofline.measure(self), fb.bytes)
        except (MobileKernelError, OSError):
            pass  # the profile goes without the ceiling
        return fb

    def task_data(self, ref: TaskRef) -> TaskData:
        if ref not in self._data:
            self._data[ref] = materialize(ref, self.cache, self.settings.seeds)
        return self._data[ref]

    def build(self, ref: TaskRef) -> tuple[KernelCandidate, BuildResult]:
        kernel = self.kernel(ref)
        return kernel, self.target.build(kernel.source, self.toolchain(), self.cache)

    def base_props(self, ref: TaskRef, stage: str) -> dict[str, Any]:
        return {"task": ref.id, "category": ref.category, "stage": stage, "agent": self.settings.agent,
                "label": self.settings.label, "device": self.device.name, "target": self.target.name}

    @contextmanager
    def _session_entry(self, ref: TaskRef, stage: str) -> Iterator[Path]:
        from filelock import FileLock

        path = self.settings.session_dir / "stages" / ref.category / ref.name / f"{stage}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path) + ".lock"):
            yield path

    def _memo(self, ref: TaskRef, stage: str, compute: Any) -> StageResult:
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
        """Lease another ``--device`` that answers (same kind, so every build is reused); returns a
        line saying so, or "" when none is left."""
        lost = self.device.name
        self._lost.setdefault(lost, reason)
        for spec in self.settings.devices:
            if spec in self._lost or spec == lost:
                continue
            try:
                device = get_device(spec, **self.settings.device_options)
                device.check()
            except MobileKernelError as exc:
                self._lost[spec] = str(exc)
                continue
            self.device = device
            self.lock = DeviceLock(self.settings.cache_dir / "locks", device.lock_name())
            return f"{lost} lost ({reason}); continued on {device.name}"
        return ""

    def compile(self, ref: TaskRef) -> StageResult:
        return self._memo(ref, "compile", lambda: self._compile(ref))

    def _compile(self, ref: TaskRef) -> StageResult:
        props = self.base_props(ref, "compile")
        try:
            kernel = self.kernel(ref)
            rejected = screen_message(kernel.source) if self.static_checks else ""
            if rejected:
                props.update(kernel_hash=hashlib.sha256(kernel.source.encode()).hexdigest()[:12],
                             origin=kernel.origin, failure=rejected)
                return StageResult("compile", "failed", rejected, props)
            kernel, build = self.build(ref)
        except MobileKernelError as exc:
            return StageResult("compile", "failed", str(exc), props)
        props.update(kernel_hash=hashlib.sha256(kernel.source.encode()).hexdigest()[:12], origin=kernel.origin,
                     compile_s=round(build.seconds, 3), build_cached=build.cached, build_key=build.key[:16],
                     toolchain=self.toolchain().identity)
        meta = kernel.meta or {}
        if "tokens" in meta:
            total = meta["tokens"].get("total", {})
            props["tokens"] = total.get("prompt_tokens", 0) + total.get("completion_tokens", 0)
        for key in ("n_samples", "n_correct", "best_iteration"):
            if key in meta:
                props[key] = meta[key]
        if "iterations" in meta:
            props["iterations_run"] = len(meta["iterations"])
        errors = [d for d in build.diagnostics if d.get("kind") in ("error", "fatal error")]
        props["n_errors"] = len(errors)
        status = "passed" if build.ok else "failed"
        return StageResult("compile", status, build.message if not build.ok else "compiled", props)

    def correctness(self, ref: TaskRef) -> StageResult:
        result = self._memo(ref, "correctness", lambda: self._correctness(ref))
        gate = self.settings.baseline
        if gate is not None and result.status != "passed":
            why = gate.correctness_regression(ref.id, False)
            if why:
                return StageResult(result.stage, "failed", f"{why}: {result.message}", result.props)
        return result

    def _correctness(self, ref: TaskRef) -> StageResult:
        props = self.base_props(ref, "correctness")
        compiled = self.compile(ref)
        props.update({k: v for k, v in compiled.props.items() if k in ("kernel_hash", "origin")})
        if compiled.status != "passed":
            return StageResult("correctness", "skipped", f"compile failed: {compiled.message}", props)
        try:
            data = self.task_data(ref)
        except TaskError as exc:
            return StageResult("correctness", "failed", f"task error: {exc}", props)
        _, build = self.build(ref)
        props.update(op=data.op_type, atol=data.atol, rtol=data.rtol, seeds=",".join(str(t.seed) for t in data.trials))
        with self.scratch(ref) as work:
            plan = self._plan(data, work, trials=range(len(data.trials)), source=self.kernel(ref).source)
            argv = self.target.write_spec(work, plan)
            assert build.binary is not None
            proc = self.device.run(build.binary, work, argv, self.limits)
            if not proc.ok:
                self.device_gone(proc)
                return StageResult("correctness", "failed", "kernel " + proc.describe(self.limits), props)
            try:
                verdict = verify_trials(
                    [([work / o for o in outs], [Path(r) for r in trial.references])
                     for (_, outs), trial in zip(plan.trials, data.trials)],
                    data.atol, data.rtol)
            except TaskError as exc:
                return StageResult("correctness", "failed", f"task error: {exc}", props)
        worst = max((o.max_abs_err for o in verdict.outputs), default=0.0)
        props.update(max_abs_err=worst, trials=verdict.trials)
        if not verdict.ok:
            props["failure"] = verdict.summary()
            (self.settings.session_dir / "stages" / ref.category / ref.name / "mismatch.json").write_text(
                json.dumps(verdict.as_dict(), indent=1))
            return StageResult("correctness", "failed", "wrong output: " + verdict.summary(), props)
        return StageResult("correctness", "passed", f"matches PyTorch on {verdict.trials} seeds "
                                                    f"(max abs err {worst:.2g})", props)

    def speed(self, ref: TaskRef) -> StageResult:
        with self.lock.shared():
            correct = self.correctness(ref)
        props = self.base_props(ref, "speed")
        props.update({k: v for k, v in correct.props.items() if k in ("kernel_hash", "origin", "op")})
        if correct.status != "passed":
            return StageResult("speed", "skipped", f"correctness {correct.status}: {correct.message}", props)
        if not self.device.can_time:
            return StageResult("speed", "skipped", self.device.timing_reason or "device cannot time", props)
        result = self._memo(ref, "speed", lambda: self._speed(ref, props))
        gate = self.settings.baseline
        if gate is not None and result.status == "passed":
            check = gate.speed_check(ref.id, result.props)
            result.props["gate"] = check.failure or check.note
            if check.failure:
                result.props["failure"] = check.failure
                return StageResult("speed", "failed", check.failure, result.props)
        return result

    def _speed(self, ref: TaskRef, props: dict[str, Any]) -> StageResult:
        from .baselines import mnn

        if self.device.remote:  # a phone: baselines must run there too (devicespeed.py)
            from .devicespeed import speed_on_device

            return speed_on_device(self, ref, props)
        if hasattr(self.target, "baseline"):  # a real MNN tree: its own build is the baseline
            return self._speed_on_tree(ref, props)
        data = self.task_data(ref)
        _, build = self.build(ref)
        assert build.binary is not None
        with self.lock.shared():
            conversion = mnn.convert(data, self.cache)
        arms: list[timing.Arm] = []
        session = None
        mnn_reason = "" if conversion.ok else conversion.message
        busy: list[int] = []
        with self.scratch(ref) as work:
            kernel = self.kernel_arm("kernel", data, build, work, ref=ref)
            arms.append(kernel)
            null = self.null_arm(kernel, data, work)
            if null is not None:
                arms.append(null)
            try:
                # Set-up runs on the timing CPU too (MNN's worker and the runner are pinned there):
                # under the shared lock, so it never overlaps another worker's measurement.
                with self.lock.shared():
                    if conversion.ok:
                        try:
                            session = mnn.open_session(data, conversion.model, self.timing_cpu)  # type: ignore[arg-type]
                            matches, mnn_err = mnn.check_against_reference(data, session, work, self.cache)
                            props.update(mnn_matches=matches, mnn_max_abs_err=mnn_err)
                            session.load(data.trials[0].graph_inputs)
                            arms.append(timing.Arm("mnn", timing.sampled(session.time)))
                        except mnn.MNNUnavailable as exc:
                            mnn_reason = f"MNN cannot run {data.op_type}: {exc}"
                            if session:
                                session.close()
                            session = None
                    want_torch = self.settings.torch_baseline
                    if want_torch == "always" or (want_torch == "auto" and session is None):
                        arms.append(timing.Arm("torch", timing.sampled(self._torch_block(ref, data))))
                    timing.start(arms)
                with self.lock.exclusive():
                    try:
                        timing.interleave(arms, self.settings.blocks, self.settings.block_ms,
                                          on_block=lambda: busy.append(timing.busy_processes()))
                    except mnn.MNNUnavailable as exc:
                        # MNN died mid-measurement: measure again without it rather than lose the task.
                        mnn_reason = f"MNN failed while timing {data.op_type}: {exc}"
                        arms = [a for a in arms if a.name != "mnn"]
                        for a in arms:
                            a.blocks.clear()
                        timing.interleave(arms, self.settings.blocks, self.settings.block_ms,
                                          on_block=lambda: busy.append(timing.busy_processes()))
            except DeviceLost:
                raise
            except MobileKernelError as exc:
                return StageResult("speed", "failed", str(exc), props)
            finally:
                if session:
                    session.close()
        return self._speed_result(ref, props, arms, busy, mnn_reason)

    def _speed_on_tree(self, ref: TaskRef, props: dict[str, Any]) -> StageResult:
        """The candidate's library against the original's, same runner, same op-level timing."""
        data = self.task_data(ref)
        candidate, build = self.build(ref)
        base = self.target.baseline(self.toolchain(), self.cache)  # type: ignore[attr-defined]
        busy: list[int] = []
        with self.scratch(ref) as work, self.scratch(ref) as base_work:
            arms = [self.kernel_arm("kernel", data, build, work, ref=ref, source=candidate.source),
                    self.kernel_arm("mnn", data, base, base_work, source=candidate.source, verify=False)]
            try:
                with self.lock.shared():
                    timing.start(arms)
                with self.lock.exclusive():
                    timing.interleave(arms, self.settings.blocks, self.settings.block_ms,
                                      on_block=lambda: busy.append(timing.busy_processes()))
            except DeviceLost:
                raise
            except MobileKernelError as exc:
                return StageResult("speed", "failed", str(exc), props)
            # does MNN's original kernel reproduce PyTorch? (its runner wrote the trials' outputs)
            n_out = len(data.outputs)
            outputs = [[base_work / f"t{t}_out{k}.npy" for k in range(n_out)] for t in range(len(data.trials))]
            verdict = verify_trials([(outs, [Path(r) for r in trial.references])
                                     for outs, trial in zip(outputs, data.trials)], data.atol, data.rtol)
            props.update(mnn_matches=verdict.ok,
                         mnn_max_abs_err=max((o.max_abs_err for o in verdict.outputs), default=0.0),
                         mnn_tree=str(self.target.sdk_dir))
        return self._speed_result(ref, props, arms, busy, "")

    def _speed_result(self, ref: TaskRef, props: dict[str, Any], arms: list[timing.Arm], busy: list[int],
                      mnn_reason: str) -> StageResult:
        by_name = {a.name: a for a in arms}
        result = timing.compare(by_name["kernel"], by_name.get("mnn"))
        if result.clock:
            props["failure"] = result.clock
            return StageResult("speed", "failed", f"timing rejected: {result.clock}", props)
        kernel_us = result.latency_us
        props.update(latency_us=round(kernel_us, 4), blocks=self.settings.blocks, iterations=result.iterations,
                     busy_processes=max(busy) if busy else -1)
        if result.cpu_us is not None:
            props["cpu_us"] = round(result.cpu_us, 4)  # the kernel's CPU per call by the harness's clock
        if result.protocol_us is not None:
            props["protocol_us"] = round(result.protocol_us, 4)  # what checking every call cost (subtracted)
        parts = [f"kernel {kernel_us:.1f} us"]
        if result.speedup is not None:
            # mnn-tree: MNN's original kernel, built from the same checkout and timed by the same runner
            props.update(baseline="mnn-tree" if self.target.name == "mnn" else "mnn",
                         mnn_us=round(result.base_us or 0.0, 4), speedup=round(result.speedup, 4),
                         speedup_ci_low=round(result.ci_low or 0.0, 4), speedup_ci_high=round(result.ci_high or 0.0, 4))
            parts.insert(0, f"{result.speedup:.2f}x vs MNN [95% CI {result.ci_low:.2f}-{result.ci_high:.2f}]")
            parts.append(f"MNN {props['mnn_us']:.1f} us")
        else:
            props.update(baseline="none", no_mnn_baseline=mnn_reason)
            parts.insert(0, f"no MNN baseline ({mnn_reason})")
        if "torch" in by_name:
            st = timing.compare(by_name["kernel"], by_name["torch"])
            props.update(torch_us=round(st.base_us or 0.0, 3), speedup_torch=round(st.speedup or 0.0, 4))
            parts.append(f"{st.speedup:.2f}x vs torch eager")
        samples_path = self.settings.session_dir / "samples" / ref.category / f"{ref.name}.json"
        samples_path.parent.mkdir(parents=True, exist_ok=True)
        samples_path.write_text(json.dumps({a.name: a.samples for a in arms}))
        return StageResult("speed", "passed", ", ".join(parts), props)

    # -- helpers -------------------------------------------------------------------------------
    def kernel_arm(self, name: str, data: TaskData, build: BuildResult, work: Path, ref: TaskRef | None = None,
                   source: str = "", verify: bool = True, null: bool = False) -> timing.Arm:
        """The timing arm of a built kernel on the device (protocol v2, protocol.py).

        Every timed call gets fresh inputs and poisoned outputs, and its outputs are retained; after
        each block the runner is stopped, its CPU time read, and a secret subset of the block's calls
        verified against PyTorch (``ref`` gives the task's model). Where the device can (the host),
        one runner process in serve mode runs every block; elsewhere each block is one invocation
        and its retained outputs come back as a file. ``null``: the null runner (the harness's own
        do-nothing kernel) instead of ``build``, never verified.
        """
        if self.target.protocol < 2:
            return self._kernel_arm_v1(name, data, build, work, source=source, verify=verify)
        from .tasks import reference_outputs

        plan = self._plan(data, work, trials=range(len(data.trials)), source=source)
        bases = [[np.load(p) for p in trial.graph_inputs] for trial in data.trials]
        fixed = self._fixed_inputs(data)
        plan.feeds = protocol.feeds(data.input_sources, data.inputs, self.target.feeds_graph, fixed,
                                    mix=self._mixable(ref, data, bases, fixed))
        plan.null = null
        layout = protocol.Layout([d.shape for d in data.outputs], [d.dtype for d in data.outputs])
        max_calls = min(5000, layout.max_calls())
        retention = None if self.device.remote else protocol.Retention(max_calls * layout.slot_bytes)
        plan.retention = {"bytes": max_calls * layout.slot_bytes, **({"fd": retention.fd} if retention else {})}
        fds = (retention.fd,) if retention else ()
        if retention is not None:
            self._closers.setdefault(work, []).append(retention.close)
        if null:
            binary = self.target.null_runner(self.toolchain(), self.cache)
            verify = False
        else:
            assert build.binary is not None
            binary = build.binary
        limits = self.timing_limits
        server: LimitedServer | None = None
        serving = True
        kinds = protocol.graph_feeds(plan.feeds, data.graph_inputs)
        for g in fixed:
            kinds[g] = "fixed"
        rng = np.random.default_rng(secrets.randbits(64))  # which calls are checked: never in the runner

        def failed(proc: ProcessResult) -> MobileKernelError:
            self.device_gone(proc)
            return MobileKernelError("kernel " + proc.describe(limits) + " during timing")

        def start() -> None:
            """Start the serving runner (it runs and checks every trial before it says ready)."""
            nonlocal server, serving
            if serving and server is None:
                plan.serve = True
                plan.iterations = max(plan.iterations, 1)  # a spec with timing
                server = self.device.serve(binary, work, self.target.write_spec(work, plan), limits, pass_fds=fds)
                if server is None:
                    serving, plan.serve = False, False
                else:
                    self._closers.setdefault(work, []).append(server.close)
                    end = server.expect("ready")
                    if end is not None:
                        raise failed(end)

        def check(nonce: int, iterations: int, area: Any) -> None:
            """The secret subset of this block's calls against PyTorch."""
            assert ref is not None, "a verified arm needs the task"
            mixed = any(kind == "mix" for kind in kinds.values())
            for call in protocol.choose_calls(rng, iterations):
                got = layout.outputs(area, call)
                if mixed:
                    expect = reference_outputs(ref, protocol.call_inputs(bases, kinds, nonce, call))
                else:  # whole trials: that trial's reference
                    trial = data.trials[protocol.picked_trial(nonce, call, len(data.trials))]
                    expect = [np.load(r) for r in trial.references]
                for k, (g, e) in enumerate(zip(got, expect)):
                    result = check_arrays(k, g, np.asarray(e), data.atol, data.rtol)
                    if not result.ok:
                        raise MobileKernelError(f"timed call {call + 1} of {iterations} computed wrong outputs "
                                                f"(results reused or work skipped?): {result.summary()}")

        def run(warmup: int, iterations: int, mode: str, checked: bool = True) -> timing.Block:
            iterations = min(iterations, max_calls)
            nonce = secrets.randbits(48)  # decides the inputs and names the files of this block only
            plan.warmup, plan.iterations, plan.nonce, plan.null_block = warmup, iterations, nonce, mode == "null"
            start()
            if server is not None:
                cpu0, began = server.cpu_ns(), time.perf_counter_ns()
                end = server.expect(f"done {nonce}", send=f"{mode} {nonce} {warmup} {iterations}")
                wall = time.perf_counter_ns() - began
                if end is not None:
                    raise failed(end)
                server.pause()  # nothing runs until the checks are done: all its work is counted below
                cpu1 = server.cpu_ns()
                cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
                area: Any = retention.area if retention else None
            else:
                proc = self.device.run(binary, work, self.target.write_spec(work, plan), limits, pass_fds=fds)
                if not proc.ok:
                    raise failed(proc)
                wall = int(proc.wall_seconds * 1e9)
                cpu = int(proc.cpu_seconds * 1e9) if proc.cpu_seconds else None
                area = retention.area if retention else (work / f"retained-{nonce}.bin").read_bytes()
            try:
                try:  # files of this block's nonce only: a stale or foreign file is no answer
                    reply = json.loads((work / f"timing-{nonce}.json").read_text())
                    samples = [int(x) for x in reply["samples_ns"]]
                    assert int(reply["nonce"]) == nonce and len(samples) == iterations
                except (OSError, ValueError, KeyError, TypeError, AssertionError):
                    raise MobileKernelError(f"kernel's runner gave no valid timing for block {nonce}") from None
                (work / f"timing-{nonce}.json").unlink(missing_ok=True)
                if verify and checked and mode == "block":
                    check(nonce, iterations, area)
            finally:
                if server is not None:
                    server.resume()
            return timing.Block(samples, iterations, cpu, wall)

        arm = timing.Arm(name, lambda w, n: run(w, n, "block"), start=start, runner=True, max_iterations=max_calls)
        arm.warm = lambda w, n: run(w, n, "block", checked=False)
        # null blocks: the same runner process runs the protocol without calling the kernel
        arm.null = timing.Arm(f"{name}-protocol", lambda w, n: run(w, n, "null"), runner=True,
                              max_iterations=max_calls)
        return arm

    def _fixed_inputs(self, data: TaskData) -> set[int]:
        key = (data.task_id, "fixed")
        if key not in self._data_notes:
            bases = [[np.load(p) for p in trial.graph_inputs] for trial in data.trials]
            self._data_notes[key] = protocol.fixed_inputs(bases) if bases and bases[0] else set()
        return set(self._data_notes[key])

    def _mixable(self, ref: TaskRef | None, data: TaskData, bases: list[list[np.ndarray]], fixed: set[int]) -> bool:
        """Can timed calls mix the trials' inputs? Not where PyTorch's output shapes follow the values
        (Unique, NonZero...) or its model rejects a mixed input: those tasks take whole trials."""
        if ref is None or not bases or not bases[0]:
            return False
        key = (ref, "mixable")
        if key not in self._data_notes:
            from .tasks import reference_outputs

            kinds = protocol.graph_feeds(protocol.feeds(data.input_sources, data.inputs, self.target.feeds_graph,
                                                        fixed), data.graph_inputs)
            ok = True
            if any(kind == "mix" for kind in kinds.values()):
                try:
                    out = reference_outputs(ref, protocol.call_inputs(bases, kinds, 1, 0))
                    ok = [list(np.shape(o)) for o in out] == [d.shape for d in data.outputs]
                except Exception:  # noqa: BLE001 - the task's own model said no: whole trials then
                    ok = False
            self._data_notes[key] = ok
        return bool(self._data_notes[key])

    def null_arm(self, kernel: timing.Arm, data: TaskData, work: Path) -> timing.Arm | None:
        """The protocol's own cost beside ``kernel`` (same process, same N), subtracted from it."""
        return kernel.null

    def _kernel_arm_v1(self, name: str, data: TaskData, build: BuildResult, work: Path, source: str = "",
                       verify: bool = True) -> timing.Arm:
        """Protocol v1, for runners that do not speak v2 yet (the on-tree runner): the timed calls
        rotate through the trials' inputs, the outputs of each set's last call are verified, and the
        runner's own samples are the figure (cross-checked against its CPU time by ``clock_check``)."""
        plan = self._plan(data, work, trials=range(len(data.trials)), source=source)
        plan.timing_outputs = [[f"timed_t{t}_out{k}.npy" for k in range(len(data.outputs))]
                               for t in range(len(data.trials))]
        assert build.binary is not None
        binary = build.binary
        limits = self.timing_limits
        server: LimitedServer | None = None

        def failed(proc: ProcessResult) -> MobileKernelError:
            self.device_gone(proc)
            return MobileKernelError("kernel " + proc.describe(limits) + " during timing")

        def start() -> None:
            nonlocal server
            if server is None:
                plan.serve = True
                plan.iterations = max(plan.iterations, 1)
                server = self.device.serve(binary, work, self.target.write_spec(work, plan), limits)
                if server is not None:
                    self._closers.setdefault(work, []).append(server.close)
                    end = server.expect("ready")
                    if end is not None:
                        raise failed(end)

        def block(warmup: int, iterations: int) -> timing.Block:
            plan.warmup, plan.iterations = warmup, iterations
            start()
            for stale in plan.timing_outputs:
                for out in stale:
                    (work / out).unlink(missing_ok=True)
            (work / plan.timing_file).unlink(missing_ok=True)
            if server is not None:
                nonce = secrets.randbits(48)
                cpu0, began = server.cpu_ns(), time.perf_counter_ns()
                end = server.expect(f"done {nonce}", send=f"block {nonce} {warmup} {iterations}")
                wall = time.perf_counter_ns() - began
                if end is not None:
                    raise failed(end)
                cpu1 = server.cpu_ns()
                cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
            else:
                proc = self.device.run(binary, work, self.target.write_spec(work, plan), limits)
                if not proc.ok:
                    raise failed(proc)
                wall, cpu = int(proc.wall_seconds * 1e9), int(proc.cpu_seconds * 1e9) if proc.cpu_seconds else None
            timing_json = json.loads((work / plan.timing_file).read_text())
            samples = timing_json["samples_ns"]
            if verify and iterations >= len(data.trials):
                checks = [([work / o for o in outs], [Path(r) for r in trial.references])
                          for outs, trial in zip(plan.timing_outputs, data.trials)]
                verdict = verify_trials(checks, data.atol, data.rtol)
                if not verdict.ok:
                    raise MobileKernelError("outputs of the timed calls are wrong (results reused across calls?): "
                                            + verdict.summary())
            return timing.Block(samples, iterations, cpu, wall)

        # no null blocks in v1: the clock check bounds the samples by the block's wall time only
        return timing.Arm(name, block, start=start, runner=True)

    def _plan(self, data: TaskData, work: Path, trials: Any, source: str = "") -> RunPlan:
        """Copy the trial inputs into the work dir; the runner sees only relative paths.

        Copies, not links: the kernel must not learn where the cache (and its reference outputs)
        lives. Targets that run the converted model get its graph inputs and the model itself.
        """
        graph = self.target.feeds_graph
        plan_trials = []
        for t in trials:
            trial = data.trials[t]
            ins: list[str | None] = []
            for j, src in enumerate(trial.graph_inputs if graph else trial.node_inputs):
                if src is None:
                    ins.append(None)
                    continue
                name = f"t{t}_{'g' if graph else 'in'}{j}.npy"
                if not (work / name).exists():
                    shutil.copyfile(src, work / name)
                ins.append(name)
            outs = [f"t{t}_out{k}.npy" for k in range(len(data.outputs))]
            plan_trials.append((ins, outs))
        plan = RunPlan(op_type=data.op_type, op_name=data.op_name, attrs=data.attrs, inputs=data.inputs,
                       outputs=data.outputs, trials=plan_trials, threads=self.settings.threads)
        # which inputs onResize may see: initialisers, and graph inputs equal in every trial
        plan.feeds = protocol.feeds(data.input_sources, data.inputs, graph, self._fixed_inputs(data))
        if graph:
            from .baselines import mnn

            conversion = mnn.convert(data, self.cache)
            if not conversion.ok or conversion.model is None:
                raise MobileKernelError(f"--target={self.target.name} runs MNN's converted model, and "
                                        f"{conversion.message}")
            if not (work / "model.mnn").exists():
                shutil.copyfile(conversion.model, work / "model.mnn")
            plan.model = "model.mnn"
            plan.input_names, plan.output_names = mnn.graph_names(data)
            plan.op_types = self.target.timed_op_types(source)
        return plan

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

    def _torch_block(self, ref: TaskRef, data: TaskData) -> timing.BlockFn:
        import torch

        module = load_module(ref)
        model = build_model(ref, module)
        inputs = make_inputs(ref, module, data.trials[0].seed)

        def block(warmup: int, iterations: int) -> list[int]:
            previous = torch.get_num_threads()
            torch.set_num_threads(self.settings.threads)
            affinity = os.sched_getaffinity(0) if self.timing_cpu is not None else None
            if self.timing_cpu is not None:
                os.sched_setaffinity(0, {self.timing_cpu})
            try:
                with torch.no_grad():
                    for _ in range(warmup):
                        model(*inputs)
                    samples = []
                    clock = time.perf_counter_ns
                    for _ in range(iterations):
                        t0 = clock()
                        model(*inputs)
                        samples.append(clock() - t0)
            finally:
                torch.set_num_threads(previous)
                if affinity is not None:
                    os.sched_setaffinity(0, affinity)
            return samples

        return block
