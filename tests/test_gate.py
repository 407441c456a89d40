"""The CI regression gate: a stored results file makes pytest fail on a slowed or broken kernel."""

from __future__ import annotations

import shutil

from conftest import FAST_SPEED
from pytest_mobilekernel.reporting.regression_gate import Baseline

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


def _stored(tmp_path, **task) -> Baseline:
    import json

    record = {"task": "Activation/Relu", "correct": True, "device": "host", "baseline": "mnn", "speedup": 2.0,
              "speedup_torch": 4.0, **task}
    path = tmp_path / "stored.json"
    path.write_text(json.dumps({"run": {"target": "lite", "threads": 1}, "tasks": [record]}))
    return Baseline.load(path, 0.10)


def test_gate_compares_only_speedups_of_the_same_kind(tmp_path) -> None:
    gate = _stored(tmp_path)
    now = {"device": "host", "baseline": "mnn", "speedup": 1.5, "speedup_torch": 3.9}
    assert gate.speed_check("Activation/Relu", now).failure.startswith("regression: speedup over MNN 1.500x")
    ok = gate.speed_check("Activation/Relu", {**now, "speedup": 1.95})
    assert not ok.failure and ok.note.startswith("speedup over MNN 1.950x vs 2.000x")
    # a phone's speedup over the reference kernel is not a speedup over MNN on this machine
    phone = gate.speed_check("Activation/Relu", {**now, "device": "adb:R58M", "baseline": "reference-kernel",
                                                 "speedup": 0.5})
    assert not phone.failure and phone.note == "not compared: timed on host in the baseline, on adb:R58M now"
    # MNN could not run this time: the PyTorch speedups (same device) are compared instead
    no_mnn = gate.speed_check("Activation/Relu", {"device": "host", "baseline": "none", "speedup": None,
                                                  "speedup_torch": 2.0})
    assert no_mnn.failure.startswith("regression: speedup over PyTorch eager 2.000x vs 4.000x")
    other = _stored(tmp_path, speedup_torch=None).speed_check(
        "Activation/Relu", {"device": "host", "baseline": "mnn-tree", "speedup": 0.1})
    assert not other.failure and other.note == "not compared: speedup over mnn in the baseline, over mnn-tree now"
    assert gate.speed_check("Binary/Add", now).note.startswith("not in the baseline")


def test_gate_refuses_a_baseline_of_other_settings(run_bench, tmp_path) -> None:
    gate = _stored(tmp_path)
    gate.check_run("lite", 1)  # same settings: accepted
    run = run_bench(*ARGS, f"--mk-baseline={tmp_path / 'stored.json'}", "--mk-threads=2")
    assert run.returncode == 4
    assert "measured with --mk-threads=1, this run uses --mk-threads=2; speedups are not comparable" in run.output
