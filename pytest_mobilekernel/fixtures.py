"""Public fixtures: a team's own tests on the plugin's machinery.

    import pytest

    @pytest.mark.parametrize("task_id", ["Convolution/Conv", "Convolution/ConvolutionDepthwise"])
    def test_our_kernels_beat_mnn(mk_evaluate, task_id):
        speed = mk_evaluate(task_id).speed()
        assert speed.passed, speed.message
        assert speed.ci_low >= 1.2          # the 95 % interval of the speedup over MNN lies above 1.2

``mk_task(id)`` resolves a task of ``--mk-tasks-dir``, ``mk_kernel(task)`` is the kernel of ``--agent``
for it, ``mk_evaluate(task)`` runs its stages and returns typed, frozen results. Everything goes
through the run's Evaluator, so the run's options apply (``--agent``, ``--kernels-label``,
``--mk-device``, ``--mk-cache-dir``...), kernels are generated on demand and stored as the plugin's own
items store them, and every stage is computed once per session even across xdist workers (a file
lock in the session directory): two workers, or a test and the plugin's own item, asking for the
same task share one verdict and one measurement.

A number a stage did not measure is ``None``, never a stand-in: a skipped speed stage has no
``speedup``, a task MNN cannot run has ``baseline=None`` and says why in ``no_baseline_reason``.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import pytest

from .agents import KernelCandidate
from .errors import MobileKernelError
from .tasks import TaskRef, discover, is_task_file, task_ref

Status = Literal["passed", "failed", "skipped"]
TaskLike = str | os.PathLike[str] | TaskRef

__all__ = ["CompileResult", "CorrectnessResult", "Evaluation", "SpeedResult", "mk_evaluate", "mk_kernel",
           "mk_task"]


# -- results ---------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class _Result:
    task: str  # "Category/Task"
    status: Status
    message: str  # the one line the plugin's own item shows
    # the stage's whole record (what JUnit gets as mk_* properties), for anything not typed here
    props: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @property
    def skipped(self) -> bool:
        return self.status == "skipped"


@dataclass(frozen=True, kw_only=True)
class CompileResult(_Result):
    """The kernel builds (after the static screen). ``message`` is the first compiler error when not."""

    kernel_hash: str | None = None  # sha256 of the source, 12 hex digits
    origin: str | None = None  # "hand-written", "llm:<model>"...
    seconds: float | None = None  # build time (a cached build takes ~0)
    cached: bool | None = None  # the build came from the content-addressed cache
    toolchain: str | None = None
    n_errors: int | None = None  # compiler errors; None when no compiler ran (screen, no kernel)


@dataclass(frozen=True, kw_only=True)
class CorrectnessResult(_Result):
    """The kernel's outputs match PyTorch on every seed; ``skipped`` when it did not compile."""

    op: str | None = None  # the ONNX operator
    max_abs_err: float | None = None  # over every output and seed; None when no output was compared
    atol: float | None = None
    rtol: float | None = None
    seeds: tuple[int, ...] = ()
    trials: int | None = None


@dataclass(frozen=True, kw_only=True)
class SpeedResult(_Result):
    """The kernel timed against a baseline on the run's device; ``skipped`` when it is not correct or
    the device cannot time (qemu). ``speedup`` = baseline latency / kernel latency (median of paired
    per-block ratios), ``ci_low``..``ci_high`` its 95 % bootstrap interval."""

    latency_us: float | None = None
    # "mnn" (the host's mnn wheel), "mnn-tree" (--target=mnn), "mnn-device" (MNN on the phone),
    # "reference-kernel" (phone without --mnn-runner); None: nothing to compare with (see below)
    baseline: str | None = None
    baseline_us: float | None = None
    speedup: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    no_baseline_reason: str | None = None  # why there is no MNN baseline (MNN cannot convert/run it...)
    torch_us: float | None = None  # single-thread PyTorch eager, where it was timed
    speedup_torch: float | None = None
    device: str | None = None

    def __post_init__(self) -> None:
        measured = (self.speedup, self.ci_low, self.ci_high, self.baseline_us)
        if any(v is None for v in measured) and any(v is not None for v in measured):
            raise ValueError(f"{self.task}: a speedup comes with its interval and baseline latency, got {measured}")


def _num(props: Mapping[str, Any], key: str) -> float | None:
    value = props.get(key)
    return None if value is None else float(value)


def _int(props: Mapping[str, Any], key: str) -> int | None:
    value = props.get(key)
    return None if value is None else int(value)


def _common(task: TaskRef, result: Any) -> dict[str, Any]:
    return {"task": task.id, "status": result.status, "message": result.message,
            "props": MappingProxyType(dict(result.props))}


def _compile_result(task: TaskRef, result: Any) -> CompileResult:
    p = result.props
    cached = p.get("build_cached")
    return CompileResult(**_common(task, result), kernel_hash=p.get("kernel_hash"), origin=p.get("origin"),
                         seconds=_num(p, "compile_s"), cached=None if cached is None else bool(cached),
                         toolchain=p.get("toolchain"), n_errors=_int(p, "n_errors"))


def _correctness_result(task: TaskRef, result: Any) -> CorrectnessResult:
    p = result.props
    seeds = tuple(int(s) for s in str(p.get("seeds") or "").split(",") if s.strip())
    return CorrectnessResult(**_common(task, result), op=p.get("op"), max_abs_err=_num(p, "max_abs_err"),
                             atol=_num(p, "atol"), rtol=_num(p, "rtol"), seeds=seeds, trials=_int(p, "trials"))


