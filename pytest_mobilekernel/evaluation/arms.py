"""Timing arms of runners: a built kernel (or the null kernel) driven through the runner protocol.

Protocol v2 (protocol.py, docs/timing.md): every timed call gets fresh inputs and poisoned outputs,
and its outputs are retained; after each block the runner is stopped, its CPU time read, and a
secret subset of the block's calls verified against PyTorch. Where the device can (the host), one
runner process in serve mode runs every block; elsewhere each block is one invocation and its
retained outputs come back as a file. Every path (host lite, the MNN tree, qemu, adb phones) times
runners through ``runner_arm``.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import protocol, timing
from ..errors import MobileKernelError
from ..sandbox import LimitedServer, ProcessResult
from ..targets import BuildResult, RunPlan
from ..targets.base import TensorDesc
from ..tasks import TaskData, TaskRef, reference_outputs
from ..verify import check_arrays

if TYPE_CHECKING:
    from .evaluator import Evaluator


def stage_plan(ev: Evaluator, data: TaskData, work: Path, source: str = "") -> RunPlan:
    """Copy every trial's inputs into the work dir; the runner sees only relative paths.

    Copies, not links: the kernel must not learn where the cache (and its reference outputs)
    lives. Targets that run the converted model get its graph inputs and the model itself.
    """
    graph = ev.target.feeds_graph
    plan_trials = []
    for t, trial in enumerate(data.trials):
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
                   outputs=data.outputs, trials=plan_trials, threads=ev.settings.threads)
    # which inputs onResize may see: initialisers, and graph inputs equal in every trial
    plan.feeds = protocol.feeds(data.input_sources, runner_inputs(ev, data), graph, fixed_inputs(ev, data))
    if graph:
        from ..baselines import mnn

        conversion = mnn.convert(data, ev.cache)
        if not conversion.ok or conversion.model is None:
            raise MobileKernelError(f"--mk-target={ev.target.name} runs MNN's converted model, and "
                                    f"{conversion.message}")
        if not (work / "model.mnn").exists():
            shutil.copyfile(conversion.model, work / "model.mnn")
        plan.model = "model.mnn"
        plan.input_names, plan.output_names = mnn.graph_names(data)
        plan.op_types = ev.target.timed_op_types(source)
    return plan


def runner_inputs(ev: Evaluator, data: TaskData) -> list[TensorDesc | None]:
    """What the runner is fed: the node's inputs, or the graph's (targets that run the converted model)."""
    if not ev.target.feeds_graph:
        return list(data.inputs)
    arrays = [np.load(p, mmap_mode="r") for p in data.trials[0].graph_inputs]
    return [TensorDesc(list(a.shape), str(a.dtype)) for a in arrays]


def fixed_inputs(ev: Evaluator, data: TaskData) -> set[int]:
    """Graph inputs equal in every trial (axes, shapes...): fed as constants."""
    key = (data.task_id, "fixed")
    if key not in ev.notes:
        bases = [[np.load(p) for p in trial.graph_inputs] for trial in data.trials]
        ev.notes[key] = protocol.fixed_inputs(bases) if bases and bases[0] else set()
    return set(ev.notes[key])


def mixable(ev: Evaluator, ref: TaskRef | None, data: TaskData, bases: list[list[np.ndarray]],
            fixed: set[int]) -> bool:
    """Can timed calls mix the trials' inputs? Not where PyTorch's output shapes follow the values
    (Unique, NonZero...) or its model rejects a mixed input: those tasks take whole trials."""
    if ref is None or not bases or not bases[0]:
        return False
    key = (ref, "mixable")
    if key not in ev.notes:
        kinds = protocol.graph_feeds(protocol.feeds(data.input_sources, runner_inputs(ev, data),
                                                    ev.target.feeds_graph, fixed), data.graph_inputs)
        ok = True
        if any(kind == "mix" for kind in kinds.values()):
            try:
                out = reference_outputs(ref, protocol.call_inputs(bases, kinds, 1, 0))
                ok = [list(np.shape(o)) for o in out] == [d.shape for d in data.outputs]
            except Exception:  # noqa: BLE001 - the task's own model said no: whole trials then
                ok = False
        ev.notes[key] = ok
    return bool(ev.notes[key])


def runner_arm(ev: Evaluator, name: str, data: TaskData, build: BuildResult, work: Path, ref: TaskRef | None = None,
               source: str = "", verify: bool = True, null: bool = False) -> timing.Arm:
    """The timing arm of a built runner on the device (protocol v2).

    ``ref`` gives the task's PyTorch model, against which the secret subset of each block's calls is
    checked (``verify=False``: a trusted baseline's runner, not checked). ``null``: the null runner
    (the harness's own do-nothing kernel) instead of ``build``. The arm's ``null`` is the same
    runner process running the protocol without the kernel (its own cost, subtracted); its ``warm``
    the discarded round's block.
    """
    plan = stage_plan(ev, data, work, source=source)
    bases = [[np.load(p) for p in trial.graph_inputs] for trial in data.trials]
    fixed = fixed_inputs(ev, data)
    plan.feeds = protocol.feeds(data.input_sources, runner_inputs(ev, data), ev.target.feeds_graph, fixed,
                                mix=mixable(ev, ref, data, bases, fixed))
    plan.null = null
    layout = protocol.Layout([d.shape for d in data.outputs], [d.dtype for d in data.outputs])
    max_calls = min(5000, layout.max_calls())
    retention = None if ev.device.remote else protocol.Retention(max_calls * layout.slot_bytes)
    plan.retention = {"bytes": max_calls * layout.slot_bytes, **({"fd": retention.fd} if retention else {})}
    fds = (retention.fd,) if retention else ()
    if retention is not None:
        ev.on_scratch_close(work, retention.close)
    if null:
        binary = ev.target.null_runner(ev.toolchain(), ev.cache)
        verify = False
    else:
        assert build.binary is not None
        binary = build.binary
    limits = ev.timing_limits
    server: LimitedServer | None = None
    serving = True
    kinds = protocol.graph_feeds(plan.feeds, data.graph_inputs)
    for g in fixed:
        kinds[g] = "fixed"
    rng = np.random.default_rng(secrets.randbits(64))  # which calls are checked: never in the runner

    def failed(proc: ProcessResult) -> MobileKernelError:
        ev.device_gone(proc)
        return MobileKernelError("kernel " + proc.describe(limits) + " during timing")

    def start() -> None:
        """Start the serving runner (it runs and checks every trial before it says ready)."""
        nonlocal server, serving
        if serving and server is None:
            plan.serve = True
            plan.iterations = max(plan.iterations, 1)  # a spec with timing
            server = ev.device.serve(binary, work, ev.target.write_spec(work, plan), limits, pass_fds=fds)
            if server is None:
                serving, plan.serve = False, False
            else:
                ev.on_scratch_close(work, server.close)
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
            proc = ev.device.run(binary, work, ev.target.write_spec(work, plan), limits, pass_fds=fds)
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
    arm.null = timing.Arm(f"{name}-protocol", lambda w, n: run(w, n, "null"), runner=True, max_iterations=max_calls)
    return arm
