"""Which paths a run collects when none was given: the tasks directory.

pytest locates its configuration (rootdir, hence ``testpaths``) before plugins declare their
options, so it takes the value of a space-separated plugin option (``--mk-cache-dir /tmp/x``) for
a test path there, and then collects the invocation directory instead of ``testpaths``. The final
parse knows every option: where it found no test path, choose_args puts the tasks directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def choose_args(config: pytest.Config, tasks_dir: Path) -> None:
    """Run ``tasks_dir`` when no test path was given."""
    if config.args_source == pytest.Config.ArgsSource.ARGS:  # test paths on the command line
        return
    if config.getoption("mk_tasks_dir") or (
        config.args_source == pytest.Config.ArgsSource.INVOCATION_DIR and tasks_dir.is_dir()
    ):
        config.args = [str(tasks_dir)]
