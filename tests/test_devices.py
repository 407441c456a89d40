"""Devices beyond the host: aarch64 toolchains, qemu-aarch64, adb phones (through tests/adb_peer.py).

The adb peer is a stdlib adb server on 127.0.0.1 whose pretend phone runs pushed aarch64 binaries
under qemu-aarch64-static, so everything here goes through adbutils exactly as with a phone.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from conftest import DATA, FAST_SPEED, ROOT, missing
from pytest_mobilekernel.devices import DeviceFailure, device_for_worker, elf, get_device
from pytest_mobilekernel.devices.adb import AdbDevice
from pytest_mobilekernel.errors import DeviceError, ToolchainError
from pytest_mobilekernel.sandbox import Limits
from pytest_mobilekernel.toolchain import toolchain_for

sys.path.insert(0, str(Path(__file__).resolve().parent))
from adb_peer import AdbPeer  # noqa: E402

HAVE_ARM = not missing("cross", "qemu")
needs_arm = pytest.mark.needs("cross", "qemu")  # tests/conftest.py: skipped without them (.ci/run installs them)
FAST = Limits(wall_seconds=10, cpu_seconds=20, memory_mb=1024)


@pytest.fixture
def peer():
    with AdbPeer() as p:
        yield p


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


# -- registry, leasing, toolchains --------------------------------------------------------------
def test_device_registry_and_errors() -> None:
    assert get_device("host").name == "host"
    q = get_device("qemu-aarch64")
    assert (q.arch, q.can_time, q.timing_reason) == ("aarch64", False, "emulated timings are not meaningful")
    a = get_device("adb:SER1", adb_port=1)
    assert (a.name, a.arch, a.platform, a.remote) == ("adb:SER1", "aarch64", "android", True)
    with pytest.raises(DeviceError, match="unknown device 'phone'"):
        get_device("phone")
    with pytest.raises(DeviceError, match="takes no argument"):
        get_device("qemu-aarch64:x")


def test_workers_lease_devices_by_number() -> None:
    specs = ["adb:a", "adb:b", "adb:c"]
    assert [device_for_worker(specs, i) for i in range(5)] == ["adb:a", "adb:b", "adb:c", "adb:a", "adb:b"]
    assert device_for_worker(specs, None) == "adb:a"  # the controller / no xdist
    assert device_for_worker([], 3) == "host"


@needs_arm
def test_toolchain_follows_the_device_arch(monkeypatch) -> None:
    monkeypatch.delenv("ANDROID_NDK_HOME", raising=False)
    host = toolchain_for("host")
    arm = toolchain_for("aarch64", "linux")
    assert host.name == "host-g++" and "-march=native" in host.compile_flags
    assert arm.name == "aarch64-g++" and "-march=armv8-a" in arm.compile_flags and "-O3" in arm.compile_flags
    assert "-static" in arm.link_flags and arm.identity != host.identity
    assert toolchain_for("aarch64", "android").name == "aarch64-g++"  # no ANDROID_NDK_HOME here: static g++
    with pytest.raises(ToolchainError, match="does not run on qemu|do not run on"):
        toolchain_for("aarch64", "linux", "ndk")
    with pytest.raises(ToolchainError, match="unknown --mk-toolchain"):
        toolchain_for("aarch64", "linux", "icc")


def test_ndk_toolchain_is_found_from_android_ndk_home(tmp_path, monkeypatch) -> None:
    """The NDK itself is not installable here: a stand-in clang++ checks how it is found and called."""
    from pytest_mobilekernel import toolchain

    bindir = tmp_path / "ndk" / "toolchains" / "llvm" / "prebuilt" / "linux-x86_64" / "bin"
    bindir.mkdir(parents=True)
    _script(bindir / "clang++", 'echo "Android (1234) clang version 17.0.2"\necho " \\"clang\\" -cc1 -triple x" >&2\n')
    monkeypatch.setenv("ANDROID_NDK_HOME", str(tmp_path / "ndk"))
    toolchain.ndk_toolchain.cache_clear()
    try:
        tc = toolchain_for("aarch64", "android")  # auto on an adb device with ANDROID_NDK_HOME: the NDK
        assert tc.name == "ndk-clang" and tc.cxx == str(bindir / "clang++")
        assert "--target=aarch64-linux-android24" in tc.compile_flags and tc.pch_suffix == ".pch"
        assert toolchain_for("aarch64", "android", "ndk:29").compile_flags[0] == "--target=aarch64-linux-android29"
        assert toolchain_for("aarch64", "android", "gnu").name == "aarch64-g++" if HAVE_ARM else True
        assert toolchain_for("aarch64", "linux").name != "ndk-clang" if HAVE_ARM else True  # qemu: never bionic
    finally:
        toolchain.ndk_toolchain.cache_clear()


@needs_arm
def test_aarch64_build_is_static_with_its_own_pch(mk_cache) -> None:
    from pytest_mobilekernel.cache import Cache
    from pytest_mobilekernel.targets.lite import LiteTarget

    target, cache = LiteTarget(), Cache(mk_cache)  # the session's cache: the SDK step is shared
    arm, host = toolchain_for("aarch64", "linux"), toolchain_for("host")
    assert target.sdk_key(arm) != target.sdk_key(host)  # runner.o and PCH per toolchain
    source = (DATA / "kernels" / "good" / "Activation" / "Relu" / "kernel.cpp").read_text()
    build = target.build(source, arm, cache)
    assert build.ok, build.log
    assert (target.sdk_artifacts(arm, cache) / "mk_sdk_pch.hpp.gch").exists()
    assert elf.machine(build.binary) == "aarch64" and not elf.needs_loader(build.binary)  # static
    head = build.binary.read_bytes()[:64]
    # no PT_INTERP: statically linked (no dynamic loader needed on the phone)
    assert b"/lib/ld-linux-aarch64" not in build.binary.read_bytes()[:4096], head
    bad = target.build(source.replace("return NO_ERROR;", "return NO_ERROR"), arm, cache)
    assert not bad.ok and bad.message.startswith("kernel.cpp:")  # gcc's JSON diagnostics, cross too


# -- the adb device against the loopback peer ---------------------------------------------------
def test_adb_probe_reports_abi_and_neon(peer) -> None:
    peer.add_device("emu-1")
    dev = AdbDevice("emu-1", port=peer.port)
    dev.check()
    info = dev.info()
    assert info.abilist[0] == "arm64-v8a" and info.has_neon is True and info.has_timeout
    assert dev.describe()["abi"].startswith("arm64-v8a")


def test_adb_without_serial_takes_the_only_device(peer) -> None:
    peer.add_device("only-one")
    dev = get_device("adb", adb_port=peer.port)
    dev.check()
    assert dev.name == "adb:only-one" and dev.lock_name() == "adb_only-one"


def test_adb_no_device_attached(peer) -> None:
    with pytest.raises(DeviceError, match="no device attached"):
        AdbDevice(port=peer.port).check()


def test_adb_unknown_serial(peer) -> None:
    peer.add_device("emu-1")
    with pytest.raises(DeviceError, match=r"'nope' is not attached .*\(attached: emu-1 \(device\)\)"):
        AdbDevice("nope", port=peer.port).check()
    result = AdbDevice("nope", port=peer.port).run(Path("/bin/true"), Path("/tmp"), [], FAST)
    assert isinstance(result, DeviceFailure) and not result.ok and "not attached" in result.describe()


def test_adb_no_server_does_not_start_one(unused_tcp_port) -> None:
    with pytest.raises(DeviceError, match="no adb server at 127.0.0.1"):
        AdbDevice("emu-1", port=unused_tcp_port).check()


def test_adb_abi_mismatch_is_said_in_words(peer, tmp_path) -> None:
    peer.add_device("x86-phone", abilist="x86_64,x86", machine="x86_64", cpuinfo="processor\t: 0\n")
    dev = AdbDevice("x86-phone", port=peer.port)
    with pytest.raises(DeviceError, match="ABI x86_64,x86 .*aarch64 \\(arm64-v8a\\) runner binaries cannot run there"):
        dev.check()
    res = dev.run(_script(tmp_path / "runner", "exit 0\n"), tmp_path, [], FAST)
    assert not res.ok and "cannot run there" in res.describe()
    peer.add_device("no-neon", cpuinfo="Features\t: fp evtstrm\n")
    with pytest.raises(DeviceError, match="no ASIMD/NEON"):
        AdbDevice("no-neon", port=peer.port).check()


def test_adb_refuses_a_binary_of_another_arch(peer, tmp_path) -> None:
    peer.add_device("emu-1")
    work = tmp_path / "work"
    work.mkdir()
    res = AdbDevice("emu-1", port=peer.port).run(Path(sys.executable).resolve(), work, [], FAST)
    assert isinstance(res, DeviceFailure) and "x86-64 binary" in res.describe() and "cannot run there" in res.describe()


def test_adb_run_pushes_runs_pulls_and_cleans_up(peer, tmp_path) -> None:
    emu = peer.add_device("emu-1")
    work = tmp_path / "work"
    work.mkdir()
    (work / "spec.json").write_text('{"n": 1}')
    (work / "in.npy").write_bytes(b"input")
    runner = _script(tmp_path / "runner",
                     'cat spec.json > seen.txt; cat in.npy >> seen.txt; echo "run $1" > out.txt; '
                     'echo to-stdout; echo to-stderr >&2; exit 0\n')
    dev = AdbDevice("emu-1", port=peer.port)
    res = dev.run(runner, work, ["spec.json"], FAST)
    assert res.ok, res.describe()
    assert res.stdout.strip() == "to-stdout" and res.stderr.strip() == "to-stderr"
    assert (work / "seen.txt").read_text() == '{"n": 1}input' and (work / "out.txt").read_text() == "run spec.json\n"
    # a second run in the same directory: the earlier outputs are not pushed back, they are rewritten
    res = dev.run(runner, work, ["again"], FAST)
    assert res.ok and (work / "out.txt").read_text() == "run again\n"
    assert list((emu.root / "data" / "local" / "tmp").iterdir()) == []  # remote directory removed
    cmd = next(c for c in emu.commands if "./runner" in c)
    assert cmd.startswith("cd /data/local/tmp/mk-") and "timeout -s KILL 10 ./runner" in cmd


def test_adb_exit_codes_and_signals_over_shell_v2(peer, tmp_path) -> None:
    peer.add_device("emu-1")
    dev = AdbDevice("emu-1", port=peer.port)
    res = dev.run(_script(tmp_path / "runner", "echo 'mk-runner: bad spec' >&2; exit 2\n"), tmp_path, [], FAST)
    assert res.returncode == 2 and res.describe() == "exited with code 2: mk-runner: bad spec"
    res = dev.run(_script(tmp_path / "runner", "kill -SEGV $$\n"), tmp_path, [], FAST)
    assert res.returncode == -11 and res.describe().startswith("crashed with SIGSEGV")


def test_adb_command_that_times_out(peer, tmp_path) -> None:
    emu = peer.add_device("emu-1")
    dev = AdbDevice("emu-1", port=peer.port)
    limits = Limits(wall_seconds=1, cpu_seconds=5, memory_mb=512)
    res = dev.run(_script(tmp_path / "runner", "sleep 30\n"), tmp_path, [], limits)
    assert res.timed_out and not res.ok and res.wall_seconds < 10
    assert res.describe(limits) == "timed out (wall-time limit 1s) on adb:emu-1; killed on the device"
    assert list((emu.root / "data" / "local" / "tmp").iterdir()) == []


def test_adb_shell_that_never_answers(peer, tmp_path) -> None:
    emu = peer.add_device("emu-1", hang_shell="./runner")
    dev = AdbDevice("emu-1", port=peer.port)
    dev.shell_grace = 0.5
    limits = Limits(wall_seconds=0.5, cpu_seconds=5, memory_mb=512)
    work = tmp_path / "work"
    work.mkdir()
    res = dev.run(_script(tmp_path / "runner", "exit 0\n"), work, [], limits)
    assert res.timed_out and "timed out" in res.describe(limits) and res.wall_seconds < 5
    assert list((emu.root / "data" / "local" / "tmp").iterdir()) == []  # cleaned up all the same


def test_adb_device_vanishing_mid_push(peer, tmp_path) -> None:
    peer.add_device("emu-1", vanish_after=4096)
    work = tmp_path / "work"
    work.mkdir()
    (work / "big.npy").write_bytes(os.urandom(200_000))
    dev = AdbDevice("emu-1", port=peer.port)
    dev.info()
    res = dev.run(_script(tmp_path / "runner", "exit 0\n"), work, [], FAST)
    assert isinstance(res, DeviceFailure) and not res.ok
    assert res.describe().startswith("not run: adb device emu-1 disconnected during push of")
    again = dev.run(_script(tmp_path / "runner", "exit 0\n"), work, [], FAST)  # the next item: clear too
    assert "emu-1" in again.describe() and "not attached" in again.describe()


# -- end to end: pytest --mk-device=... ------------------------------------------------------------
def _stage_records(run) -> dict[str, dict]:
    return run.items()


@needs_arm
def test_qemu_compile_and_correctness_then_speed_skips(run_bench) -> None:
    run = run_bench("--mk-device=qemu-aarch64", "-k", "Relu or IsNaN")
    assert run.returncode == 0, run.output[-3000:]
    items = _stage_records(run)
    for task in ("Activation/Relu", "Logic/IsNaN"):
        assert items[f"{task}::correctness"]["status"] == "passed", items[f"{task}::correctness"]
        assert items[f"{task}::speed"]["status"] == "skipped"
        assert items[f"{task}::speed"]["message"] == "emulated timings are not meaningful"
        assert items[f"{task}::compile"]["device"] == "qemu-aarch64"
    assert "aarch64-linux-gnu-g++" in items["Activation/Relu::compile"]["toolchain"]
    assert run.results["metrics"]["fcr"] == 1.0


@needs_arm
def test_qemu_wrong_kernel_is_caught(run_bench) -> None:
    run = run_bench("--mk-device=qemu-aarch64", "-k", "Relu", "-m", "correctness", "--mk-timeout=20", label="wrong")
    record = run.items()["Activation/Relu::correctness"]
    assert record["status"] == "failed" and "wrong output" in record["message"]


@needs_arm
def test_adb_compile_and_correctness_through_adbutils(run_bench, peer) -> None:
    emu = peer.add_device("emu-1")
    run = run_bench("--mk-device=adb:emu-1", f"--mk-adb-port={peer.port}", "-m", "compile or correctness",
                    "-k", "Relu or IsNaN")
    assert run.returncode == 0, run.output[-3000:]
    items = _stage_records(run)
    assert {r["device"] for r in items.values()} == {"adb:emu-1"}
    assert items["Activation/Relu::correctness"]["status"] == "passed"
    assert any("./runner spec.json" in c for c in emu.commands)
    assert list((emu.root / "data" / "local" / "tmp").iterdir()) == []


@needs_arm
def test_adb_speed_against_the_reference_kernel(run_bench, peer) -> None:
    """No MNN for the phone: the candidate is timed against the task's reference kernel on the
    same device (tests/data/kernels/reference/Activation/Relu is the deliberately slow Relu)."""
    peer.add_device("emu-1")
    run = run_bench("--mk-device=adb:emu-1", f"--mk-adb-port={peer.port}", "-k", "Relu or IsNaN", "-m", "speed",
                    *FAST_SPEED)
    assert run.returncode == 0, run.output[-3000:]
    relu = run.items()["Activation/Relu::speed"]
    assert relu["baseline"] == "reference-kernel" and relu["speedup"] > 1.0 and relu["reference_us"] > 0
    assert "MNN is not built for adb:emu-1" in relu["no_mnn_baseline"]
    assert "torch_us" not in relu  # PyTorch eager would run on this machine, not on the phone
    isnan = run.items()["Logic/IsNaN::speed"]
    assert isnan["baseline"] == "none" and "no reference kernel" in isnan["no_mnn_baseline"]
    props = run.properties("Relu.py::speed")
    assert props["mk_baseline"] == "reference-kernel" and props["mk_device"] == "adb:emu-1"
    assert "Per device" in run.output and "reference-kernel" in run.output
    # a reference-kernel speedup is labelled, never counted as fast over MNN
    assert run.results["metrics"]["fast"]["fast_1"] == 0.0
    assert run.results["devices"]["adb:emu-1"]["baselines"]["reference-kernel"]["timed"] == 1


@needs_arm
def test_adb_speed_with_a_user_supplied_mnn_runner(run_bench, peer, tmp_path) -> None:
    """--mk-mnn-runner: the contract (MODEL --warmup W --iterations N --threads T NAME=IN.npy -> JSON samples),
    met here by a stand-in script; a real one is MNN's benchmark built for the phone."""
    peer.add_device("emu-1")
    fake = _script(tmp_path / "fake-mnn-runner",
                   'test -f "$1" || exit 2\ncase "$8" in *=mnn_in0.npy) ;; *) exit 3 ;; esac\n'
                   'n=$5\ns=""\ni=0\n'
                   'while [ $i -lt $n ]; do s="$s${s:+,}20000"; i=$((i+1)); done\n'
                   'echo "loaded $1 with $(ls mnn_in*.npy | wc -l) inputs" >&2\n'
                   'echo "{\\"samples_ns\\": [$s]}"\n')
    run = run_bench("--mk-device=adb:emu-1", f"--mk-adb-port={peer.port}", "-k", "Relu", "-m", "speed",
                    f"--mk-mnn-runner={fake}", *FAST_SPEED)
    assert run.returncode == 0, run.output[-3000:]
    relu = run.items()["Activation/Relu::speed"]
    assert relu["baseline"] == "mnn-device" and relu["mnn_us"] == pytest.approx(20.0) and relu["speedup"] > 0
    assert not relu.get("no_mnn_baseline")


