"""The OS confines what a runner does (sandbox_launcher.c): each hostile action of
tests/data/sandbox_probe.c, run under the runner profile, is stopped the way docs/verdicts.md says.

These tests need what they test: they fail (not skip) where this machine should enforce a layer
and does not. A layer the machine cannot have (Landlock on an old kernel, seccomp without
libseccomp-dev: tests/conftest.py's shared condition) is skipped with that reason, as `enforcement()`
reports it; what the other layers still stop is checked all the same.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pytest_mobilekernel import sandbox
from pytest_mobilekernel.cache import Cache
from pytest_mobilekernel.sandbox import SANDBOX_UID, Limits, have_libseccomp, run_limited, stage_program

DATA = Path(__file__).resolve().parent / "data"
ROOT = os.geteuid() == 0


def _landlock_abi() -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    return max(int(libc.syscall(444, None, 0, 1)), 0) if sys.platform == "linux" else 0


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("probe")
    sandbox.use_launcher(sandbox.build_launcher(Cache(out / "cache")))
    binary = out / "sandbox_probe"
    subprocess.run(["gcc", "-O1", "-pthread", str(DATA / "sandbox_probe.c"), "-o", str(binary)], check=True)
    return binary


@pytest.fixture
def scratch():
    work = sandbox.make_scratch(prefix="mk-test-")
    yield work
    shutil.rmtree(work, ignore_errors=True)


def run(probe: Path, work: Path, *args: str, **limits) -> sandbox.ProcessResult:
    return run_limited([str(stage_program(probe, work)), *args], cwd=work, limits=Limits(wall_seconds=20, **limits))


def outcome(res: sandbox.ProcessResult) -> str:
    """'EACCES', 'ok', ... as the probe printed it, or 'SIGSYS' etc. when the process was killed."""
    if res.returncode is not None and res.returncode < 0:
        return f"killed:{-res.returncode}"
    line = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""
    assert line.startswith("done "), (res.returncode, res.stdout, res.stderr)
    return line.split()[-1]


def need(layer: str) -> None:
    """Landlock is the kernel's (skipped where it has none); seccomp: the needs("seccomp") mark."""
    report = sandbox.enforcement()
    if layer == "landlock" and not report["landlock"]:
        assert _landlock_abi() == 0, f"the kernel has Landlock ABI {_landlock_abi()} but it was not enforced"
        pytest.skip("this kernel has no Landlock")


def test_enforcement_is_reported(probe: Path) -> None:
    report = sandbox.enforcement()
    assert report["launcher"] and "error" not in report, report
    line = sandbox.describe_enforcement(report)
    assert line.startswith("sandbox: ")
    if ROOT:
        assert report["uid"] == SANDBOX_UID and report["pidns"] == 1 and report["netns"] == 1, report
    if _landlock_abi():
        assert report["landlock"] == _landlock_abi(), report
    # seccomp exactly where libseccomp's header is (without it the tests marked needs("seccomp") skip)
    assert bool(report["seccomp"]) == have_libseccomp(), report


def test_runs_unprivileged(probe: Path, scratch: Path) -> None:
    res = run(probe, scratch, "uid")
    assert res.ok, res.stderr
    uid = int(res.stdout.split()[-1])
    assert uid != 0 if ROOT else uid == os.geteuid()


def test_files_outside_scratch_cannot_be_read_or_written(probe: Path, scratch: Path, tmp_path: Path) -> None:
    need("landlock")
    secret = tmp_path / "ref0.npy"  # stands for a reference output in the cache
    secret.write_text("the answer")
    os.chmod(tmp_path, 0o755)
    os.chmod(secret, 0o644)  # readable by anyone as far as file modes go: Landlock must stop it
    assert outcome(run(probe, scratch, "read", str(secret))) == "EACCES"
    assert outcome(run(probe, scratch, "read", "/etc/passwd")) == "EACCES"
    assert outcome(run(probe, scratch, "list", "/")) == "EACCES"
    assert outcome(run(probe, scratch, "read", f"{scratch}/../../etc/hostname")) in ("EACCES", "ENOENT")
    target = Path("/tmp") / f"mk-containment-{uuid.uuid4().hex}"
    assert outcome(run(probe, scratch, "write", str(target))) == "EACCES"
    assert not target.exists()
    assert outcome(run(probe, scratch, "write", str(tmp_path / "forged.json"))) == "EACCES"
    assert not (tmp_path / "forged.json").exists()
    # its own scratch dir is writable
    assert outcome(run(probe, scratch, "write", "out.npy")) == "ok"
    assert (scratch / "out.npy").exists()


def test_no_links_or_special_files_in_scratch(probe: Path, scratch: Path, tmp_path: Path) -> None:
    # a symlink or hard link named like an output would make the harness read a reference instead
    need("landlock")
    secret = tmp_path / "ref0.npy"
    secret.write_text("x")
    assert outcome(run(probe, scratch, "symlink", str(secret))) == "EACCES"
    assert outcome(run(probe, scratch, "hardlink", str(secret))) in ("EACCES", "EXDEV", "EPERM")
    assert outcome(run(probe, scratch, "fifo")) in ("EACCES", "killed:31")  # Landlock; seccomp kills mknod
    assert not any(p.name in ("link", "hard", "fifo") for p in scratch.iterdir())


@pytest.mark.parametrize("action", ["fork", "raw-fork", "exec", "socket", "setsid", "ptrace"])
@pytest.mark.needs("seccomp")
def test_escapes_kill_the_process(probe: Path, scratch: Path, action: str) -> None:
    res = run(probe, scratch, action, "/bin/true")
    assert outcome(res) == "killed:31", (res.returncode, res.stdout, res.stderr)  # SIGSYS
    assert "killed by the sandbox (SIGSYS)" in res.describe()