def _speed_result(task: TaskRef, result: Any) -> SpeedResult:
    p = result.props
    baseline = p.get("baseline")
    compared = p.get("speedup") is not None
    # the baseline's latency: MNN's, or on a phone without --mnn-runner the reference kernel's
    base_key = "reference_us" if baseline == "reference-kernel" else "mnn_us"
    return SpeedResult(**_common(task, result), latency_us=_num(p, "latency_us"),
                       baseline=baseline if compared and baseline not in (None, "none") else None,
                       baseline_us=_num(p, base_key) if compared else None,
                       speedup=_num(p, "speedup") if compared else None,
                       ci_low=_num(p, "speedup_ci_low") if compared else None,
                       ci_high=_num(p, "speedup_ci_high") if compared else None,
                       no_baseline_reason=p.get("no_mnn_baseline") or None,
                       torch_us=_num(p, "torch_us"), speedup_torch=_num(p, "speedup_torch"), device=p.get("device"))


_CONVERT = {"compile": _compile_result, "correctness": _correctness_result, "speed": _speed_result}


# -- resolving tasks -------------------------------------------------------------------------------
def _tasks_dir(config: pytest.Config) -> Path:
    from .runstate import TASKS_DIR  # the run's --mk-tasks-dir, as the plugin resolved it

    return config.stash[TASKS_DIR]


def resolve_task(config: pytest.Config, task: TaskLike) -> TaskRef:
    """A TaskRef from an id ("Category/Task") of the run's tasks dir, a task file's path, or a TaskRef.

    Unknown: the calling test fails with one line saying where ids come from."""
    if isinstance(task, TaskRef):
        return task
    text = os.fspath(task)
    if text.endswith(".py"):
        path = Path(text)
        if path.is_file() and is_task_file(path):
            return task_ref(path)
        pytest.fail(f"no task file {text!r} (a task is <Category>/<Task>.py in KernelBench format)", pytrace=False)
    tasks_dir = _tasks_dir(config)
    if not tasks_dir.is_dir():
        pytest.fail(f"unknown task {text!r}: no tasks directory {tasks_dir}; give --mk-tasks-dir=DIR "
                    f"(<Category>/<Task>.py files, e.g. the project's bench_tasks/)", pytrace=False)
    refs = {ref.id: ref for ref in discover(tasks_dir)}
    if text in refs:
        return refs[text]
    close = difflib.get_close_matches(text, refs, n=3)
    close += [i for i in refs if i.split("/", 1)[1] == text and i not in close]  # a bare task name
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    pytest.fail(f"unknown task {text!r} in {tasks_dir} ({len(refs)} tasks): {hint}ids are <Category>/<Task>; "
                f"list them with `ls {tasks_dir}/*/*.py` (the shipped suite: docs/tasks.md)", pytrace=False)


# -- the evaluation handle -------------------------------------------------------------------------
class Evaluation:
    """One task's stages in this run. Each call returns the session's verdict for that stage,
    computed by whichever test or worker asked first; later stages run the earlier ones they need."""

    def __init__(self, config: pytest.Config, task: TaskRef) -> None:
        self._config = config
        self.task = task

    def __repr__(self) -> str:
        return f"Evaluation({self.task.id!r})"

    @property
    def kernel(self) -> KernelCandidate:
        return _kernel(self._config, self.task)

    def compile(self) -> CompileResult:
        return self._stage("compile")  # type: ignore[return-value]

    def correctness(self) -> CorrectnessResult:
        return self._stage("correctness")  # type: ignore[return-value]

    def speed(self) -> SpeedResult:
        return self._stage("speed")  # type: ignore[return-value]

    def _stage(self, stage: str) -> Any:
        from .evaluation import StageResult
        from .runstate import get_evaluator

        try:
            result = get_evaluator(self._config).run(self.task, stage)
        except MobileKernelError as exc:  # what the plugin's own item reports as its failure
            result = StageResult(stage, "failed", str(exc), {})
        return _CONVERT[stage](self.task, result)


def _kernel(config: pytest.Config, task: TaskRef) -> KernelCandidate:
    from .runstate import get_evaluator

    evaluator = get_evaluator(config)
    try:
        return evaluator.kernel(task)
    except MobileKernelError as exc:
        pytest.fail(f"{task.id}: agent {evaluator.settings.agent!r} gave no kernel: {exc}", pytrace=False)


# -- fixtures --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def mk_task(pytestconfig: pytest.Config) -> Callable[[TaskLike], TaskRef]:
    """``mk_task("Activation/Relu") -> TaskRef``: a task of the run's ``--mk-tasks-dir`` by id
    (``<Category>/<Task>``), or a task file by path. An unknown id fails the test with one line."""
    return lambda task: resolve_task(pytestconfig, task)


@pytest.fixture(scope="session")
def mk_kernel(pytestconfig: pytest.Config) -> Callable[[TaskLike], KernelCandidate]:
    """``mk_kernel("Activation/Relu") -> KernelCandidate`` (``.source``, ``.origin``, ``.path``,
    ``.meta``): the kernel the run's ``--agent`` produces for the task, generated on first use and
    stored as the plugin's own items store it (``--agent=replay`` reads ``--mk-kernels-label``)."""
    return lambda task: _kernel(pytestconfig, resolve_task(pytestconfig, task))


@pytest.fixture(scope="session")
def mk_evaluate(pytestconfig: pytest.Config) -> Callable[[TaskLike], Evaluation]:
    """``mk_evaluate("Activation/Relu") -> Evaluation``: ``.compile()``, ``.correctness()``,
    ``.speed()`` return CompileResult, CorrectnessResult, SpeedResult (frozen; ``.passed``,
    ``.failed``, ``.skipped``, ``.message``; numbers not measured are None). Each stage runs once per
    session, shared with xdist workers and the plugin's own items."""
    return lambda task: Evaluation(pytestconfig, resolve_task(pytestconfig, task))
