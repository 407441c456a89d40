"""The compile and correctness stages of one task (the speed stage is speed.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MobileKernelError, TaskError
from ..targets import BuildResult
from ..tasks import TaskData, TaskRef
from ..verify import Verdict, verify_trials
from .arms import stage_plan
from .stage import StageResult

if TYPE_CHECKING:
    from .evaluator import Evaluator


def screen_message(source: str) -> str:
    """"" when the kernel passes the static screen, else the verdict naming the first construct."""
    from ..screen import screen

    findings = screen(source)
    if not findings:
        return ""
    shown = "; ".join(str(f) for f in findings[:3])
    more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
    return f"rejected by the static screen: {shown}{more}"


def check_trials(ev: Evaluator, ref: TaskRef, data: TaskData, build: BuildResult, source: str) -> Verdict | str:
    """Run the built kernel on every trial and compare with the references: the verdict, or the
    one-line failure of the run itself (a crash, a limit, a refusal)."""
    with ev.scratch(ref) as work:
        plan = stage_plan(ev, data, work, source=source)
        assert build.binary is not None
        proc = ev.device.run(build.binary, work, ev.target.write_spec(work, plan), ev.limits)
        if not proc.ok:
            ev.device_gone(proc)
            return "kernel " + proc.describe(ev.limits)
        return verify_trials([([work / o for o in outs], [Path(r) for r in trial.references])
                              for (_, outs), trial in zip(plan.trials, data.trials)], data.atol, data.rtol)


def compile_stage(ev: Evaluator, ref: TaskRef) -> StageResult:
    props = ev.base_props(ref, "compile")
    try:
        kernel = ev.kernel(ref)
        rejected = screen_message(kernel.source) if ev.static_checks else ""
        if rejected:
            props.update(kernel_hash=hashlib.sha256(kernel.source.encode()).hexdigest()[:12],
                         origin=kernel.origin, failure=rejected)
            return StageResult("compile", "failed", rejected, props)
        kernel, build = ev.build(ref)
    except MobileKernelError as exc:
        return StageResult("compile", "failed", str(exc), props)
    props.update(kernel_hash=hashlib.sha256(kernel.source.encode()).hexdigest()[:12], origin=kernel.origin,
                 compile_s=round(build.seconds, 3), build_cached=build.cached, build_key=build.key[:16],
                 toolchain=ev.toolchain().identity)
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


def correctness_stage(ev: Evaluator, ref: TaskRef) -> StageResult:
    props = ev.base_props(ref, "correctness")
    compiled = ev.compile(ref)
    props.update({k: v for k, v in compiled.props.items() if k in ("kernel_hash", "origin")})
    if compiled.status != "passed":
        return StageResult("correctness", "skipped", f"compile failed: {compiled.message}", props)
    try:
        data = ev.task_data(ref)
    except TaskError as exc:
        return StageResult("correctness", "failed", f"task error: {exc}", props)
    _, build = ev.build(ref)
    props.update(op=data.op_type, atol=data.atol, rtol=data.rtol, seeds=",".join(str(t.seed) for t in data.trials))
    try:
        verdict = check_trials(ev, ref, data, build, ev.kernel(ref).source)
    except TaskError as exc:
        return StageResult("correctness", "failed", f"task error: {exc}", props)
    if isinstance(verdict, str):
        return StageResult("correctness", "failed", verdict, props)
    worst = max((o.max_abs_err for o in verdict.outputs), default=0.0)
    props.update(max_abs_err=worst, trials=verdict.trials)
    if not verdict.ok:
        props["failure"] = verdict.summary()
        (ev.settings.session_dir / "stages" / ref.category / ref.name / "mismatch.json").write_text(
            json.dumps(verdict.as_dict(), indent=1))
        return StageResult("correctness", "failed", "wrong output: " + verdict.summary(), props)
    return StageResult("correctness", "passed", f"matches PyTorch on {verdict.trials} seeds "
                                                f"(max abs err {worst:.2g})", props)
