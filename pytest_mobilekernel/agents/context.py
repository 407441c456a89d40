"""What an agent may ask of the pipeline while it writes a kernel (the Evaluator provides it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..targets.base import Target
    from ..tasks import TaskData, TaskRef


class AgentContext(Protocol):
    """The agents' view of the pipeline: the task's data, the framework it targets, and a way to
    build, check and time a candidate (returning the Feedback the Debugger and Accelerator read)."""

    target: Target

    def task_data(self, ref: TaskRef) -> TaskData: ...

    def try_source(self, ref: TaskRef, source: str, time_it: bool = True) -> Any: ...
