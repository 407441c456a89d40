"""The task's stored reference kernel, built with the same toolchain and timed on the same device:
the fallback on a phone without an MNN runner. Labelled, never counted as fast (it is not MNN)."""

from __future__ import annotations

from .. import timing
from ..kernels import KernelNotFound, kernel_source
from .base import Baseline, Measurement, guarded

REFERENCE_LABEL = "reference"


class ReferenceKernel(Baseline):
    label = "reference-kernel"
    arm_name = "reference"
    title = "the reference kernel"
    mnn = False

    def open(self, m: Measurement) -> timing.Arm | str:
        ev, ref = m.ev, m.ref
        try:
            source = kernel_source(ev.settings.kernels_dir, REFERENCE_LABEL, ref).path
        except KernelNotFound as exc:
            return f"no reference kernel: {exc}"
        build = ev.target.build(source.read_text(), ev.toolchain(), ev.cache)
        if not build.ok:
            return f"reference kernel does not build: {build.message}"
        # generated code like any other: verified like the candidate
        arm = ev.runner_arm(self.arm_name, m.data, build, m.scratch(), ref=ref)
        arm.block = guarded(arm.block, "reference kernel")
        return arm
