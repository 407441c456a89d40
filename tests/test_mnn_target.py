"""--mk-target=mnn on a real MNN checkout: hot-swap, incremental build, on-tree verification and timing.

These run only where MNN_ROOT points at an MNN checkout (tag 3.6.1 was used to write them); no
package registry ships MNN's sources, so CI skips them. MNN_BUILD_DIR (optional) is a build
directory to reuse; without it one is made under the default cache, and the first build of MNN
takes minutes. The tree must be a clean git work tree (the tests check it is byte-identical after).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_mobilekernel.cache import default_root
from pytest_mobilekernel.kernels import kernel_source, read_manifest
from pytest_mobilekernel.tasks import task_ref

ROOT = Path(__file__).resolve().parent.parent
MNN_ROOT = os.environ.get("MNN_ROOT")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MNN_ROOT, reason="MNN_ROOT is not set: point it at an MNN checkout (e.g. tag 3.6.1) "
                                            "to test --mk-target=mnn"),
]
BUILD_DIR = os.environ.get("MNN_BUILD_DIR") or str(default_root() / "mnn-build-tests")
# the aarch64 cross build for --mk-device=qemu-aarch64 (its first build takes minutes too)
BUILD_DIR_AARCH64 = os.environ.get("MNN_BUILD_DIR_AARCH64") or str(default_root() / "mnn-build-tests-aarch64")
LAYERNORM = "source/backend/cpu/CPULayerNorm.cpp"
LAYERNORM_TASK = str(ROOT / "bench_tasks" / "Normalization" / "LayerNorm.py")


def reference_mnn(task_id: str) -> Path:
    """The shipped real-MNN kernel of a task (kernels_generated/reference-mnn, through its index)."""
    ref = task_ref(ROOT / "bench_tasks" / f"{task_id}.py")
    return kernel_source(ROOT / "kernels_generated", "reference-mnn", ref).path


def copy_kernel(task_id: str, kernels: Path, label: str) -> Path:
    """The task's reference-mnn kernel as a per-task kernel.cpp under label (for a test to edit)."""
    path = kernels / label / task_id / "kernel.cpp"
    path.parent.mkdir(parents=True)
    shutil.copyfile(reference_mnn(task_id), path)
    return path


