"""The public fixtures' failure paths, each in a child pytest (pytester) as a user's test file would
meet them: an unknown task id, a kernel that does not build, no kernel at all, and two xdist workers
asking for the same task. Plus the result types' rules, which need no run."""

from __future__ import annotations

import dataclasses
import json
import textwrap
from pathlib import Path

import pytest

from conftest import DATA
from pytest_mobilekernel.evaluation import StageResult
from pytest_mobilekernel.fixtures import SpeedResult, _speed_result
from pytest_mobilekernel.tasks import task_ref

pytest_plugins = ["pytester"]  # a test module may load it (a non-root conftest may not: child runs load ours)


def run_user_tests(pytester: pytest.Pytester, mk_cache: Path, monkeypatch: pytest.MonkeyPatch, body: str,
                   *args: str, label: str = "good", tasks: Path | None = DATA / "tasks") -> pytest.RunResult:
    for var in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "MK_TESTS_CACHE"):
        monkeypatch.delenv(var, raising=False)  # the child is a run of its own, not one of our workers
    pytester.makepyfile(test_mine=textwrap.dedent(body))
    return pytester.runpytest_subprocess(
        *([f"--mk-tasks-dir={tasks}"] if tasks else []), f"--mk-kernels-dir={DATA / 'kernels'}",
        f"--mk-kernels-label={label}",
        f"--mk-cache-dir={mk_cache}", "--mk-blocks=3", "--mk-block-ms=2", "-p", "no:cacheprovider", "test_mine.py",
        *args,
        timeout=600)


def test_unknown_task_id_fails_with_one_line(pytester, mk_cache, monkeypatch) -> None:
    result = run_user_tests(pytester, mk_cache, monkeypatch, """
        def test_typo(mk_evaluate):
            mk_evaluate("Activation/Relux").speed()

        def test_bare_name(mk_task):
            mk_task("IsNaN")

        def test_missing_file(mk_kernel):
            mk_kernel("nowhere/Relu.py")
    """)
    result.assert_outcomes(failed=3)
    out = result.stdout.str()
    tasks = DATA / "tasks"
    assert f"unknown task 'Activation/Relux' in {tasks} (5 tasks): did you mean Activation/Relu? ids are " \
           f"<Category>/<Task>; list them with `ls {tasks}/*/*.py`" in out, out
    assert "unknown task 'IsNaN'" in out and "did you mean Logic/IsNaN?" in out, out
    assert "no task file 'nowhere/Relu.py'" in out, out
    # one line, no traceback into the fixtures
    assert 'mk_evaluate("Activation/Relux")' not in out and "fixtures.py" not in out, out
    # outside the project (no bench_tasks/ found, no --mk-tasks-dir): the option to give
    result = run_user_tests(pytester, mk_cache, monkeypatch, """
        def test_elsewhere(mk_task):
            mk_task("Activation/Relu")
    """, tasks=None)
    result.assert_outcomes(failed=1)
    assert "unknown task 'Activation/Relu': no tasks directory " in result.stdout.str() and \
           "give --mk-tasks-dir=DIR" in result.stdout.str(), result.stdout.str()
    # a --mk-tasks-dir that does not exist is a usage error before any test
    result = run_user_tests(pytester, mk_cache, monkeypatch, """
        def test_elsewhere(mk_task):
            mk_task("Activation/Relu")
    """, f"--mk-tasks-dir={pytester.path / 'nowhere'}", tasks=None)
    assert result.ret == pytest.ExitCode.USAGE_ERROR and "is not a directory" in result.stderr.str()