@needs_arm
def test_adb_device_disconnecting_mid_run(run_bench, peer) -> None:
    """The phone goes away after a few pushes: the item running then gets a clear verdict, the
    rest of the run goes on (and says the device is gone), finished results are kept."""
    peer.add_device("emu-1", vanish_after_sends=5)
    run = run_bench("--mk-device=adb:emu-1", f"--mk-adb-port={peer.port}", "-m", "compile or correctness",
                    "-k", "Relu or IsNaN")
    assert run.returncode == 1 and run.results is not None
    items = _stage_records(run)
    assert items["Activation/Relu::compile"]["status"] == "passed"  # built on this machine: kept
    messages = [r["message"] for k, r in items.items() if k.endswith("::correctness")]
    assert any("adb device emu-1 disconnected" in m for m in messages), messages
    assert all(m.startswith("kernel not run: ") or m.startswith("matches") for m in messages), messages


@needs_arm
def test_a_phone_lost_mid_run_hands_its_work_to_another(run_bench, peer) -> None:
    """Two phones, one goes away after a few pushes: its worker moves to the other phone and runs
    the interrupted stage again there, so no kernel is failed for the device's sake."""
    peer.add_device("emu-1", vanish_after_sends=3)
    peer.add_device("emu-2")
    run = run_bench("--mk-device=adb:emu-1", "--mk-device=adb:emu-2", f"--mk-adb-port={peer.port}", "-n", "2",
                    "-k", "Relu or IsNaN or Abs or Neg", *FAST_SPEED)
    assert run.returncode == 0, run.output[-3000:]
    items = run.items()
    assert all(r["status"] == "passed" for r in items.values()), {k: r["message"] for k, r in items.items()}
    moved = {r["failover"] for r in items.values() if r.get("failover")}
    assert len(moved) == 1, items
    line = moved.pop()
    assert line.startswith("adb:emu-1 lost (not run: adb device emu-1 ") and line.endswith("continued on adb:emu-2")
    assert "device failover: adb:emu-1 lost" in run.output
    assert {r["device"] for r in items.values() if r.get("failover")} == {"adb:emu-2"}


