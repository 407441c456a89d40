"""Collection: one pytest node per task file, one item per stage (compile, correctness, speed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .errors import MobileKernelError
from .evaluation import STAGES
from .reporting.records import to_properties
from .runstate import get_evaluator
from .tasks import TaskRef, task_ref


class StageFailed(Exception):
    """The stage's verdict is negative; the message is the whole story."""


class TaskFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        ref = task_ref(self.path)
        for stage in STAGES:
            item = StageItem.from_parent(self, name=stage, ref=ref, stage=stage)
            item.add_marker(getattr(pytest.mark, stage))
            yield item


class StageItem(pytest.Item):
    def __init__(self, *, ref: TaskRef, stage: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.ref = ref
        self.stage = stage

    def runtest(self) -> None:
        try:
            result = get_evaluator(self.config).run(self.ref, self.stage)
        except MobileKernelError as exc:
            raise StageFailed(str(exc)) from None
        self.user_properties.extend(to_properties(result))
        if result.status == "failed":
            raise StageFailed(result.message)
        if result.status == "skipped":
            pytest.skip(result.message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, StageFailed):
            return f"{self.ref.id}::{self.stage}: {excinfo.value}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"{self.ref.id}::{self.stage}"
