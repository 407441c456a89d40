"""qemu-aarch64: runs the aarch64 runner on this machine under ``qemu-aarch64-static`` (user mode).

For checking ARM/NEON kernels without a phone: the compile and correctness stages run as on a
device; timings under emulation say nothing about a real core, so the speed stage skips with the
reason below. binfmt_misc is not needed (qemu is invoked explicitly); the binaries are static
(see toolchain.aarch64_gnu_toolchain), so no aarch64 sysroot is needed either.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..errors import DeviceError
from ..sandbox import Limits, ProcessResult, run_limited
from .base import Device, DeviceFailure

QEMU = "qemu-aarch64-static"
TIMING_REASON = "emulated timings are not meaningful"
# qemu's own translator and code cache live in the same address space as the guest program
QEMU_MEMORY_OVERHEAD_MB = 512


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

    def run(self, binary: Path, workdir: Path, args: list[str], limits: Limits) -> ProcessResult:
        try:
            qemu = self.qemu()
        except DeviceError as exc:
            return DeviceFailure(None, "", str(exc), 0.0, reason=f"not run: {exc}")
        emulated = Limits(wall_seconds=limits.wall_seconds, cpu_seconds=limits.cpu_seconds,
                          memory_mb=limits.memory_mb + QEMU_MEMORY_OVERHEAD_MB,
                          max_open_files=limits.max_open_files, max_file_mb=limits.max_file_mb,
                          isolate_network=limits.isolate_network)
        return run_limited([qemu, str(binary), *args], cwd=workdir, limits=emulated)

    def describe(self) -> dict[str, str]:
        return {"device": self.name, "arch": "aarch64", "emulator": self._qemu or self._wanted}
