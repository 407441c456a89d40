"""The CI regression gate: a stored results file makes pytest fail on a slowed or broken kernel."""

from __future__ import annotations

import shutil

from conftest import FAST_SPEED

ARGS = ("-k", "Activation and Relu", *FAST_SPEED, "--mk-torch-baseline=never")


def test_gate_fails_a_deliberately_slowed_kernel(run_bench, tmp_path) -> None:
    first = run_bench(*ARGS, label="good")
    assert first.returncode == 0, first.output
    baseline = tmp_path / "baseline.json"
    shutil.copy(next(tmp_path.glob("results-*.json")), baseline)

    same = run_bench(*ARGS, f"--mk-baseline={baseline}", "--mk-max-slowdown=40", label="good")
    assert same.returncode == 0, same.output  # no false alarm on the same kernel

    slowed = run_bench(*ARGS, f"--mk-baseline={baseline}", "--mk-max-slowdown=40", label="slow")
    record = slowed.items()["Activation/Relu::speed"]
    assert slowed.returncode == 1
    assert record["status"] == "failed" and record["message"].startswith("regression: speedup over MNN")

    broken = run_bench(*ARGS, f"--mk-baseline={baseline}", label="wrong")
    record = broken.items()["Activation/Relu::correctness"]
    assert record["status"] == "failed" and record["message"].startswith("regression: correct in the baseline")


def test_gate_rejects_a_file_that_is_not_results(run_bench, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    run = run_bench(*ARGS, f"--mk-baseline={bad}")
    assert run.returncode == 4 and "not a pytest-mobilekernel results file" in run.output