@pytest.mark.needs("seccomp")
def test_threads_only_where_allowed(probe: Path, scratch: Path) -> None:
    # a single-thread measurement: a second thread would hide work on another core
    assert outcome(run(probe, scratch, "thread")) == "killed:31"
    assert outcome(run(probe, scratch, "thread", threads=True)) == "ok"


@pytest.mark.needs("seccomp")
def test_affinity_change_kills(probe: Path, scratch: Path) -> None:
    # a timed kernel moving itself to an idle core
    assert outcome(run(probe, scratch, "affinity")) == "killed:31"


def test_cannot_signal_the_harness(probe: Path, scratch: Path) -> None:
    # seccomp: signals to itself only; beneath it the pid namespace (the harness is not even
    # visible), Landlock's signal scope and another uid
    res = run(probe, scratch, "kill", str(os.getpid()))
    assert outcome(res) in (("killed:31",) if sandbox.enforcement()["seccomp"] else ("ESRCH", "EPERM"))


@pytest.mark.needs("seccomp")
def test_files_outside_are_named_in_the_verdict(probe: Path, scratch: Path, tmp_path: Path) -> None:
    """The supervisor: a path outside the sandbox is a verdict, even when the program goes on."""
    need("landlock")
    secret = tmp_path / "ref0.npy"
    secret.write_text("x")
    res = run(probe, scratch, "read", str(secret))
    assert res.returncode == sandbox.DENIED_EXIT, (res.returncode, res.stderr)
    assert res.describe() == f"reached outside its sandbox: openat {secret} was refused"
    res = run(probe, scratch, "write", "../../tmp/x")
    assert res.describe().startswith("reached outside its sandbox: openat /tmp/x was refused")
    assert run(probe, scratch, "write", "inside.npy").ok  # inside: no verdict


def test_network_is_unreachable(probe: Path, scratch: Path) -> None:
    # with seccomp the socket call itself kills the process; without it (no libseccomp-dev) a socket
    # still leads nowhere: an empty network namespace (ENETUNREACH) and Landlock's TCP rules (EACCES)
    res = run(probe, scratch, "connect")
    assert outcome(res) in ("killed:31", "EACCES", "ENETUNREACH", "EPERM"), res.stdout
    assert outcome(run(probe, scratch, "socket")) == ("killed:31" if sandbox.enforcement()["seccomp"] else "ok")


def test_compilers_cannot_read_the_cache(tmp_path: Path, probe: Path) -> None:
    """The build profile: untrusted source compiled with Landlock, so `.incbin` of a reference fails."""
    need("landlock")
    secret = tmp_path / "cache" / "trials" / "ref0.npy"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"\x93NUMPY secret reference")
    out = tmp_path / "out"
    out.mkdir()
    (out / "k.cpp").write_text(f'asm(".incbin \\"{secret}\\"");\nint f() {{ return 1; }}\n')
    res = run_limited(["g++", "-c", "k.cpp", "-o", "k.o"], cwd=out, env={"TMPDIR": str(out)},
                      limits=Limits(wall_seconds=60, memory_mb=4096, max_open_files=256, profile="build"))
    assert not res.ok and "ref0.npy" in res.stderr, res.stderr
    (out / "k.cpp").write_text("int f() { return 1; }\n")
    res = run_limited(["g++", "-c", "k.cpp", "-o", "k.o"], cwd=out, env={"TMPDIR": str(out)},
                      limits=Limits(wall_seconds=60, memory_mb=4096, max_open_files=256, profile="build"))
    assert res.ok, res.stderr


@pytest.mark.needs("root", "seccomp")  # root: to become another user (runuser: util-linux, always on Debian)
def test_without_root_a_user_namespace_confines_the_same(probe: Path, scratch: Path) -> None:
    """The launcher started by an unprivileged user: user + pid + net namespaces, Landlock, seccomp
    and the supervisor all still apply (docs/verdicts.md, "host, not root")."""
    need("landlock")
    assert sandbox._LAUNCHER is not None
    launcher = shutil.copy(sandbox._LAUNCHER, scratch / "mk-sandbox")
    program = stage_program(probe, scratch)

    def as_nobody(*args: str) -> tuple[int, str, dict]:
        read, write = os.pipe()
        cmd = ["runuser", "-u", "nobody", "--", str(launcher), "--net", "--landlock", "--seccomp", "--no-threads",
               "--rw", str(scratch), "--report", str(write), "--", str(program), *args]
        proc = subprocess.run(cmd, cwd=scratch, pass_fds=(write,), capture_output=True, text=True, timeout=30)
        os.close(write)
        with os.fdopen(read) as f:
            report = f.read().strip()
        return proc.returncode, proc.stdout + proc.stderr, json.loads(report) if report else {}

    rc, out, report = as_nobody("read", "/etc/passwd")
    assert report["userns"] == 1 and report["pidns"] == 1 and report["netns"] == 1, report
    assert report["landlock"] >= 1 and report["seccomp"] == 1 and report["supervised"] == 1, report
    assert rc == sandbox.DENIED_EXIT and "done read EACCES" in out and "denied openat /etc/passwd" in out, out
    rc, out, _ = as_nobody("fork")
    assert rc in (128 + 31, -31), (rc, out)  # SIGSYS
    rc, out, _ = as_nobody("uid")
    assert rc == 0 and "done uid 65534" in out, out
