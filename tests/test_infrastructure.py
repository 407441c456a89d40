"""Cache, locks and the sandbox: the parts that make -n 4 and untrusted code safe."""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

import pytest

from pytest_mobilekernel import sandbox
from pytest_mobilekernel.cache import Cache, content_key
from pytest_mobilekernel.devices.lock import DeviceLock
from pytest_mobilekernel.sandbox import LimitedServer, Limits, run_limited

# rlimits, kills and namespaces of the launcher, with Python as the child: the runner profile would
# (rightly) not let a venv's Python start; tests/test_containment.py covers that profile
TRUSTED = Limits(profile="none")


@pytest.fixture(params=["launcher", "preexec"])
def launch(request, tmp_path_factory) -> str:
    """Every sandbox test runs both ways the limits can be applied: the compiled launcher (what
    runs whenever a C compiler is there) and the preexec_fn fallback."""
    if request.param == "launcher":
        path = sandbox.build_launcher(Cache(tmp_path_factory.mktemp("launcher-cache")))
        assert path is not None and path.exists(), "no C compiler to build the sandbox launcher"
        sandbox.use_launcher(path)
    else:
        sandbox.use_launcher(None)
    yield request.param
    sandbox.use_launcher(None)


def _create_once(root: str, counter: str) -> str:
    def create(out: Path) -> None:
        with open(counter, "a") as f:
            f.write("x")
        time.sleep(0.3)
        (out / "value").write_text("42")

    return str(Cache(Path(root)).get_or_create("k", content_key("same"), create))


def test_cache_entry_is_created_once_across_processes(tmp_path) -> None:
    counter = tmp_path / "count"
    with mp.get_context("spawn").Pool(4) as pool:
        paths = pool.starmap(_create_once, [(str(tmp_path / "c"), str(counter))] * 4)
    assert counter.read_text() == "x"
    assert len(set(paths)) == 1 and (Path(paths[0]) / "value").read_text() == "42"


def test_content_key_is_unambiguous() -> None:
    assert content_key("ab", "c") != content_key("a", "bc")


def _hold_shared(lock_dir: str, log: str, hold: float) -> None:
    with DeviceLock(Path(lock_dir), "dev").shared():
        with open(log, "a") as f:
            f.write(f"S+ {time.monotonic()}\n")
        time.sleep(hold)
        with open(log, "a") as f:
            f.write(f"S- {time.monotonic()}\n")


def test_timing_excludes_other_work(tmp_path) -> None:
    log = tmp_path / "log"
    ctx = mp.get_context("spawn")
    readers = [ctx.Process(target=_hold_shared, args=(str(tmp_path), str(log), 0.5)) for _ in range(2)]
    for r in readers:
        r.start()
    while not log.exists() or log.read_text().count("S+") < 2:
        time.sleep(0.01)
    with DeviceLock(tmp_path, "dev").exclusive():
        entered = time.monotonic()
    for r in readers:
        r.join()
    releases = [float(line.split()[1]) for line in log.read_text().splitlines() if line.startswith("S-")]
    assert entered >= max(releases)  # the timer waited for both readers


def test_sandbox_kills_the_whole_process_group(tmp_path, launch) -> None:
    marker = tmp_path / "child-alive"
    script = (f"import os, time\nif os.fork() == 0:\n    time.sleep(2)\n    open({str(marker)!r}, 'w').close()\n"
              "    os._exit(0)\ntime.sleep(60)\n")
    res = run_limited([sys.executable, "-c", script], cwd=tmp_path, limits=dataclasses.replace(TRUSTED, wall_seconds=1))
    assert res.timed_out and "timed out" in res.describe()
    time.sleep(2.5)
    assert not marker.exists()  # the forked child died with its group


