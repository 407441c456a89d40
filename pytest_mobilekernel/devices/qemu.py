"""qemu-aarch64: runs the aarch64 runner on this machine under ``qemu-aarch64-static`` (user mode).

For checking ARM/NEON kernels without a phone: the compile and correctness stages run as on a
device; timings under emulation say nothing about a real core, so the speed stage skips with the
reason below. binfmt_misc is not needed (qemu is invoked explicitly). The lite target's binaries
are static (see toolchain.aarch64_gnu_toolchain); the real-MNN target's runner loads libMNN.so, and
qemu then takes its dynamic loader and libraries from the aarch64 sysroot (``-L``:
``$QEMU_LD_PREFIX``, else Debian's cross sysroot ``/usr/aarch64-linux-gnu``).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

from ..errors import DeviceError
from ..sandbox import Limits, ProcessResult, run_limited, stage_program
from . import elf
from .base import Device, DeviceFailure

QEMU = "qemu-aarch64-static"
TIMING_REASON = "emulated timings are not meaningful"
# qemu's own translator and code cache live in the same address space as the guest program
QEMU_MEMORY_OVERHEAD_MB = 512
SYSROOT = "/usr/aarch64-linux-gnu"


class QemuDevice(Device):
    name = "qemu-aarch64"
    arch = "aarch64"
    platform = "linux"
    timing_reason = TIMING_REASON

    def __init__(self, qemu: str | None = None) -> None:
        self._wanted = qemu or os.environ.get("MK_QEMU_AARCH64") or QEMU
        self._qemu: str | None = None

    def qemu(self) -> str:
        if self._qemu is None:
            path = shutil.which(self._wanted)
            if path is None:
                raise DeviceError(f"qemu-aarch64 device: {self._wanted!r} not found on PATH "
                                  "(apt-get install qemu-user-static)")
            self._qemu = path
        return self._qemu

    def check(self) -> None:
        self.qemu()

    def run(self, binary: Path, workdir: Path, args: list[str], limits: Limits,
            pass_fds: tuple[int, ...] = ()) -> ProcessResult:
        try:
            qemu = self.qemu()
        except DeviceError as exc:
            return DeviceFailure(None, "", str(exc), 0.0, reason=f"not run: {exc}")
        # qemu runs its own helper thread; the guest's process creation and exec reach the host's
        # seccomp filter as qemu's own system calls and are denied there
        emulated = dataclasses.replace(limits, memory_mb=limits.memory_mb + QEMU_MEMORY_OVERHEAD_MB, cpu=None,
                                       threads=True)
        prefix: list[str] = []
        if elf.needs_loader(binary):
            sysroot = os.environ.get("QEMU_LD_PREFIX") or SYSROOT
            if not os.path.isdir(sysroot):
                return DeviceFailure(None, "", "", 0.0, reason=(
                    f"not run: {binary.name} is dynamically linked and qemu needs an aarch64 sysroot for its "
                    f"loader and libraries: apt-get install g++-aarch64-linux-gnu (gives {SYSROOT}) or set "
                    "QEMU_LD_PREFIX"))
            prefix = ["-L", sysroot]
            emulated = dataclasses.replace(emulated, readable=(*emulated.readable, sysroot))
        program = stage_program(binary, workdir)
        return run_limited([qemu, *prefix, f"./{program.name}", *args], cwd=workdir, limits=emulated,
                           pass_fds=pass_fds)

    def describe(self) -> dict[str, str]:
        return {"device": self.name, "arch": "aarch64", "emulator": self._qemu or self._wanted}
