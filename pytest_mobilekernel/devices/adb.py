"""adb[:SERIAL]: an Android phone (or anything speaking adb) through an adb server, via adbutils.

One ``run`` = a fresh directory ``/data/local/tmp/mk-<id>`` on the device; the runner binary and
every file of the local work directory pushed into it; ``cd DIR && timeout -s KILL <limit> ./runner
ARGS`` over shell v2 (real exit codes, stdout and stderr apart); every file the runner created
pulled back into the work directory; the remote directory removed. Anything the device does
(gone mid-push, transport error, wrong ABI) comes back as a ``DeviceFailure`` with a one-line
reason, never as an exception, so the item gets a clear verdict and the run goes on.

Before the first run the device is probed once per process (``check()``): its ABI list and CPU
features decide whether aarch64 runner binaries can run there, and the binary's own ELF header is
checked before every push, so "cannot run here" is said in words, not as an exec error.

Limits on the device: the wall-time limit is enforced with the device's ``timeout`` (toybox) and,
as a backstop, a socket timeout on the shell; the address-space limit of the host sandbox is not
applied on the phone (Android's low-memory killer ends a runaway runner).
"""

from __future__ import annotations

import math
import os
import shlex
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DeviceError
from ..process_output import last_line
from ..sandbox import Limits, ProcessResult
from . import elf
from .base import Device, DeviceFailure

REMOTE_ROOT = "/data/local/tmp"
DEFAULT_PORT = 5037
# seconds on top of the wall-time limit before the harness stops waiting for the shell
SHELL_GRACE = 15.0
TRANSFER_TIMEOUT = 120.0
# exit status of `timeout`: 124 (timed out, TERM) or 128+9 (killed with -s KILL)
TIMEOUT_CODES = (124, 137)
ABI_OF_MACHINE = {"aarch64": "arm64-v8a", "arm": "armeabi-v7a", "x86-64": "x86_64", "x86": "x86"}
OUTPUT_LIMIT = 65536


@dataclass
class DeviceInfo:
    serial: str
    abilist: list[str]
    machine: str
    model: str = ""
    release: str = ""
    sdk: str = ""
    features: list[str] = field(default_factory=list)
    has_timeout: bool = False

    @property
    def runs_aarch64(self) -> bool:
        return "arm64-v8a" in self.abilist or self.machine in ("aarch64", "arm64", "armv8l")

    @property
    def has_neon(self) -> bool | None:
        """ASIMD (NEON) in /proc/cpuinfo's Features; None when the kernel does not say."""
        if not self.features:
            return None
        return "asimd" in self.features

    def incompatibility(self) -> str:
        """'' when aarch64 runner binaries (armv8-a, NEON) run here, else why not."""
        abis = ",".join(self.abilist) or "unknown"
        if not self.runs_aarch64:
            return (f"adb device {self.serial} has ABI {abis} (uname -m: {self.machine or '?'}): "
                    "aarch64 (arm64-v8a) runner binaries cannot run there")
        if self.has_neon is False:
            return (f"adb device {self.serial} ({abis}) reports no ASIMD/NEON in /proc/cpuinfo "
                    f"(features: {' '.join(self.features)}): armv8-a runner binaries need it")
        return ""