def tree_state(root: Path) -> dict[str, str]:
    """git's view (HEAD, status) and the hash of every file git tracks in the CPU backend and core."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout

    state = {"HEAD": git("rev-parse", "HEAD"), "status": git("status", "--porcelain")}
    for rel in git("ls-files", "source/backend/cpu", "source/core", "include", "CMakeLists.txt").split():
        state[rel] = hashlib.sha256((root / rel).read_bytes()).hexdigest()
    return state


def bench_cmd(cache: Path, results: Path, *args: str, build_dir: str = BUILD_DIR) -> list[str]:
    """A benchmark run on the tree; args: pytest arguments (task paths: bench_tasks/<Category>/<Task>.py)."""
    return [sys.executable, "-m", "pytest", "--mk-target=mnn", f"--mk-mnn-root={MNN_ROOT}",
            f"--mk-mnn-build-dir={build_dir}", "--mk-kernels-label=reference-mnn", f"--mk-cache-dir={cache}",
            f"--mk-results={results}", "-p", "no:cacheprovider", "-q", "--mk-blocks=3", *args]


@pytest.fixture
def clean_tree() -> Path:
    root = Path(MNN_ROOT or "")
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True)
    if status.returncode != 0 or status.stdout.strip():
        pytest.skip(f"MNN_ROOT {root} is not a clean git work tree: {status.stdout.strip()[:200]}")
    return root


def test_reference_kernels_build_verify_and_time_on_the_tree(clean_tree: Path, tmp_path: Path) -> None:
    import json

    before = tree_state(clean_tree)
    results = tmp_path / "results.json"
    manifest = read_manifest(ROOT / "kernels_generated" / "reference-mnn")
    assert manifest is not None
    tasks = [str(ROOT / "bench_tasks" / task_id) + ".py" for task_id in manifest.tasks]
    assert len(tasks) >= 15
    proc = subprocess.run(bench_cmd(tmp_path / "cache", results, *tasks), capture_output=True, text=True,
                          timeout=3600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    items = json.loads(results.read_text())["items"]
    ran = {r["task"] for r in items}
    assert {"Normalization/LayerNorm", "Activation/Softmax", "Tensor/Where_broadcast", "Matrix/Det_2d",
            "Tensor/TopK_dim0"} <= ran and len(ran) == len(tasks)
    for r in items:
        assert r["status"] == "passed", r
        if r["stage"] == "speed":  # timed against MNN's original kernel, built from the same tree
            assert r["baseline"] == "mnn-tree" and r["speedup"] > 0 and r["mnn_us"] > 0, r
    assert tree_state(clean_tree) == before


@pytest.mark.needs("cross", "qemu")
def test_reference_kernels_are_checked_on_arm_under_qemu(clean_tree: Path, tmp_path: Path) -> None:
    """The same kernels, MNN cross-built for aarch64 (its NEON code paths): compile and correctness
    under qemu with the cross sysroot; speed skips (emulated timings mean nothing)."""
    import json

    before = tree_state(clean_tree)
    results = tmp_path / "results.json"
    tasks = [str(ROOT / "bench_tasks" / t) for t in ("Normalization/LayerNorm.py", "Activation/Softmax.py",
                                                     "Tensor/Where_broadcast.py", "Matrix/Det_2d.py",
                                                     "Tensor/TopK_dim0.py")]
    proc = subprocess.run(bench_cmd(tmp_path / "cache", results, "--mk-device=qemu-aarch64", *tasks,
                                    build_dir=BUILD_DIR_AARCH64),
                          capture_output=True, text=True, timeout=5400, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    items = json.loads(results.read_text())["items"]
    assert {r["task"] for r in items} == {"Normalization/LayerNorm", "Activation/Softmax", "Tensor/Where_broadcast",
                                          "Matrix/Det_2d", "Tensor/TopK_dim0"}
    for r in items:
        assert r["device"] == "qemu-aarch64", r
        if r["stage"] == "speed":
            assert r["status"] == "skipped" and "emulated timings are not meaningful" in r["message"], r
        else:
            assert r["status"] == "passed", r
    assert tree_state(clean_tree) == before


def test_a_kernel_that_skips_repeated_work_is_caught_while_timed(clean_tree: Path, tmp_path: Path) -> None:
    """A LayerNorm that returns at once when it is given the inputs of its previous call (so most
    timed calls would do nothing): the checked call of each trial repeats the one before it with
    the outputs poisoned, so what it leaves unwritten shows."""
    import json

    kernels = tmp_path / "kernels"
    path = copy_kernel("Normalization/LayerNorm", kernels, "lazy")
    source = path.read_text()
    lazy = source.replace(
        "        float* dst       = outputs[0]->host<float>();\n",
        "        float* dst       = outputs[0]->host<float>();\n"
        "        const size_t n = (size_t)mOuter * mInner;\n"
        "        if (mSeen.size() == n && std::memcmp(mSeen.data(), src, n * sizeof(float)) == 0) return NO_ERROR;\n"
        "        mSeen.assign(src, src + n);\n", 1)
    lazy = lazy.replace("private:\n", "private:\n    std::vector<float> mSeen;\n", 1)
    assert lazy.count("mSeen") == 4
    path.write_text(lazy)
    before = tree_state(clean_tree)
    results = tmp_path / "results.json"
    cmd = [a for a in bench_cmd(tmp_path / "cache", results, LAYERNORM_TASK) if not a.startswith("--mk-kernels-label")]
    proc = subprocess.run([*cmd, f"--mk-kernels-dir={kernels}", "--mk-kernels-label=lazy"], capture_output=True,
                          text=True, timeout=3600, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout[-3000:]
    items = {r["stage"]: r for r in json.loads(results.read_text())["items"]}
    assert items["compile"]["status"] == "passed", items["compile"]
    assert items["correctness"]["status"] == "failed", items["correctness"]
    assert "65536 never written" in items["correctness"]["message"], items["correctness"]
    assert items["speed"]["status"] == "skipped", items["speed"]  # never timed
    assert tree_state(clean_tree) == before


def test_a_kernel_that_writes_into_its_input_is_caught(clean_tree: Path, tmp_path: Path) -> None:
    """Correct outputs, then a scribble on the input: only the runner's input hashes can tell."""
    import json

    kernels = tmp_path / "kernels"
    path = copy_kernel("Normalization/LayerNorm", kernels, "scribble")
    marker = "        MNN_CONCURRENCY_END();\n        return NO_ERROR;\n"
    source = path.read_text()
    assert source.count(marker) == 1
    path.write_text(source.replace(marker, "        MNN_CONCURRENCY_END();\n"
                                           "        inputs[0]->host<float>()[0] = 0.0f;\n        return NO_ERROR;\n"))
    before = tree_state(clean_tree)
    results = tmp_path / "results.json"
    cmd = [a for a in bench_cmd(tmp_path / "cache", results, LAYERNORM_TASK, "-m", "correctness")
           if not a.startswith("--mk-kernels-label")]
    proc = subprocess.run([*cmd, f"--mk-kernels-dir={kernels}", "--mk-kernels-label=scribble"], capture_output=True,
                          text=True, timeout=3600, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout[-3000:]
    record = json.loads(results.read_text())["items"][0]
    assert record["status"] == "failed" and "kernel modified input 0" in record["message"], record
    assert tree_state(clean_tree) == before


def test_a_kernel_that_does_not_compile_reports_the_error_in_its_own_file(clean_tree: Path, tmp_path: Path) -> None:
    import json

    kernels = tmp_path / "kernels"
    path = copy_kernel("Matrix/Det", kernels, "broken")
    path.write_text(path.read_text().replace("det = -det;", "det = -undefined_name;"))
    before = tree_state(clean_tree)
    results = tmp_path / "results.json"
    cmd = [a for a in bench_cmd(tmp_path / "cache", results, str(ROOT / "bench_tasks/Matrix/Det.py"), "-m", "compile")
           if not a.startswith("--mk-kernels-label")] + [f"--mk-kernels-dir={kernels}", "--mk-kernels-label=broken"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout[-3000:]
    record = json.loads(results.read_text())["items"][0]
    assert record["status"] == "failed" and "kernel.cpp:" in record["message"] and "undefined_name" in \
        record["message"], record
    assert tree_state(clean_tree) == before


def test_sigkill_mid_build_is_restored_by_the_next_run(clean_tree: Path, tmp_path: Path) -> None:
    before = tree_state(clean_tree)
    original = (clean_tree / LAYERNORM).read_bytes()
    cache = tmp_path / "cache"
    # A kernel nobody built before, so ninja really compiles while we kill.
    kernels = tmp_path / "kernels"
    src = reference_mnn("Normalization/LayerNorm")
    (kernels / "fresh" / "Normalization" / "LayerNorm").mkdir(parents=True)
    (kernels / "fresh" / "Normalization" / "LayerNorm" / "kernel.cpp").write_text(
        src.read_text() + f"\n// variant {time.time_ns()}\n")
    cmd = [a for a in bench_cmd(cache, tmp_path / "r.json", LAYERNORM_TASK, "-m", "compile")
           if not a.startswith("--mk-kernels-label")] + [f"--mk-kernels-dir={kernels}", "--mk-kernels-label=fresh"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 1800
        swapped = False
        while time.monotonic() < deadline and proc.poll() is None:
            if (clean_tree / LAYERNORM).read_bytes() != original and list(cache.rglob("journal.json")):
                swapped = True
                time.sleep(0.5)  # into ninja's compile of the swapped file
                break
            time.sleep(0.05)
        assert swapped, "the run never swapped the kernel in (did the baseline build fail?)"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert (clean_tree / LAYERNORM).read_bytes() != original, "killed too late: the tree was already restored"
    # The next run restores the tree before anything else, then does its own work.
    rerun = subprocess.run(bench_cmd(cache, tmp_path / "r2.json", LAYERNORM_TASK, "-m", "compile"),
                           capture_output=True, text=True, timeout=3600, cwd=tmp_path)
    assert "restored the MNN tree" in rerun.stderr + rerun.stdout, rerun.stdout[-2000:]
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    assert tree_state(clean_tree) == before


def test_moka_writes_a_real_mnn_kernel_grounded_in_the_checkout(clean_tree: Path, tmp_path: Path) -> None:
    """MoKA on the tree against a scripted endpoint: the Coder sees the checkout, a cross-file error
    (a Tensor method that does not exist) reaches the Debugger with MNN's real declaration."""
    import json

    sys.path.insert(0, str(Path(__file__).parent))
    from llm_server import ScriptedServer, fenced

    good = reference_mnn("Normalization/LayerNorm").read_text()
    broken = good.replace("x->length(i)", "x->lengthOf(i)")
    assert broken != good
    plan = json.dumps({"local_error_suggestion": "", "crossfile_error_suggestion": "use Tensor::length(i)"})
    before = tree_state(clean_tree)
    with ScriptedServer({"Coder": [fenced(broken), fenced(good)], "Debugger": [plan]}) as server:
        cmd = [a for a in bench_cmd(tmp_path / "cache", tmp_path / "r.json", LAYERNORM_TASK, "-m",
                                    "compile or correctness") if not a.startswith("--mk-kernels-label")]
        cmd += ["--agent=moka", f"--mk-llm-base-url={server.base_url}", "--mk-max-iterations=2",
                f"--mk-kernels-dir={tmp_path / 'kernels'}", "--mk-kernels-label=moka-tree"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, cwd=tmp_path,
                              env={**os.environ, "OPENAI_API_KEY": "test-key"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    draft = server.requests[0]["messages"][1]["content"] + server.requests[0]["messages"][0]["content"]
    assert "MNN 3.6.1" in draft and "replaces source/backend/cpu/CPULayerNorm.cpp" in draft
    assert "table LayerNorm" in draft and "main_as_LayerNorm()" in draft
    assert "(MNN's own operator)" in draft and "source/backend/cpu/" in draft
    debugger = next(r for r in server.requests if r["role"] == "Debugger")["messages"][1]["content"]
    assert "[cross-file]" in debugger and "lengthOf" in debugger and "include/MNN/Tensor.hpp" in debugger
    meta = json.loads((tmp_path / "kernels/moka-tree/Normalization/LayerNorm/meta.json").read_text())
    assert meta["iterations"][0]["verdict"] == "build failed"
    assert meta["iterations"][1]["verdict"].startswith("correct")
    assert tree_state(clean_tree) == before


def test_a_renamed_creator_regenerates_mnns_registry_and_restores_it(clean_tree: Path, tmp_path: Path) -> None:
    """A kernel whose creator has another name changes the set of registration functions: MNN's
    tools/script/register.py rewrites CPUOPRegister.cpp for the build, and it is restored after."""
    import json

    src = reference_mnn("Normalization/LayerNorm").read_text()
    renamed = src.replace("CPULayerNormCreator", "MKRenamedLayerNormCreator")
    assert renamed != src
    (tmp_path / "kernels/renamed/Normalization/LayerNorm").mkdir(parents=True)
    (tmp_path / "kernels/renamed/Normalization/LayerNorm/kernel.cpp").write_text(renamed)
    before = tree_state(clean_tree)
    results = tmp_path / "r.json"
    cmd = [a for a in bench_cmd(tmp_path / "cache", results, LAYERNORM_TASK, "-m", "compile or correctness")
           if not a.startswith("--mk-kernels-label")]
    cmd += [f"--mk-kernels-dir={tmp_path / 'kernels'}", "--mk-kernels-label=renamed"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert all(r["status"] == "passed" for r in json.loads(results.read_text())["items"])
    assert tree_state(clean_tree) == before
