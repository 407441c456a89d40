"""The task's stored reference kernel, built with the same toolchain and timed on the same device:
the fallback on a phone without an MNN runner. Labelled, never counted as fast (it is not MNN)."""

from __future__ import annotations

from pathlib import Path

from .. import timing
from .base import Baseline, Measurement, guarded

REFERENCE_LABEL = "reference"


def reference_source(kernels_dir: Path, category: str, name: str) -> Path:
    return kernels_dir / REFERENCE_LABEL / category / name / "kernel.cpp"


class ReferenceKernel(Baseline):
    label = "reference-kernel"
    arm_name = "reference"
    title = "the reference kernel"
    mnn = False

    def open(self, m: Measurement) -> timing.Arm | str:
        ev, ref = m.ev, m.ref
        source = reference_source(ev.settings.kernels_dir, ref.category, ref.name)
        if not source.exists():
            return f"no reference kernel at {source}"
        build = ev.target.build(source.read_text(), ev.toolchain(), ev.cache)
        if not build.ok:
            return f"reference kernel does not build: {build.message}"
        # generated code like any other: verified like the candidate
        arm = ev.runner_arm(self.arm_name, m.data, build, m.scratch(), ref=ref)
        arm.block = guarded(arm.block, "reference kernel")
        return arm
