"""The Device interface: where runner binaries execute. One transport per module."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

from ..sandbox import Limits, ProcessResult


class Device(ABC):
    """Runs a built runner against a prepared work directory and leaves its outputs there."""

    #: "host", "qemu-aarch64", "adb:SERIAL"...
    name: str
    #: the toolchain family whose binaries run here ("host", "aarch64")
    arch: str
    #: False where timings mean nothing (emulation): the speed stage then skips with this reason
    timing_reason: str | None = None

    @property
    def can_time(self) -> bool:
        return self.timing_reason is None

    @abstractmethod
    def run(self, binary: Path, workdir: Path, args: list[str], limits: Limits) -> ProcessResult:
        """Execute ``binary args...`` with cwd=workdir; outputs written by it end up in workdir."""

    def lock_name(self) -> str:
        """Name of the cross-process lock that serialises timing on this device."""
        return self.name.replace(":", "_").replace("/", "_")

    def describe(self) -> dict[str, str]:
        return {"device": self.name, "arch": self.arch}
