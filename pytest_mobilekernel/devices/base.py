"""The Device interface: where runner binaries execute. One transport per module."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from ..sandbox import LimitedServer, Limits, ProcessResult


@dataclass
class DeviceFailure(ProcessResult):
    """The runner could not be run, or its results not fetched, for a reason of the device
    (gone, wrong ABI, transport error): not the kernel's doing. ``describe()`` is that reason."""

    reason: str = ""

    def describe(self, limits: Limits | None = None) -> str:
        return self.reason

    @property
    def device_error(self) -> str:
        return self.reason


class Device(ABC):
    """Runs a built runner against a prepared work directory and leaves its outputs there."""

    #: "host", "qemu-aarch64", "adb:SERIAL"...
    name: str
    #: the toolchain family whose binaries run here ("host", "aarch64")
    arch: str
    #: the OS of the device ("linux", "android"): picks between the cross g++ and the NDK
    platform: str = "linux"
    #: True where the runner executes on another machine (a phone): baselines must run there too
    remote: bool = False
    #: False where timings mean nothing (emulation): the speed stage then skips with this reason
    timing_reason: str | None = None

    @property
    def can_time(self) -> bool:
        return self.timing_reason is None

    @abstractmethod
    def run(self, binary: Path, workdir: Path, args: list[str], limits: Limits,
            pass_fds: tuple[int, ...] = ()) -> ProcessResult:
        """Execute ``binary args...`` with cwd=workdir; outputs written by it end up in workdir.

        Never raises for what the binary or the device does: a device that cannot run it returns
        a ``DeviceFailure`` whose ``describe()`` says why in one line.
        """

    def serve(self, binary: Path, workdir: Path, args: list[str], limits: Limits,
              pass_fds: tuple[int, ...] = ()) -> LimitedServer | None:
        """Start the runner in serve mode (one process for all timing blocks), or None where this
        device runs one invocation per block."""
        return None

    def check(self) -> None:
        """Raise DeviceError (one line, with the fix) when runner binaries cannot run here."""
        return None

    def check_present(self) -> None:
        """Raise DeviceError when the device is no longer there (asked after a device failure)."""
        return None

    def lock_name(self) -> str:
        """Name of the cross-process lock that serialises timing on this device."""
        return self.name.replace(":", "_").replace("/", "_")

    def describe(self) -> dict[str, str]:
        return {"device": self.name, "arch": self.arch}