def test_a_kernel_that_does_not_compile(pytester, mk_cache, monkeypatch) -> None:
    result = run_user_tests(pytester, mk_cache, monkeypatch, """
        def test_stages(mk_evaluate):
            ev = mk_evaluate("Activation/Relu")
            built = ev.compile()
            assert built.failed and not built.passed and not built.skipped
            assert built.message.startswith("kernel.cpp:") and "undeclared_zero" in built.message, built
            assert built.n_errors >= 1
            checked = ev.correctness()
            assert checked.skipped and not checked.passed and not checked.failed, checked
            assert checked.message.startswith("compile failed: kernel.cpp:"), checked
            assert checked.max_abs_err is None and checked.trials is None and checked.seeds == ()
            timed = ev.speed()
            assert timed.skipped and timed.message.startswith("correctness skipped: compile failed"), timed
            assert (timed.latency_us, timed.speedup, timed.ci_low, timed.ci_high, timed.baseline,
                    timed.baseline_us) == (None,) * 6

        def test_no_kernel_under_the_label(mk_evaluate):
            built = mk_evaluate("Logic/IsNaN").compile()
            assert built.failed and built.message.startswith("no kernel for Logic/IsNaN"), built
            assert built.n_errors is None and built.kernel_hash is None
            assert mk_evaluate("Logic/IsNaN").correctness().skipped

        def test_user_asserting_a_speedup_of_a_broken_kernel(mk_evaluate):
            assert mk_evaluate("Activation/Relu").speed().speedup >= 1.0

        def test_kernel_of_a_task_without_one(mk_kernel):
            mk_kernel("Logic/IsNaN")
    """, label="compile_error")
    # the last two must fail: no number stands in for an unmeasured speedup, no kernel for a missing one
    result.assert_outcomes(passed=2, failed=2)
    out = result.stdout.str()
    assert "TypeError: '>=' not supported between instances of 'NoneType' and 'float'" in out, out
    assert "Logic/IsNaN: agent 'replay' gave no kernel: no kernel for Logic/IsNaN (looked for " in out, out


def test_two_workers_share_one_measurement(pytester, mk_cache, monkeypatch, tmp_path) -> None:
    """Under -n 2 both workers ask for the same task's speed: one measures, the other reads it."""
    result = run_user_tests(pytester, mk_cache, monkeypatch, f"""
        import json, os
        from pathlib import Path

        def test_speed(mk_evaluate):
            ev = mk_evaluate("Activation/Relu")
            speed, built = ev.speed(), ev.compile()
            assert speed.passed, speed.message
            Path({str(tmp_path)!r}, os.environ["PYTEST_XDIST_WORKER"]).write_text(json.dumps(
                [speed.latency_us, speed.speedup, speed.ci_low, speed.ci_high, built.seconds, built.cached]))
    """, "-n", "2", "--dist", "each")
    result.assert_outcomes(passed=2)
    seen = {p.name: json.loads(p.read_text()) for p in tmp_path.iterdir()}
    assert set(seen) == {"gw0", "gw1"}, seen
    assert seen["gw0"] == seen["gw1"], seen  # two measurements would differ in latency at least


# -- the result types, without a run ---------------------------------------------------------------
RELU = task_ref(DATA / "tasks" / "Activation" / "Relu.py")


def test_speed_without_a_baseline_has_no_speedup() -> None:
    stage = StageResult("speed", "passed", "no MNN baseline (MNN cannot run Relu: x), kernel 3.0 us",
                        {"latency_us": 3.0, "baseline": "none", "no_mnn_baseline": "MNN cannot run Relu: x",
                         "torch_us": 6.0, "speedup_torch": 2.0, "device": "host"})
    speed = _speed_result(RELU, stage)
    assert speed.passed and speed.latency_us == 3.0 and speed.speedup_torch == 2.0
    assert (speed.baseline, speed.baseline_us, speed.speedup, speed.ci_low, speed.ci_high) == (None,) * 5
    assert speed.no_baseline_reason == "MNN cannot run Relu: x"


def test_a_reference_kernel_baseline_reports_its_latency() -> None:
    stage = StageResult("speed", "passed", "", {"latency_us": 2.0, "baseline": "reference-kernel",
                                                "reference_us": 4.0, "speedup": 2.0, "speedup_ci_low": 1.9,
                                                "speedup_ci_high": 2.1, "no_mnn_baseline": "no --mk-mnn-runner"})
    speed = _speed_result(RELU, stage)
    assert (speed.baseline, speed.baseline_us, speed.speedup) == ("reference-kernel", 4.0, 2.0)


def test_results_are_frozen_and_consistent() -> None:
    speed = SpeedResult(task="Activation/Relu", status="skipped", message="correctness failed: wrong output")
    assert speed.skipped and not speed.passed and not speed.failed and speed.speedup is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        speed.speedup = 2.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="a speedup comes with its interval"):
        SpeedResult(task="Activation/Relu", status="passed", message="", latency_us=1.0, speedup=1.5)
    assert "props" not in repr(speed)  # the raw record stays out of assertion messages