@needs_arm
def test_adb_desk_of_phones_reports_per_device(run_bench, peer) -> None:
    peer.add_device("emu-1")
    peer.add_device("emu-2")
    run = run_bench("--mk-device=adb:emu-1", "--mk-device=adb:emu-2", f"--mk-adb-port={peer.port}", "-n", "2",
                    "-k", "Relu", *FAST_SPEED)
    assert run.returncode == 0, run.output[-3000:]
    devices = {r["device"] for r in run.items().values()}
    assert devices <= {"adb:emu-1", "adb:emu-2"}
    assert run.results["run"]["device"] == "adb:emu-1,adb:emu-2"
    assert set(run.results["devices"]) <= devices  # a task belongs to the device that timed it
    timed_on = {r["device"] for r in run.items().values() if r["stage"] == "speed"}
    if len(timed_on) > 1:  # speedups from two phones: never pooled into one figure
        assert run.results["metrics"]["geomean_speedup"] is None
    assert "Per device" in run.output


def test_usage_errors_name_the_device(run_bench, peer) -> None:
    run = run_bench("--mk-device=adb:ghost", f"--mk-adb-port={peer.port}", "-m", "compile")
    assert run.returncode == 4 and "adb device 'ghost' is not attached" in run.output


@pytest.mark.needs("cross")  # the phones answer, so the toolchain for them is checked first
def test_usage_errors_of_a_desk_of_phones(run_bench, peer) -> None:
    peer.add_device("emu-1")
    peer.add_device("emu-2")
    run = run_bench("--mk-device=adb:emu-1", "--mk-device=adb:emu-2", f"--mk-adb-port={peer.port}", "-m", "compile")
    assert run.returncode == 4 and "2 devices need xdist workers: add -n 2" in run.output
    run = run_bench("--mk-device=host", "--mk-device=adb:emu-1", f"--mk-adb-port={peer.port}", "-n", "2",
                    "-m", "compile")
    assert run.returncode == 4 and "must be of one kind" in run.output


