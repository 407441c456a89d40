"""Run untrusted generated code in a child process that is confined by the OS.

Every child goes through ``mk-sandbox`` (``sandbox_launcher.c``, compiled into the cache), which
confines it before its first instruction: pid/network/IPC namespaces, an unprivileged uid when run as
root, no_new_privs, Landlock (it reads the system directories and writes its scratch dir, nothing
else), a seccomp filter (no process or thread creation, exec, sockets, setsid, ptrace, affinity
changes) and rlimits. Two profiles: ``runner`` (kernel code runs: everything above) and ``build``
(a compiler reads untrusted source: Landlock and namespaces, since compilers must fork and exec).
``enforcement()`` says what this machine actually enforced; docs/verdicts.md has the table.

The launcher also lets Python vfork: a fork of a pytest worker holding torch costs ~16 ms per
child here, the launcher ~1 ms. Without a C compiler the rlimits alone are applied from a
preexec_fn, and ``enforcement()`` says that nothing else is.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from .process_output import last_line

SANDBOX_UID = 65534  # nobody: what kernel code runs as when the harness is root
DENIED_EXIT = 125  # the launcher's exit code when the program tried to reach a path outside the sandbox


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 60.0
    cpu_seconds: int = 120
    memory_mb: int = 4096
    max_open_files: int = 64
    max_file_mb: int = 1024
    isolate_network: bool = True
    cpu: int | None = None  # pin the child to this CPU (timing on the host)
    # "runner": kernel code runs (seccomp + Landlock + unprivileged uid); "build": a compiler reads
    # untrusted source (Landlock: it cannot .incbin a reference); "none": trusted tools
    profile: str = "runner"
    threads: bool = False  # may the child start threads (runner profile; emulators need them)
    readable: tuple[str, ...] = ()  # beyond the system directories
    writable: tuple[str, ...] = ()  # beyond the working directory


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
        detail = last_line(self.stderr)
        if self.returncode == DENIED_EXIT and detail.startswith("mk-sandbox: denied "):
            # the launcher's supervisor saw a file system call outside the sandbox (Landlock refused it)
            what = detail.removeprefix("mk-sandbox: denied ")
            more = " (and more)" if what.endswith(" and more") else ""
            what = what.removesuffix(" and more").removesuffix(" (outside the sandbox)")
            return f"reached outside its sandbox: {what} was refused{more}"
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
                "SIGSYS": "killed by the sandbox (SIGSYS): made a system call kernels may not make (process "
                          "or thread creation, exec, sockets, setsid, ptrace, namespaces, mounts...)",
            }.get(name, f"killed by {name}")
            return why + (f": {detail}" if detail else "")
        return f"exited with code {rc}" + (f": {detail}" if detail else "")



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
    """Compile ``sandbox_launcher.c`` into the cache (once per source and compiler), with libseccomp
    where its header is installed; None without a C compiler (the rlimits are then applied from
    Python, and nothing else is: ``enforcement()`` says so)."""
    from .cache import content_key

    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return None
    source = files("pytest_mobilekernel").joinpath("sandbox_launcher.c").read_bytes()
    seccomp = have_libseccomp()
    key = content_key("sandbox-launcher-v2", source, os.path.realpath(cc), os.uname().machine, str(seccomp))

    def create(out: Path) -> None:
        (out / "launcher.c").write_bytes(source)
        cmd = [cc, "-x", "c", "-O2", "-o", str(out / "mk-sandbox"), str(out / "launcher.c")]
        if seccomp:
            cmd[1:1] = ["-DMK_HAVE_SECCOMP"]
            cmd.append("-lseccomp")
        subprocess.run(cmd, check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)

    try:
        launcher = cache.get_or_create("tools", key, create) / "mk-sandbox"
        # it must also run from there (a noexec cache mount would fail every launch otherwise)
        true = shutil.which("true") or "/bin/true"
        probe = subprocess.run([str(launcher), "--", true], capture_output=True, stdin=subprocess.DEVNULL,
                               timeout=30)
        return launcher if probe.returncode == 0 else None
    except (subprocess.SubprocessError, OSError):
        return None


def have_libseccomp() -> bool:
    """libseccomp's header is installed (libseccomp-dev): only then has the launcher a seccomp layer."""
    return any(os.path.exists(f"{d}/seccomp.h") for d in ("/usr/include", "/usr/local/include"))


