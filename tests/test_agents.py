"""MoKA and oneshot against a scripted OpenAI-compatible server: real HTTP through the openai SDK."""

from __future__ import annotations

import json
import socket

import pytest
from llm_server import ScriptedServer, Status, fenced

from conftest import DATA

KERNELS = DATA / "kernels"
GOOD = (KERNELS / "good/Activation/Relu/kernel.cpp").read_text()
BROKEN = (KERNELS / "compile_error/Activation/Relu/kernel.cpp").read_text()
WRONG = (KERNELS / "wrong/Activation/Relu/kernel.cpp").read_text()
SLOW = (KERNELS / "slow/Activation/Relu/kernel.cpp").read_text()
DEBUG_PLAN = json.dumps({"local_error_suggestion": "declare the zero constant",
                         "crossfile_error_suggestion": ""})
ACCEL_PLAN = json.dumps({"bottleneck": "redundant passes", "optimisation_method": "single pass",
                         "modification_plan": "compute each element once"})
LLM_ENV = {"OPENAI_API_KEY": "test-key"}


def _moka(run_bench, tmp_path, server, iterations, *extra, label="moka-test"):
    out = tmp_path / "kernels"
    run = run_bench("-k", "Activation and Relu", "-m", "compile or correctness", "--agent=moka",
                    f"--mk-llm-base-url={server.base_url}", f"--mk-max-iterations={iterations}", "--mk-llm-retries=2",
                    *extra, kernels=out, label=label, env=LLM_ENV)
    d = out / label / "Activation" / "Relu"
    meta = json.loads((d / "meta.json").read_text()) if (d / "meta.json").exists() else None
    return run, d, meta


