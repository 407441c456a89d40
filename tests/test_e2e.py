"""The whole path on small tasks: verdicts, speed vs real MNN, xdist, JUnit, pytest-benchmark JSON."""

from __future__ import annotations

import json

from conftest import FAST_SPEED


def _verdicts(run) -> dict[str, str]:
    return {k: v["status"] for k, v in run.items().items()}


def test_good_kernels_all_stages(run_bench, tmp_path) -> None:
    run = run_bench("-k", "Relu or IsNaN", *FAST_SPEED, f"--mk-report={tmp_path / 'report'}")
    assert run.returncode == 0, run.output
    items = run.items()
    relu = items["Activation/Relu::speed"]
    assert relu["status"] == "passed"
    assert relu["baseline"] == "mnn" and relu["speedup"] > 0 and relu["mnn_us"] > 0
    assert relu["mnn_matches"] is True
    assert "torch_us" not in relu and relu["busy_processes"] >= 0  # auto: MNN is the baseline here
    # mnn 3.6.1 has no IsNaN converter: the task is timed, says why there is no MNN figure, and
    # gives the speedup over PyTorch eager instead.
    isnan = items["Logic/IsNaN::speed"]
    assert isnan["status"] == "passed" and isnan["baseline"] == "none"
    assert "MNN cannot convert IsNaN" in isnan["no_mnn_baseline"]
    assert isnan["speedup_torch"] > 0
    m = run.results["metrics"]
    assert m["csr"] == 1.0 and m["fcr"] == 1.0 and m["no_baseline"] == 1
    assert "MobileKernelBench" in run.output and "no MNN baseline" in run.output
    report = tmp_path / "report"
    md = (report / "report.md").read_text()
    assert "## Machine" in md and "MNN 3.6.1" in md and "CSR 100.0%" in md
    for png in ("speedup_by_category.png", "speedup_distribution.png"):
        assert (report / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run.results["run"]["machine_info"]["cpu"]["cores"] >= 1


def test_xdist_gives_the_same_verdicts(run_bench) -> None:
    args = ("-k", "Relu or IsNaN or Broken", "-m", "compile or correctness")
    serial = run_bench(*args)
    parallel = run_bench(*args, "-n", "2")
    assert _verdicts(serial) == _verdicts(parallel)
    assert set(_verdicts(serial)) >= {"Activation/Relu::correctness", "Broken/MultiNode::correctness"}
    assert serial.results["metrics"] == parallel.results["metrics"]


def test_junit_properties(run_bench) -> None:
    run = run_bench("-k", "Relu", *FAST_SPEED)
    props = run.properties("Relu.py::speed")
    for key in ("mk_task", "mk_category", "mk_stage", "mk_agent", "mk_device", "mk_kernel_hash", "mk_latency_us",
                "mk_speedup", "mk_op"):
        assert key in props, props
    assert props["mk_task"] == "Activation/Relu" and props["mk_stage"] == "speed"
    assert float(props["mk_speedup"]) > 0


def test_junit_failure_summary(run_bench) -> None:
    run = run_bench("-k", "Relu", "-m", "correctness", label="wrong")
    props = run.properties("Relu.py::correctness")
    assert "elements wrong" in props["mk_failure"]


def test_benchmark_json_under_xdist(run_bench, tmp_path) -> None:
    out = tmp_path / "bench.json"
    run = run_bench("-k", "Relu or IsNaN", "-m", "speed", "-n", "2", *FAST_SPEED, f"--benchmark-json={out}",
                    "--mk-torch-baseline=always")
    assert run.returncode == 0, run.output
    doc = json.loads(out.read_text())
    names = {b["name"] for b in doc["benchmarks"]}
    assert {"Activation/Relu[kernel]", "Activation/Relu[mnn]", "Activation/Relu[torch]",
            "Logic/IsNaN[kernel]"} <= names
    kernel = next(b for b in doc["benchmarks"] if b["name"] == "Activation/Relu[kernel]")
    stats = kernel["stats"]
    # every sample is there: rounds == len(data) == blocks * iterations of the runner
    assert stats["rounds"] == len(stats["data"]) > 3
    assert kernel["extra_info"]["task"] == "Activation/Relu"


def test_speed_only_runs_earlier_stages_itself(run_bench) -> None:
    run = run_bench("-k", "Relu", "-m", "speed", *FAST_SPEED)
    items = run.items()
    assert list(items) == ["Activation/Relu::speed"]
    assert items["Activation/Relu::speed"]["status"] == "passed"
    assert run.results["tasks"][0]["correct"] is True


def test_speed_skips_when_incorrect(run_bench) -> None:
    run = run_bench("-k", "Relu", "-m", "speed", label="wrong")
    record = run.items()["Activation/Relu::speed"]
    assert record["status"] == "skipped" and record["message"].startswith("correctness failed: wrong output")


def test_rerun_recompiles_nothing(run_bench) -> None:
    run_bench("-k", "Relu", "-m", "compile")
    again = run_bench("-k", "Relu", "-m", "compile")
    assert again.items()["Activation/Relu::compile"]["build_cached"] is True


def test_no_kernel_message(run_bench) -> None:
    run = run_bench("-k", "IsNaN", "-m", "compile", label="wrong")
    assert run.items()["Logic/IsNaN::compile"]["message"].startswith("no kernel for Logic/IsNaN")


def test_unknown_agent_is_a_usage_error(run_bench) -> None:
    run = run_bench("--agent=nosuch")
    assert run.returncode == 4
    assert "unknown agent 'nosuch'" in run.output
