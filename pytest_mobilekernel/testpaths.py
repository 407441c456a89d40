"""Which paths a run collects when none was given: the tasks directory.

pytest's early argument scan takes the value of a space-separated plugin option
(``--mk-cache-dir /tmp/x``) for a test path and then skips ``testpaths``; choose_args undoes that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .options import VALUE_FLAGS

# Other options whose value is not a test path (pytest's own, xdist's, pytest-benchmark's)
FOREIGN_VALUE_FLAGS = ("-k", "-m", "-n", "-p", "--numprocesses", "--dist", "--junitxml", "--benchmark-json", "-W",
                       "-o", "--rootdir", "--basetemp", "--tb", "-c", "--maxfail", "--deselect", "--ignore")


def choose_args(config: pytest.Config, tasks_dir: Path) -> None:
    """Run ``tasks_dir`` when no test path was given."""
    invocation = [str(a) for a in config.invocation_params.args]
    positional = [a for a in invocation if not a.startswith("-")]
    for flag in (*sorted(VALUE_FLAGS), *FOREIGN_VALUE_FLAGS):
        for i, a in enumerate(invocation[:-1]):
            if a == flag and invocation[i + 1] in positional:
                positional.remove(invocation[i + 1])
    if positional:
        return
    if config.getoption("mk_tasks_dir") or (
        config.args_source == pytest.Config.ArgsSource.INVOCATION_DIR and tasks_dir.is_dir()
    ):
        config.args = [str(tasks_dir)]