def test_compile_error_is_debugged_then_fixed(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": [fenced(BROKEN), fenced(GOOD)], "Debugger": [DEBUG_PLAN]}) as server:
        run, d, meta = _moka(run_bench, tmp_path, server, 2)
    assert meta["iterations"][0]["verdict"] == "build failed"
    assert meta["iterations"][1]["verdict"].startswith("correct")
    assert (d / "kernel.cpp").read_text() == GOOD
    # the Debugger saw the located error with the enclosing function (tree-sitter), not raw gcc output
    debugger_prompt = next(r for r in server.requests if r["role"] == "Debugger")["messages"][1]["content"]
    assert "[local] kernel.cpp:" in debugger_prompt and "undeclared_zero" in debugger_prompt
    assert "ErrorCode onExecute" in debugger_prompt
    # the Coder executed the plan it was given
    apply_prompt = server.requests[-1]["messages"][1]["content"]
    assert "declare the zero constant" in apply_prompt
    assert run.items()["Activation/Relu::correctness"]["status"] == "passed"
    assert meta["tokens"]["total"]["calls"] == 3 and meta["tokens"]["Debugger"]["calls"] == 1
    lines = (d / "transcript.jsonl").read_text().splitlines()
    assert sum(json.loads(x)["type"] == "llm" for x in lines) == 3


def test_wrong_output_gets_a_correction_plan(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": [fenced(WRONG), fenced(GOOD)], "Debugger": [DEBUG_PLAN]}) as server:
        _, d, meta = _moka(run_bench, tmp_path, server, 2)
    assert meta["iterations"][0]["verdict"] == "wrong output"
    prompt = next(r for r in server.requests if r["role"] == "Debugger")["messages"][1]["content"]
    assert "elements wrong" in prompt and "ONNX operator **Relu**" in prompt
    assert (d / "kernel.cpp").read_text() == GOOD


def test_accelerator_faster_kernel_is_kept(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": [fenced(SLOW), fenced(GOOD)], "Accelerator": [ACCEL_PLAN]}) as server:
        _, d, meta = _moka(run_bench, tmp_path, server, 2)
    its = meta["iterations"]
    assert its[0]["verdict"].startswith("correct") and its[1]["verdict"].startswith("correct")
    assert its[1]["latency_us"] < its[0]["latency_us"]
    assert meta["best_iteration"] == 2 and (d / "kernel.cpp").read_text() == GOOD
    accel = next(r for r in server.requests if r["role"] == "Accelerator")["messages"][1]["content"]
    assert "GB/s" in accel and "µs" in accel
    # the roofline: the device's measured bandwidth at the kernel's working-set size, and the share reached
    assert "this device streams about" in accel and "% of it (near 100%: memory-bound" in accel


def test_accelerator_slower_kernel_is_not_kept(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": [fenced(GOOD), fenced(SLOW), fenced(GOOD)],
                         "Accelerator": [ACCEL_PLAN, ACCEL_PLAN]}) as server:
        _, d, meta = _moka(run_bench, tmp_path, server, 3)
    assert meta["best_iteration"] in (1, 3) and meta["iterations"][1]["kept"] is False
    assert (d / "kernel.cpp").read_text() == GOOD
    # the second Accelerator prompt lists the attempt that did not pay off
    second = [r for r in server.requests if r["role"] == "Accelerator"][1]["messages"][1]["content"]
    assert "already attempted" in second and "single pass" in second


def test_budget_exhausted_keeps_last_kernel(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": [fenced(BROKEN)] * 3, "Debugger": [DEBUG_PLAN] * 2}) as server:
        run, d, meta = _moka(run_bench, tmp_path, server, 3)
    assert [it["verdict"] for it in meta["iterations"]] == ["build failed"] * 3
    assert meta["best_iteration"] is None
    assert run.items()["Activation/Relu::compile"]["status"] == "failed"


def test_rate_limit_then_success(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": [Status(429, "slow down"), fenced(GOOD)]}) as server:
        run, d, meta = _moka(run_bench, tmp_path, server, 1)
    assert server.calls["Coder"] == 2
    assert meta["iterations"][0]["verdict"].startswith("correct")


def test_reply_without_code_and_malformed_debugger_json(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": ["I cannot write code today.", fenced(GOOD)],
                         "Debugger": ["{this is not json"]}) as server:
        _, d, meta = _moka(run_bench, tmp_path, server, 2)
    assert meta["iterations"][0]["message"] == "the reply had no ```cpp code block"
    assert "not the JSON asked for" in meta["memory"][0]["plan"]["note"]
    assert meta["iterations"][1]["verdict"].startswith("correct")


def test_replay_reproduces_the_kernel_offline(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": [fenced(BROKEN), fenced(GOOD)], "Debugger": [DEBUG_PLAN]}) as server:
        _, d, meta = _moka(run_bench, tmp_path, server, 2)
    run = run_bench("-k", "Activation and Relu", "-m", "compile or correctness", "--agent=moka",
                    "--mk-max-iterations=2", f"--mk-llm-replay={tmp_path / 'kernels' / 'moka-test'}",
                    kernels=tmp_path / "kernels", label="moka-replayed", env={"OPENAI_API_KEY": ""})
    replayed = tmp_path / "kernels" / "moka-replayed" / "Activation" / "Relu"
    assert (replayed / "kernel.cpp").read_text() == (d / "kernel.cpp").read_text()
    assert json.loads((replayed / "meta.json").read_text())["replayed"] is True
    assert run.items()["Activation/Relu::correctness"]["status"] == "passed"


def test_endpoint_down_is_one_line_before_any_task(run_bench, tmp_path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once we leave: nothing listens there
    run = run_bench("--agent=moka", f"--mk-llm-base-url=http://127.0.0.1:{port}/v1", "--mk-llm-retries=0",
                    kernels=tmp_path / "k", env=LLM_ENV)
    assert run.returncode == 4 and "unreachable" in run.output and "--mk-llm-base-url" in run.output
    assert "passed" not in run.output and "failed" not in run.output.split("unreachable")[0]


def test_missing_key_is_one_line(run_bench, tmp_path) -> None:
    run = run_bench("--agent=oneshot", "--mk-llm-base-url=http://127.0.0.1:9/v1", kernels=tmp_path / "k",
                    env={"OPENAI_API_KEY": ""})
    assert run.returncode == 4 and "OPENAI_API_KEY is not set" in run.output


def test_oneshot_samples_give_pass_at_k(run_bench, tmp_path) -> None:
    with ScriptedServer({"Coder": [fenced(GOOD), fenced(BROKEN), fenced(WRONG)]}) as server:
        run = run_bench("-k", "Activation and Relu", "-m", "compile or correctness", "--agent=oneshot",
                        "--mk-samples=3", f"--mk-llm-base-url={server.base_url}", kernels=tmp_path / "k",
                        label="oneshot-test", env=LLM_ENV)
    meta = json.loads((tmp_path / "k/oneshot-test/Activation/Relu/meta.json").read_text())
    assert meta["n_samples"] == 3 and meta["n_correct"] == 1 and meta["chosen_sample"] == 0
    assert run.results["metrics"]["pass_at"]["pass@1"] == pytest.approx(1 / 3)
    assert "pass@1" in run.output and "LLM tokens" in run.output
