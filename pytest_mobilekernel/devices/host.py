"""The machine running pytest: runner binaries execute directly, under the sandbox's limits."""

from __future__ import annotations

import platform
from pathlib import Path

from ..sandbox import LimitedServer, Limits, ProcessResult, run_limited
from .base import Device


class HostDevice(Device):
    name = "host"

    def __init__(self) -> None:
        self.arch = "host"

    def run(self, binary: Path, workdir: Path, args: list[str], limits: Limits) -> ProcessResult:
        return run_limited([str(binary), *args], cwd=workdir, limits=limits)

    def serve(self, binary: Path, workdir: Path, args: list[str], limits: Limits) -> LimitedServer | None:
        return LimitedServer([str(binary), *args], cwd=workdir, limits=limits)

    def describe(self) -> dict[str, str]:
        return {"device": self.name, "arch": platform.machine()}
