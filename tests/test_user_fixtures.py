"""Written as a team writes its own tests with the plugin's public fixtures (README: "Writing your
own tests"): nothing here but the fixtures and what a user imports. The run's options apply; in the
project's suite that is the shipped tasks and their stored reference kernels (--agent=replay)."""

from __future__ import annotations

import pytest

from pytest_mobilekernel.fixtures import CompileResult, CorrectnessResult, SpeedResult

# cheap tasks: an activation and a broadcasting binary op
TASKS = ["Activation/Relu", "Binary/Add"]


@pytest.mark.parametrize("task_id", TASKS)
def test_kernel_is_the_agents(mk_task, mk_kernel, task_id: str) -> None:
    task = mk_task(task_id)
    kernel = mk_kernel(task)
    assert task.id == task_id and task.path.name == f"{task.name}.py"
    assert kernel.origin == "hand-written"  # the stored reference kernels say so in meta.json
    assert "REGISTER" in kernel.source or "Creator" in kernel.source


@pytest.mark.parametrize("task_id", TASKS)
def test_kernel_compiles(mk_evaluate, task_id: str) -> None:
    result = mk_evaluate(task_id).compile()
    assert isinstance(result, CompileResult)
    assert result.passed and not result.failed and not result.skipped, result.message
    assert result.n_errors == 0 and result.kernel_hash and result.toolchain


@pytest.mark.parametrize("task_id", TASKS)
def test_kernel_matches_pytorch(mk_evaluate, task_id: str) -> None:
    result = mk_evaluate(task_id).correctness()
    assert isinstance(result, CorrectnessResult)
    assert result.passed, result.message
    assert result.max_abs_err is not None and result.max_abs_err <= result.atol
    assert len(result.seeds) == result.trials >= 2


@pytest.mark.parametrize("task_id", TASKS)
def test_kernel_is_timed_against_mnn(mk_evaluate, task_id: str) -> None:
    speed = mk_evaluate(task_id).speed()
    assert isinstance(speed, SpeedResult)
    assert speed.passed, speed.message
    assert speed.baseline == "mnn" and speed.no_baseline_reason is None
    assert speed.ci_low <= speed.speedup <= speed.ci_high
    assert speed.latency_us > 0 and speed.baseline_us > 0
    # the speedup is the baseline's latency over the kernel's, up to the per-block pairing
    assert speed.speedup == pytest.approx(speed.baseline_us / speed.latency_us, rel=0.5)


def test_stages_are_shared_within_the_session(mk_evaluate) -> None:
    # a second handle on the same task reads the session's verdict: the same measurement, not a new one
    first, again = mk_evaluate("Activation/Relu").speed(), mk_evaluate("Activation/Relu").speed()
    assert first == again and first.latency_us == again.latency_us
