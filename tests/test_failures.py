"""Bad kernels and bad task files each get a clear one-line verdict; the session goes on."""

from __future__ import annotations

import pytest

from conftest import DATA

RELU = ["-k", "Relu or IsNaN", "-m", "compile or correctness"]


@pytest.mark.parametrize(
    ("label", "stage", "expect"),
    [
        ("compile_error", "compile", "kernel.cpp:"),  # gcc's location, then the error
        ("segfault", "correctness", "SIGSEGV"),
        ("hang", "correctness", "timed out"),
        ("partial", "correctness", "never written"),
        ("wrong", "correctness", "wrong output"),
        ("resize_error", "correctness", "onResize returned NOT_SUPPORT"),
        ("wrong_optype", "correctness", "no creator registered for OpType_Relu"),
        ("oom", "correctness", "out of memory"),
    ],
)
def test_bad_kernel_verdicts(run_bench, label: str, stage: str, expect: str) -> None:
    run = run_bench(*RELU, "--mk-timeout=3", label=label)
    items = run.items()
    record = items[f"Activation/Relu::{stage}"]
    assert record["status"] == "failed", record
    assert expect in record["message"], record["message"]
    assert "\n" not in record["message"]
    # the session went on: the other task of the directory still has its verdicts
    assert items["Logic/IsNaN::compile"]["status"] == "failed"  # no IsNaN kernel under this label
    assert "no kernel for Logic/IsNaN" in items["Logic/IsNaN::compile"]["message"]
    assert run.returncode == 1


def test_compile_failure_skips_later_stages(run_bench) -> None:
    run = run_bench("-k", "Relu", label="compile_error")
    items = run.items()
    assert items["Activation/Relu::correctness"]["status"] == "skipped"
    assert items["Activation/Relu::correctness"]["message"].startswith("compile failed: kernel.cpp:")
    assert items["Activation/Relu::speed"]["status"] == "skipped"
    assert run.results["metrics"]["csr"] == 0.0


def test_compile_error_keeps_gcc_json_diagnostics(run_bench, mk_cache) -> None:
    import json

    run_bench("-k", "Relu", "-m", "compile", label="compile_error")
    diags = [json.loads(p.read_text()) for p in mk_cache.glob("build/*/*/diagnostics.json")]
    errors = [d for ds in diags for d in ds if d["kind"] == "error" and "undeclared_zero" in d["message"]]
    assert errors and errors[0]["locations"][0]["caret"]["file"] == "kernel.cpp"


def test_broken_task_files(run_bench) -> None:
    # kernels exist (links to a Relu kernel), so the task file itself is what fails
    run = run_bench("-m", "correctness", "-k", "Broken", label="good")
    items = run.items()
    expect = {
        "ImportFails": "task file does not import: RuntimeError: this task file is broken on purpose",
        "NoInputs": "task file has no get_inputs",
        "MultiNode": "the export is 4 nodes (Div, Floor, Mul, Sub) and not one operator",
    }
    for name, text in expect.items():
        record = items[f"Broken/{name}::correctness"]
        assert record["status"] == "failed"
        assert record["message"].startswith("task error: ") and text in record["message"], record["message"]
    assert run.returncode == 1


def test_missing_compiler(run_bench) -> None:
    # checked once before any task runs: one line saying what and how to fix it
    run = run_bench(*RELU, env={"CXX": "/nonexistent/g++-none"})
    assert run.returncode == 4
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert lines == ["ERROR: C++ compiler '/nonexistent/g++-none' not found on PATH: install g++ "
                     "(apt-get install g++) or set CXX"]


def test_task_errors_are_one_line(tmp_path, mk_cache) -> None:
    from pytest_mobilekernel.cache import Cache
    from pytest_mobilekernel.errors import TaskError
    from pytest_mobilekernel.tasks import materialize, task_ref

    cache = Cache(mk_cache)
    cases = {
        "ImportFails": "task file does not import: RuntimeError: this task file is broken on purpose",
        "NoInputs": "task file has no get_inputs",
        "MultiNode": "define onnx_twin(model, inputs) in the task file",
    }
    for name, expect in cases.items():
        with pytest.raises(TaskError) as err:
            materialize(task_ref(DATA / "tasks" / "Broken" / f"{name}.py"), cache)
        assert expect in str(err.value)
        assert "\n" not in str(err.value)


def test_tolerance_override_needs_reason(tmp_path, mk_cache) -> None:
    from pytest_mobilekernel.cache import Cache
    from pytest_mobilekernel.errors import TaskError
    from pytest_mobilekernel.tasks import materialize, task_ref

    cat = tmp_path / "Activation"
    cat.mkdir()
    src = (DATA / "tasks" / "Activation" / "Relu.py").read_text()
    (cat / "Loose.py").write_text("ATOL = 1e-2\n" + src)
    with pytest.raises(TaskError, match="TOLERANCE_REASON"):
        materialize(task_ref(cat / "Loose.py"), Cache(mk_cache))