def use_launcher(path: Path | None) -> None:
    """Launch every sandboxed child through this launcher from now on (None: limits from Python)."""
    global _LAUNCHER
    _LAUNCHER = path
    enforcement.cache_clear()


def _launcher_options(limits: Limits, cwd: Path) -> list[str]:
    opts = ["--cpu", str(limits.cpu_seconds), "--as", str(limits.memory_mb), "--nofile", str(limits.max_open_files),
            "--fsize", str(limits.max_file_mb)]
    if limits.isolate_network:
        opts.append("--net")
    if limits.cpu is not None:
        opts += ["--pin", str(limits.cpu)]
    if limits.profile in ("runner", "build"):
        opts.append("--landlock")
        opts += ["--rw", str(cwd)]
        for path in limits.readable:
            opts += ["--rx", str(path)]
        for path in limits.writable:
            opts += ["--rw", str(path)]
    if limits.profile == "build":
        opts.append("--trees")  # build systems make directories in their build dir (runners: files only)
    if limits.profile == "runner":
        opts.append("--seccomp")
        if not limits.threads:
            opts.append("--no-threads")
        if os.geteuid() == 0:
            opts += ["--uid", str(SANDBOX_UID)]
    return opts


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
    return [str(_LAUNCHER), *_launcher_options(limits, cwd), "--", prog, *argv[1:]], {}


@functools.lru_cache(maxsize=1)
def enforcement() -> dict[str, Any]:
    """What the runner profile enforces on this machine, as the launcher reported it (probed once)."""
    if _LAUNCHER is None:
        return {"launcher": False, "landlock": 0, "seccomp": 0, "pidns": 0, "netns": 0, "userns": 0,
                "uid": os.geteuid()}
    work = make_scratch(prefix="mk-probe-")
    read, write = os.pipe()
    try:
        argv = [str(_LAUNCHER), *_launcher_options(Limits(), work), "--report", str(write), "--",
                shutil.which("true") or "/bin/true"]
        proc = subprocess.run(argv, cwd=work, pass_fds=(write,), capture_output=True, stdin=subprocess.DEVNULL,
                              timeout=30)
        os.close(write)
        write = -1
        with os.fdopen(read) as f:
            line = f.read().strip()
    finally:
        if write >= 0:
            os.close(write)
        shutil.rmtree(work, ignore_errors=True)
    report: dict[str, Any] = json.loads(line) if line else {"landlock": 0, "seccomp": 0, "pidns": 0, "netns": 0,
                                                            "userns": 0, "uid": os.geteuid()}
    if proc.returncode != 0:
        report["error"] = last_line(proc.stderr.decode(errors="replace")) or f"exit {proc.returncode}"
    report["launcher"] = True
    return report


def describe_enforcement(report: dict[str, Any] | None = None) -> str:
    """One line for the terminal summary: what confined the kernels of this run."""
    r = report or enforcement()
    if not r.get("launcher"):
        return "sandbox: rlimits only (no C compiler for the launcher): kernels are NOT confined"
    if r.get("error"):
        return f"sandbox: the launcher fails here ({r['error']}): kernels cannot run"
    parts = [f"Landlock ABI {r['landlock']}" if r["landlock"] else "NO Landlock (kernel too old): files not confined",
             "seccomp" if r["seccomp"] else "NO seccomp (install libseccomp-dev): process creation not denied",
             "pid+net namespaces" if r["pidns"] and r["netns"] else
             ("pid namespace" if r["pidns"] else "no pid namespace"),
             f"uid {r['uid']}" + (" (user namespace)" if r.get("userns") else "")]
    return "sandbox: " + ", ".join(parts)


