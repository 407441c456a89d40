"""The machine running pytest: runner binaries execute directly, under the sandbox's limits."""

from __future__ import annotations

import platform
from pathlib import Path

from ..sandbox import LimitedServer, Limits, ProcessResult, run_limited, stage_program
from .base import Device


class HostDevice(Device):
    name = "host"

    def __init__(self) -> None:
        self.arch = "host"

    def run(self, binary: Path, workdir: Path, args: list[str], limits: Limits,
            pass_fds: tuple[int, ...] = ()) -> ProcessResult:
        # the sandbox uid cannot reach into the cache: the runner runs from its scratch dir
        return run_limited([str(stage_program(binary, workdir)), *args], cwd=workdir, limits=limits,
                           pass_fds=pass_fds)

    def serve(self, binary: Path, workdir: Path, args: list[str], limits: Limits,
              pass_fds: tuple[int, ...] = ()) -> LimitedServer | None:
        return LimitedServer([str(stage_program(binary, workdir)), *args], cwd=workdir, limits=limits,
                             pass_fds=pass_fds)

    def describe(self) -> dict[str, str]:
        return {"device": self.name, "arch": platform.machine()}
