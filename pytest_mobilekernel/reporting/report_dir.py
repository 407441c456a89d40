"""``--mk-report DIR``: results.json, report.md and PNG plots, for people."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from .markdown import markdown
from .metrics import TaskOutcome
from .plots import plots


def write(directory: Path, outcomes: list[TaskOutcome], run: dict[str, Any], results_file: Path,
          machine: dict[str, Any]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    if results_file.exists():
        target = directory / "results.json"
        if not (target.exists() and target.samefile(results_file)):  # make bench writes it there already
            shutil.copy(results_file, target)
        written.append(target)
    written += plots(directory, outcomes)
    md = directory / "report.md"
    md.write_text(markdown(outcomes, run, machine, [p.name for p in written if p.suffix == ".png"]))
    written.append(md)
    return written
