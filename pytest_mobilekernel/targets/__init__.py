"""Target registry (``--target``): the embedded SDK (lite) or a real MNN checkout (mnn)."""

from __future__ import annotations

from typing import Any

from ..errors import MobileKernelError
from .base import AgentView, BuildResult, RunPlan, Target, TensorDesc
from .lite import LiteTarget

__all__ = ["AgentView", "BuildResult", "RunPlan", "Target", "TensorDesc", "LiteTarget", "get_target", "TARGETS"]

TARGETS = ("lite", "mnn")


def get_target(name: str, **options: Any) -> Target:
    """``options``: the --mnn-* settings and the run's ``cache`` (targets ignore what they do not use)."""
    if name == "lite":
        return LiteTarget(static_checks=options.get("static_checks", True))
    if name == "mnn":
        from .mnn import MNNTreeTarget  # filelock, cmake: only when asked for

        return MNNTreeTarget(**options)
    raise MobileKernelError(f"unknown target {name!r}: known targets are {', '.join(TARGETS)}")