class AdbDevice(Device):
    arch = "aarch64"
    platform = "android"
    remote = True

    def __init__(self, serial: str | None = None, host: str | None = None, port: int | str | None = None) -> None:
        self.serial = serial or None
        self.host = host or os.environ.get("ANDROID_ADB_SERVER_HOST") or "127.0.0.1"
        self.port = int(port or os.environ.get("ANDROID_ADB_SERVER_PORT") or DEFAULT_PORT)
        self.name = f"adb:{serial}" if serial else "adb"
        self._client = None
        self._info: DeviceInfo | None = None
        self.shell_grace = SHELL_GRACE

    # -- connection --------------------------------------------------------------------------
    def client(self):  # -> adbutils.AdbClient
        if self._client is None:
            # adbutils starts its own bundled adb server when it cannot connect; never let it:
            # say that no server answers instead.
            try:
                socket.create_connection((self.host, self.port), timeout=3).close()
            except OSError as exc:
                raise DeviceError(
                    f"{self.name}: no adb server at {self.host}:{self.port} ({exc.strerror or exc}); start one "
                    "with `adb start-server` or pass --mk-adb-host/--mk-adb-port") from None
            import adbutils

            self._client = adbutils.AdbClient(host=self.host, port=self.port, socket_timeout=TRANSFER_TIMEOUT)
        return self._client

    def attached(self) -> list[tuple[str, str]]:
        """(serial, state) of every device the server knows."""
        from adbutils import AdbError

        try:
            return [(i.serial, i.state) for i in self.client().list()]
        except (AdbError, OSError, EOFError) as exc:
            raise DeviceError(f"{self.name}: adb server at {self.host}:{self.port} failed: {exc}") from None

    def resolve_serial(self) -> str:
        devices = self.attached()
        ready = [s for s, state in devices if state == "device"]
        listing = ", ".join(f"{s} ({state})" for s, state in devices) or "none"
        if self.serial is None:
            if len(ready) == 1:
                self.serial = ready[0]
                self.name = f"adb:{self.serial}"
                return self.serial
            if not ready:
                raise DeviceError(f"adb: no device attached to the adb server at {self.host}:{self.port} "
                                  f"(devices: {listing}); plug in a phone with USB debugging on")
            raise DeviceError(f"adb: {len(ready)} devices attached ({listing}): choose one with --mk-device=adb:SERIAL")
        state = dict(devices).get(self.serial)
        if state is None:
            raise DeviceError(f"adb device {self.serial!r} is not attached to the adb server at "
                              f"{self.host}:{self.port} (attached: {listing})")
        if state != "device":
            hint = " (accept the USB debugging prompt on the phone)" if state == "unauthorized" else ""
            raise DeviceError(f"adb device {self.serial} is {state}{hint}")
        return self.serial

    def adb(self):  # -> adbutils.AdbDevice
        serial = self.resolve_serial() if self.serial is None else self.serial
        return self.client().device(serial)

    # -- probing -----------------------------------------------------------------------------
    PROBE = ("echo \"abilist=$(getprop ro.product.cpu.abilist)\"; echo \"abi=$(getprop ro.product.cpu.abi)\"; "
             "echo \"model=$(getprop ro.product.model)\"; echo \"release=$(getprop ro.build.version.release)\"; "
             "echo \"sdk=$(getprop ro.build.version.sdk)\"; echo \"machine=$(uname -m)\"; "
             "echo \"timeout=$(command -v timeout)\"; grep -i -m 1 '^features' /proc/cpuinfo")

    def info(self) -> DeviceInfo:
        """ABI, CPU features and tools of the device, probed once per process."""
        if self._info is None:
            from adbutils import AdbError

            serial = self.resolve_serial()
            try:
                out = self.client().device(serial).shell2(self.PROBE, timeout=30, v2=True).output
            except (AdbError, OSError, EOFError) as exc:
                raise DeviceError(f"adb device {serial} does not answer a shell command: {exc}") from None
            values: dict[str, str] = {}
            features: list[str] = []
            for line in out.splitlines():
                key, sep, value = line.partition("=")
                if sep and key in ("abilist", "abi", "model", "release", "sdk", "machine", "timeout"):
                    values[key] = value.strip()
                elif line.lower().startswith("features"):
                    features = line.partition(":")[2].split()
            abilist = [a for a in (values.get("abilist") or values.get("abi") or "").split(",") if a]
            self._info = DeviceInfo(serial=serial, abilist=abilist, machine=values.get("machine", ""),
                                    model=values.get("model", ""), release=values.get("release", ""),
                                    sdk=values.get("sdk", ""), features=features,
                                    has_timeout=bool(values.get("timeout")))
        return self._info

    def check(self) -> None:
        why = self.info().incompatibility()
        if why:
            raise DeviceError(why)

    def check_present(self) -> None:
        self.resolve_serial()  # asks the adb server afresh (check() uses the probe of this process)

    def lock_name(self) -> str:
        if self.serial is None:
            try:
                self.resolve_serial()
            except DeviceError:
                pass
        return super().lock_name()

    def describe(self) -> dict[str, str]:
        d = {"device": self.name, "arch": self.arch}
        if self._info:
            d.update(abi=",".join(self._info.abilist), model=self._info.model, android=self._info.release,
                     neon=str(self._info.has_neon))
        return d

    # -- running -----------------------------------------------------------------------------
    def run(self, binary: Path, workdir: Path, args: list[str], limits: Limits,
            pass_fds: tuple[int, ...] = ()) -> ProcessResult:  # no fds cross adb: files do
        from adbutils import AdbError, AdbTimeout

        try:
            info = self.info()
        except DeviceError as exc:
            return _failure(f"not run: {exc}")
        why = info.incompatibility()
        if why:
            return _failure(f"not run: {why}")
        machine = elf.machine(binary)
        if machine is not None and machine != "aarch64":
            return _failure(f"not run: {binary.name} is a {machine} binary and adb device {info.serial} is "
                            f"{','.join(info.abilist) or info.machine}: it cannot run there "
                            f"(build for aarch64: the adb device selects the aarch64 toolchain)")
        serial = info.serial
        remote = f"{REMOTE_ROOT}/mk-{os.getpid()}-{uuid.uuid4().hex[:10]}"
        phase = "connect"
        made = False
        try:
            dev = self._handle(serial)
            phase = "mkdir"
            made_proc = dev.shell2(f"mkdir -p {remote}", timeout=30, v2=True)
            made = True
            if made_proc.returncode != 0:
                return _failure(f"not run: cannot create {remote} on adb device {serial}: "
                                f"{last_line(made_proc.output)}")
            runner_name = binary.name if not (workdir / binary.name).exists() else ".mk-runner"
            pushed = {runner_name}
            phase = f"push of {binary.name}"
            dev.sync.push(binary, f"{remote}/{runner_name}", mode=0o755)
            for path in sorted(workdir.iterdir()):
                if not path.is_file() or path.name in self._outputs.get(str(workdir), set()):
                    continue  # outputs of an earlier run here: the runner writes them afresh
                phase = f"push of {path.name}"
                dev.sync.push(path, f"{remote}/{path.name}", mode=0o644)
                pushed.add(path.name)
            phase = "run"
            command = self._command(remote, runner_name, args, limits, info)
            start = time.perf_counter()
            timed_out = False
            try:
                res = dev.shell2(command, timeout=limits.wall_seconds + self.shell_grace, v2=True, encoding=None)
                rc: int | None = res.returncode
                out, err = res.stdout, res.stderr
            except AdbTimeout:
                timed_out, rc, out, err = True, None, b"", b""
            wall = time.perf_counter() - start
            if rc in TIMEOUT_CODES and wall >= limits.wall_seconds * 0.95:
                timed_out = True
            elif rc is not None and 128 < rc < 160:
                rc = -(rc - 128)  # killed by a signal on the device: report it as the host does
            phase = "pull of the outputs"
            created = []
            for entry in dev.sync.list(remote):
                name = entry.path
                if name in (".", "..") or name in pushed or not _is_regular(entry.mode):
                    continue
                dev.sync.pull_file(f"{remote}/{name}", workdir / name)
                created.append(name)
            self._outputs.setdefault(str(workdir), set()).update(created)
            if timed_out:
                return AdbTimedOut(rc, _text(out), _text(err), wall, timed_out=True, device=self.name)
            return ProcessResult(rc, _text(out), _text(err), wall)
        except (AdbError, OSError, EOFError, ValueError) as exc:
            if isinstance(exc, AdbTimeout) or isinstance(exc, socket.timeout):
                what = f"timed out during {phase}"
            else:
                what = f"failed during {phase}: {type(exc).__name__}: {exc}" if str(exc) else \
                    f"failed during {phase}: {type(exc).__name__}"
            if not self._still_attached(serial):
                if phase in ("connect", "mkdir"):
                    return _failure(f"not run: adb device {serial} is not attached to the adb server "
                                    f"{self.host}:{self.port} any more (disconnected?)")
                return _failure(f"not run: adb device {serial} disconnected during {phase}")
            return _failure(f"not run: adb transport to {serial} {what}")
        finally:
            if made:
                self._cleanup(serial, remote)

    def _command(self, remote: str, runner: str, args: list[str], limits: Limits, info: DeviceInfo) -> str:
        argv = " ".join(shlex.quote(a) for a in args)
        guard = f"timeout -s KILL {max(1, math.ceil(limits.wall_seconds))} " if info.has_timeout else ""
        # LD_LIBRARY_PATH: a user-supplied MNN runner finds the libMNN.so pushed beside it
        return f"cd {remote} && LD_LIBRARY_PATH={remote} {guard}./{shlex.quote(runner)} {argv}"

    @property
    def _outputs(self) -> dict[str, set[str]]:
        if not hasattr(self, "_outputs_by_dir"):
            self._outputs_by_dir: dict[str, set[str]] = {}
        # scratch dirs come and go: forget the ones that are gone
        for gone in [d for d in self._outputs_by_dir if not os.path.isdir(d)]:
            del self._outputs_by_dir[gone]
        return self._outputs_by_dir

    def _handle(self, serial: str):  # -> adbutils.AdbDevice, kept: it remembers the device's features
        if getattr(self, "_handle_cache", (None, None))[0] != serial:
            self._handle_cache = (serial, self.client().device(serial))
        return self._handle_cache[1]

    def _still_attached(self, serial: str) -> bool:
        try:
            return dict(self.attached()).get(serial) == "device"
        except DeviceError:
            return False

    def _cleanup(self, serial: str, remote: str) -> None:
        try:
            self._handle(serial).shell2(f"rm -rf {remote}", timeout=30, v2=True)
        except Exception:  # noqa: BLE001 - best effort: the device may be gone
            pass


@dataclass
class AdbTimedOut(ProcessResult):
    device: str = ""

    def describe(self, limits: Limits | None = None) -> str:
        limit = f" {limits.wall_seconds:g}s" if limits else ""
        return f"timed out (wall-time limit{limit}) on {self.device}; killed on the device"


def _failure(reason: str) -> DeviceFailure:
    return DeviceFailure(None, "", reason, 0.0, reason=reason)


def _is_regular(mode: int) -> bool:
    return (mode & 0o170000) == 0o100000


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data[-OUTPUT_LIMIT:]
    return data[-OUTPUT_LIMIT:].decode("utf-8", "replace")