@pytest.fixture
def unused_tcp_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_peer_speaks_what_adbutils_expects(peer) -> None:
    import adbutils

    peer.add_device("emu-1")
    client = adbutils.AdbClient(port=peer.port)
    assert client.server_version() == 41
    assert [d.serial for d in client.device_list()] == ["emu-1"]
    d = client.device("emu-1")
    assert "shell_v2" in d.get_features()
    r = d.shell2("echo out; echo err >&2; exit 3", v2=True)
    assert (r.returncode, r.stdout, r.stderr) == (3, "out\n", "err\n")
    d.sync.push(b"hello", "/data/local/tmp/x.txt")
    assert d.sync.read_text("/data/local/tmp/x.txt") == "hello"
    assert stat.S_ISREG(d.sync.stat("/data/local/tmp/x.txt").mode)
    assert "x.txt" in [f.path for f in d.sync.list("/data/local/tmp")]


@pytest.mark.slow
@needs_arm
def test_shipped_tasks_on_qemu_and_on_an_adb_peer(run_bench, peer) -> None:
    """The issue's two commands on every shipped task: qemu-aarch64, then a phone through adbutils
    (the same aarch64 builds, from the same cache)."""
    tasks = dict(tasks=ROOT / "bench_tasks", kernels=ROOT / "kernels_generated", label="reference")
    # fixed seeds: the second run reuses the first one's inputs and builds; emulated ARM: the largest
    # convolutions take tens of seconds per run under qemu on a busy machine
    fixed = ("--mk-seeds=1,2,3", "--mk-timeout=120")
    run = run_bench("--mk-device=qemu-aarch64", "-m", "compile or correctness", "-n", "2", *fixed, timeout=3600,
                    **tasks)
    assert run.returncode == 0, run.output[-3000:]
    assert run.results["metrics"]["fcr"] == 1.0
    peer.add_device("emu-1")
    run = run_bench("--mk-device=adb:emu-1", f"--mk-adb-port={peer.port}", "-m", "compile or correctness", "-n", "2",
                    *fixed, timeout=3600, **tasks)
    assert run.returncode == 0, run.output[-3000:]
    assert run.results["metrics"]["fcr"] == 1.0
    assert json.dumps(run.results["run"]["device"]) == '"adb:emu-1"'