def make_scratch(parent: Path | None = None, prefix: str = "mk-scratch-") -> Path:
    """A fresh directory the runner profile may write: outside the cache (nothing there leads to the
    references or the verdicts), owned by the sandbox uid when the harness is root."""
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    if os.geteuid() == 0:
        os.chown(work, SANDBOX_UID, SANDBOX_UID)
    os.chmod(work, 0o700)
    return work


def stage_program(binary: Path, work: Path) -> Path:
    """Make a built runner (and the shared libraries beside it) runnable from the scratch dir: the
    sandbox uid cannot reach into the cache. Hard links where possible (the files stay root's and
    read-only to the sandbox), copies across file systems."""
    for src in [binary, *sorted(p for p in binary.parent.glob("*.so*") if p.is_file())]:
        dst = work / src.name
        if dst.exists():
            continue
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    return work / binary.name


def _child_env(extra: dict[str, str] | None) -> dict[str, str]:
    """Nothing of the harness's environment but PATH (no keys, no paths into the cache)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    if os.environ.get("MK_SANDBOX_DEBUG"):  # the launcher's supervisor logs every path it sees
        env["MK_SANDBOX_DEBUG"] = "1"
    env.update(extra or {})
    return env


def run_limited(argv: list[str], cwd: Path, limits: Limits, env: dict[str, str] | None = None,
                pass_fds: tuple[int, ...] = ()) -> ProcessResult:
    """Run argv in cwd under limits; never raises for anything the child does."""
    child_env = _child_env(env)
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
        pass_fds=pass_fds,
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

    def __init__(self, argv: list[str], cwd: Path, limits: Limits, env: dict[str, str] | None = None,
                 pass_fds: tuple[int, ...] = ()) -> None:
        child_env = _child_env(env)
        self.limits = limits
        self._start = time.perf_counter()
        # stderr goes to an unlinked temp file: a chatty kernel cannot block on a full pipe.
        self._stderr = tempfile.TemporaryFile()
        argv, how = _spawn(argv, cwd, limits, child_env)
        self.proc = subprocess.Popen(argv, cwd=cwd, env=child_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, start_new_session=True, pass_fds=pass_fds, **how)
        self._buffer = b""
        self._noise = b""  # what the child printed that was not a reply (bounded)
        self._program_pid: int | None = None
        self.ended: ProcessResult | None = None

    def cpu_ns(self) -> int | None:
        """CPU time the program has used so far, all its threads (None where /proc does not say).

        The program is the launcher's descendant (the launcher, and init of the pid namespace,
        wait for it); the scheduler's accounting cannot be touched by the program."""
        pid = self.program_pid()
        if pid is None:
            return None
        total = 0
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return total

    def pause(self) -> None:
        """Stop the program (SIGSTOP, which it cannot catch) and wait until it is stopped: nothing it
        does after a block's reply escapes the CPU time read next, nor races the harness's checks."""
        pid = self.program_pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGSTOP)
            for _ in range(10000):
                with open(f"/proc/{pid}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] in ("T", "t", "Z", "X"):
                        return
                time.sleep(0.0001)
        except (OSError, IndexError):
            pass

    def resume(self) -> None:
        pid = self.program_pid()
        if pid is not None:
            try:
                os.kill(pid, signal.SIGCONT)
            except OSError:
                pass

    def program_pid(self) -> int | None:
        """The pid (as this process sees it) of the program itself, below the launcher's processes."""
        if self._program_pid is None:
            pid = self.proc.pid
            for _ in range(3):  # launcher -> init of the pid namespace -> program
                try:
                    with open(f"/proc/{pid}/task/{pid}/children") as f:
                        children = f.read().split()
                except OSError:
                    return None
                if not children:
                    break
                pid = int(children[0])
            self._program_pid = pid
        return self._program_pid

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
