"""Run untrusted generated code in a child process with limits.

The child gets its own process group (so a kernel that forks cannot outlive the verdict), a
scratch working directory holding copies of its inputs only (no path into the cache, where the
reference outputs live), an empty environment but PATH, its own network namespace where the OS
allows it, a wall-clock limit enforced by killing the group, and rlimits on CPU time, address
space, open files, file size and core dumps. The result says in one line what
happened; the harness never dies with the child.

The limits are applied by a small compiled launcher (``sandbox_launcher.c``, built into the cache)
so that Python can vfork: a fork of a pytest worker holding torch costs ~16 ms per child here,
the launcher ~1 ms. Without a C compiler the same limits are applied from a preexec_fn.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 60.0
    cpu_seconds: int = 120
    memory_mb: int = 4096
    max_open_files: int = 64
    max_file_mb: int = 1024
    isolate_network: bool = True
    cpu: int | None = None  # pin the child to this CPU (timing on the host)


@dataclass
class ProcessResult:
    returncode: int | None
    stdout: str
    stderr: str
    wall_seconds: float
    timed_out: bool = False
    cpu_seconds: float | None = None  # user + system CPU time of the child (None where unknown)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def describe(self, limits: Limits | None = None) -> str:
        """One line: why the child did not succeed."""
        detail = _last_line(self.stderr)
        if self.timed_out:
            limit = f" {limits.wall_seconds:g}s" if limits else ""
            return f"timed out (wall-time limit{limit}); process group killed"
        rc = self.returncode
        if rc is not None and rc < 0:
            sig = -rc
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            why = {
                "SIGSEGV": "crashed with SIGSEGV (invalid memory access)",
                "SIGBUS": "crashed with SIGBUS (misaligned or invalid memory access)",
                "SIGFPE": "crashed with SIGFPE (arithmetic error, e.g. integer division by zero)",
                "SIGABRT": "aborted (SIGABRT)",
                "SIGILL": "crashed with SIGILL (illegal instruction: ISA not supported here?)",
                "SIGXCPU": "exceeded the CPU-time limit (SIGXCPU)",
                "SIGKILL": "killed (SIGKILL), likely the memory limit",
                "SIGXFSZ": "exceeded the file-size limit (SIGXFSZ)",
            }.get(name, f"killed by {name}")
            return why + (f": {detail}" if detail else "")
        return f"exited with code {rc}" + (f": {detail}" if detail else "")


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        return ""
    line = lines[-1]
    return line if len(line) <= 300 else line[:297] + "..."


def _limit_child(limits: Limits) -> None:  # runs in the child between fork and exec
    # As the launcher does: a limit that cannot be set ends the child with 126 and a line on its
    # stderr (an exception here would surface in the parent as a bare SubprocessError instead).
    try:
        _apply_limits(limits)
    except BaseException as exc:  # noqa: BLE001 - anything: the child must not run unlimited
        os.write(2, f"mk-sandbox: cannot apply the limits: {exc}\n".encode())
        os._exit(126)


def _apply_limits(limits: Limits) -> None:
    mb = 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * mb, limits.memory_mb * mb))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.max_open_files, limits.max_open_files))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.max_file_mb * mb, limits.max_file_mb * mb))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if limits.isolate_network:
        _unshare_network()
    if limits.cpu is not None:
        os.sched_setaffinity(0, {limits.cpu})


_LIBC = None


def _unshare_network() -> None:
    """A fresh network namespace (no interfaces up): the child cannot reach any network.

    Needs CAP_SYS_ADMIN (root, as in CI); elsewhere it silently does nothing, which
    ``network_isolation_available()`` reports.
    """
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    _LIBC.unshare(CLONE_NEWNET)


CLONE_NEWNET = 0x40000000


_LAUNCHER: Path | None = None


def build_launcher(cache: Any) -> Path | None:
    """Compile ``sandbox_launcher.c`` into the cache (once per source and compiler); None without a
    C compiler, and the sandbox then applies its limits from Python (slower: fork, not vfork)."""
    from .cache import content_key

    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("g++")
    if cc is None:
        return None
    source = files("pytest_mobilekernel").joinpath("sandbox_launcher.c").read_bytes()
    key = content_key("sandbox-launcher-v1", source, os.path.realpath(cc), os.uname().machine)

    def create(out: Path) -> None:
        (out / "launcher.c").write_bytes(source)
        subprocess.run([cc, "-x", "c", "-O2", "-o", str(out / "mk-sandbox"), str(out / "launcher.c")],
                       check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)

    try:
        launcher = cache.get_or_create("tools", key, create) / "mk-sandbox"
        # it must also run from there (a noexec cache mount would fail every launch otherwise)
        true = shutil.which("true") or "/bin/true"
        probe = subprocess.run([str(launcher), "10", "256", "16", "1", "0", "-1", "--", true],
                               capture_output=True, stdin=subprocess.DEVNULL, timeout=30)
        return launcher if probe.returncode == 0 else None
    except (subprocess.SubprocessError, OSError):
        return None


def use_launcher(path: Path | None) -> None:
    """Launch every sandboxed child through this launcher from now on (None: limits from Python)."""
    global _LAUNCHER
    _LAUNCHER = path


def _spawn(argv: list[str], cwd: Path, limits: Limits, env: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    """The argv and Popen keywords that start argv under limits."""
    if _LAUNCHER is None:
        return argv, {"preexec_fn": lambda: _limit_child(limits)}
    # The launcher execs a path: resolve it here so a missing program fails as Popen would.
    prog = argv[0]
    if os.sep not in prog:
        prog = shutil.which(prog, path=env.get("PATH")) or prog
    elif not os.path.isabs(prog):
        prog = os.path.join(cwd, prog)
    if not os.path.isfile(prog):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), argv[0])
    head = [str(_LAUNCHER), str(limits.cpu_seconds), str(limits.memory_mb), str(limits.max_open_files),
            str(limits.max_file_mb), "1" if limits.isolate_network else "0",
            str(limits.cpu if limits.cpu is not None else -1), "--"]
    return [*head, prog, *argv[1:]], {}


def network_isolation_available() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9), 1)"],
                           preexec_fn=_unshare_network, capture_output=True, text=True)
    return "Network is unreachable" in probe.stderr


def run_limited(argv: list[str], cwd: Path, limits: Limits, env: dict[str, str] | None = None) -> ProcessResult:
    """Run argv in cwd under limits; never raises for anything the child does."""
    child_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    if env:
        child_env.update(env)
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    argv, how = _spawn(argv, cwd, limits, child_env)
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=child_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **how,
    )
    timed_out = False
    try:
        out, err = proc.communicate(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc.pid)
        out, err = proc.communicate()
    finally:
        # Whatever the child left running in its group goes too.
        _kill_group(proc.pid)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the reaped child: unlike wall time it does not grow when the machine is busy.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return ProcessResult(
        returncode=proc.returncode,
        stdout=_decode(out),
        stderr=_decode(err),
        wall_seconds=time.perf_counter() - start,
        timed_out=timed_out,
        cpu_seconds=cpu,
    )


class LimitedServer:
    """A sandboxed child that stays up and answers line requests (the runner's serve mode).

    Same isolation and limits as ``run_limited``; the wall-clock limit applies per request. The
    parent measures the child's CPU time itself (``/proc/PID/schedstat``, ns): a kernel that fakes
    its clock cannot fake what the kernel's scheduler accounted to it.
    """

    def __init__(self, argv: list[str], cwd: Path, limits: Limits, env: dict[str, str] | None = None) -> None:
        child_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
        if env:
            child_env.update(env)
        self.limits = limits
        self._start = time.perf_counter()
        # stderr goes to an unlinked temp file: a chatty kernel cannot block on a full pipe.
        self._stderr = tempfile.TemporaryFile()
        argv, how = _spawn(argv, cwd, limits, child_env)
        self.proc = subprocess.Popen(argv, cwd=cwd, env=child_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, start_new_session=True, **how)
        self._buffer = b""
        self._noise = b""  # what the child printed that was not a reply (bounded)
        self.ended: ProcessResult | None = None

    def cpu_ns(self) -> int | None:
        """CPU time the child has used so far (None where /proc does not say)."""
        try:
            with open(f"/proc/{self.proc.pid}/schedstat") as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def expect(self, reply: str, send: str | None = None) -> ProcessResult | None:
        """Optionally send one line, then wait for the line ``reply``. None when it came; else the
        child's end (crash, exit, wall-time limit: the group is killed) as a ProcessResult."""
        if self.ended is not None:
            return self.ended
        try:
            if send is not None:
                assert self.proc.stdin is not None
                self.proc.stdin.write(send.encode() + b"\n")
                self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return self._finish(timed_out=False)
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        want = reply.encode()
        deadline = time.perf_counter() + self.limits.wall_seconds
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                if line.strip() == want:
                    return None
                self._noise = (self._noise + line + b"\n")[-4096:]
            left = deadline - time.perf_counter()
            if left <= 0:
                return self._finish(timed_out=True)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return self._finish(timed_out=False)
            self._buffer += chunk

    def close(self) -> ProcessResult:
        """End the child (EOF on stdin, then the group is killed) and say how it ended."""
        if self.ended is not None:
            return self.ended
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        except OSError:
            pass
        return self._finish(timed_out=False, grace=self.limits.wall_seconds)

    def _finish(self, timed_out: bool, grace: float = 2.0) -> ProcessResult:
        if timed_out:
            _kill_group(self.proc.pid)
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(self.proc.pid)
            self.proc.wait()
        _kill_group(self.proc.pid)
        size = self._stderr.seek(0, os.SEEK_END)
        self._stderr.seek(max(0, size - 65536))
        err = self._stderr.read()
        self._stderr.close()
        self.ended = ProcessResult(returncode=self.proc.returncode, stdout=_decode(self._noise), stderr=_decode(err),
                                     wall_seconds=time.perf_counter() - self._start, timed_out=timed_out,
                                     cpu_seconds=None)
        return self.ended


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _decode(data: bytes | None) -> str:
    # Bounded: a kernel printing in a loop must not fill the harness's memory or the report.
    if not data:
        return ""
    return data[-65536:].decode("utf-8", "replace")
