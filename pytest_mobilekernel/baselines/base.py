"""What a baseline is to the speed stage: an arm to time beside the candidate, or why there is none."""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import timing
from ..errors import DeviceLost, MobileKernelError

if TYPE_CHECKING:
    from ..evaluation.evaluator import Evaluator
    from ..tasks import TaskData, TaskRef


class BaselineFailed(MobileKernelError):
    """The baseline arm (not the candidate) failed while timing; the stage goes on without it."""


@dataclass
class Measurement:
    """What a baseline needs to open its arm: the task, the candidate, where to keep its files."""

    ev: Evaluator
    ref: TaskRef
    data: TaskData
    source: str  # the candidate's source (targets that time the op types it registers)
    stack: ExitStack  # scratch dirs and sessions opened for the measurement close with it
    props: dict[str, Any] = field(default_factory=dict)  # the stage's properties (notes go here)

    def scratch(self) -> Path:
        return self.stack.enter_context(self.ev.scratch(self.ref))


class Baseline(ABC):
    label: str  # ``baseline`` in the results: mnn, mnn-tree, mnn-device, reference-kernel, torch
    arm_name: str  # the arm's name in the samples (``mnn`` for every MNN baseline)
    title: str  # how the verdict line names it: "1.20x vs <title>"
    mnn: bool = True  # a speedup over it counts towards fast_p (MNN's own kernel)

    @abstractmethod
    def open(self, m: Measurement) -> timing.Arm | str:
        """The arm, ready to time (set up under the device's shared lock), or one line saying why
        there is none."""

    def after(self, m: Measurement) -> None:  # noqa: B027 - most baselines have nothing to add
        """Notes once the measurement is over (e.g. whether MNN matched PyTorch)."""


def guarded(block: timing.BlockFn, what: str) -> timing.BlockFn:
    """A baseline's block whose failures become BaselineFailed (the candidate's stay as they are)."""

    def block_or_fail(warmup: int, iterations: int) -> timing.Block:
        try:
            return block(warmup, iterations)
        except (BaselineFailed, DeviceLost):
            raise
        except Exception as exc:  # noqa: BLE001 - whatever broke the baseline, the candidate is measured alone
            raise BaselineFailed(f"{what}: {exc}") from None

    return block_or_fail