# -- per-device reporting -----------------------------------------------------------------------
def _outcome(task: str, device: str, speedup: float, baseline: str = "mnn", no_mnn: str = ""):
    from pytest_mobilekernel.reporting.metrics import TaskOutcome

    return TaskOutcome(task=task, category=task.split("/")[0], compiled=True, correct=True, speedup=speedup,
                       device=device, baseline=baseline, no_mnn_baseline=no_mnn)


def test_speedups_from_several_devices_are_never_pooled() -> None:
    from pytest_mobilekernel.reporting import terminal
    from pytest_mobilekernel.reporting.metrics import by_device, compute

    outcomes = [_outcome("A/x", "adb:p1", 2.0, "mnn-device"), _outcome("A/y", "adb:p1", 0.5, "mnn-device"),
                _outcome("A/z", "adb:p2", 4.0, "mnn-device")]
    total = compute(outcomes)
    assert total.geomean_speedup is None and total.fast[1.0] is None and total.fcr == 1.0
    per = by_device(outcomes)
    assert per["adb:p1"].geomean_speedup == pytest.approx(1.0) and per["adb:p1"].fast[1.0] == 0.5
    assert per["adb:p2"].geomean_speedup == pytest.approx(4.0) and per["adb:p2"].fast[1.0] == 1.0
    lines = terminal.per_device(outcomes)
    assert any(ln.startswith("adb:p1") and "mnn-device" in ln and "1.00x" in ln for ln in lines), lines
    assert any(ln.startswith("adb:p2") and "4.00x" in ln for ln in lines), lines
    one = compute(outcomes[:2])  # one device: the usual figures
    assert one.geomean_speedup == pytest.approx(1.0) and one.fast[1.0] == 0.5
    assert terminal.per_device([_outcome("A/x", "host", 2.0)]) == []  # the host-only report is unchanged


def test_a_reference_kernel_speedup_is_labelled_and_never_fast() -> None:
    from pytest_mobilekernel.reporting import terminal
    from pytest_mobilekernel.reporting.metrics import compute
    from pytest_mobilekernel.reporting.results_file import per_device

    outcomes = [_outcome("A/x", "adb:p1", 3.0, "reference-kernel", "MNN is not built for adb:p1")]
    m = compute(outcomes)
    assert m.fast[1.0] == 0.0 and m.geomean_speedup is None and m.no_baseline == 1
    text = "\n".join(terminal.render(outcomes, {"device": "adb:p1"}))
    assert "3.00x vs reference-kernel" in text and "Per device" in text
    assert per_device(outcomes)["adb:p1"]["baselines"]["reference-kernel"]["timed"] == 1
