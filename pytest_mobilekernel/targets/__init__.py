"""Target registry (``--target``): today the embedded SDK; the real MNN tree comes as another module."""

from __future__ import annotations

from ..errors import MobileKernelError
from .base import BuildResult, RunPlan, Target, TensorDesc
from .lite import LiteTarget

__all__ = ["BuildResult", "RunPlan", "Target", "TensorDesc", "LiteTarget", "get_target", "TARGETS"]

TARGETS = {"lite": LiteTarget}


def get_target(name: str) -> Target:
    cls = TARGETS.get(name)
    if cls is None:
        raise MobileKernelError(f"unknown target {name!r}: known targets are {', '.join(sorted(TARGETS))}")
    return cls()