def test_sandbox_reports_signals_and_limits(tmp_path, launch) -> None:
    seg = run_limited([sys.executable, "-c", "import ctypes; ctypes.string_at(0)"], cwd=tmp_path, limits=TRUSTED)
    assert "SIGSEGV" in seg.describe()
    mem = run_limited([sys.executable, "-c", "x = bytearray(3 << 30)"], cwd=tmp_path,
                      limits=dataclasses.replace(TRUSTED, memory_mb=1024))
    assert not mem.ok and "MemoryError" in mem.describe()
    env = run_limited([sys.executable, "-c", "import os; print(sorted(os.environ))"], cwd=tmp_path, limits=TRUSTED)
    assert "OPENAI_API_KEY" not in env.stdout and "HOME" not in env.stdout  # nothing leaks to the child
    assert os.environ.get("PATH")


@pytest.mark.needs("root")  # the trusted profile's network namespace needs root
def test_sandbox_has_no_network_when_root(tmp_path, launch) -> None:
    res = run_limited([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9), 1)"],
                      cwd=tmp_path, limits=TRUSTED)
    assert "Network is unreachable" in res.stderr


def test_sandbox_applies_every_limit(tmp_path, launch) -> None:
    probe = ("import os, resource\n"
             "print(sorted(os.sched_getaffinity(0)))\n"
             "for r in ('CPU', 'AS', 'NOFILE', 'FSIZE', 'CORE'):\n"
             "    print(r, resource.getrlimit(getattr(resource, 'RLIMIT_' + r)))\n")
    cpu = sorted(os.sched_getaffinity(0))[-1]
    res = run_limited([sys.executable, "-c", probe], cwd=tmp_path,
                      limits=Limits(cpu_seconds=7, memory_mb=2048, max_open_files=33, max_file_mb=5, cpu=cpu,
                                    profile="none"))
    assert res.ok, res.describe()
    lines = res.stdout.splitlines()
    assert lines[0] == f"[{cpu}]"
    assert lines[1:] == ["CPU (7, 8)", f"AS ({2048 << 20}, {2048 << 20})", "NOFILE (33, 33)",
                         f"FSIZE ({5 << 20}, {5 << 20})", "CORE (0, 0)"]
    big = run_limited([sys.executable, "-c", "open('f', 'wb').write(b'x' * (6 << 20))"], cwd=tmp_path,
                      limits=dataclasses.replace(TRUSTED, max_file_mb=5))
    assert "SIGXFSZ" in big.describe() or "File too large" in big.describe()


def test_sandbox_missing_program_fails_like_popen(tmp_path, launch) -> None:
    with pytest.raises(FileNotFoundError):
        run_limited([str(tmp_path / "no-such-runner")], cwd=tmp_path, limits=Limits())
    with pytest.raises(FileNotFoundError):
        LimitedServer(["no-such-program-on-path"], cwd=tmp_path, limits=Limits())


def test_sandbox_limit_that_cannot_be_set_is_a_verdict(tmp_path, launch) -> None:
    """A CPU that does not exist cannot be pinned: the child never runs, the run says why."""
    res = run_limited([sys.executable, "-c", "print('ran')"], cwd=tmp_path, limits=Limits(cpu=4095, profile="none"))
    assert not res.ok and res.returncode == 126 and "ran" not in res.stdout
    why = res.describe()
    assert why.startswith("exited with code 126: mk-sandbox: cannot") and "Invalid argument" in why, why


def test_lite_builds_depend_on_the_sdk_not_on_the_files_beside_it(tmp_path) -> None:
    import shutil

    from pytest_mobilekernel.targets.lite import LiteTarget, default_sdk_dir
    from pytest_mobilekernel.toolchain import host_toolchain

    sdk = tmp_path / "mnn_ext"
    shutil.copytree(default_sdk_dir(), sdk)
    tc = host_toolchain()
    key = LiteTarget(sdk).sdk_key(tc)
    for beside in ("probes/bandwidth.cpp", "tree_runner/tree_runner.cpp"):
        (sdk / beside).write_text((sdk / beside).read_text() + "\n// edited\n")
    assert LiteTarget(sdk).sdk_key(tc) == key  # the on-tree runner and the probes are not the SDK
    header = next((sdk / "include").rglob("*.hpp"))
    header.write_text(header.read_text() + "\n// edited\n")
    assert LiteTarget(sdk).sdk_key(tc) != key
