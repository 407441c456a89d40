"""What a run keeps in ``config.stash`` (set in plugin.pytest_configure), and the evaluator built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .config import Settings
from .evaluation import Evaluator

SETTINGS = pytest.StashKey[Settings]()
EVALUATOR = pytest.StashKey[Evaluator]()
TASKS_DIR = pytest.StashKey[Path]()
SESSION_ID = pytest.StashKey[str]()
RANDOM_SEED = pytest.StashKey[int]()  # the source of every 'random' in --mk-seeds


def get_evaluator(config: pytest.Config) -> Evaluator:
    """This process's evaluator, built on first use (collection alone never builds one)."""
    if EVALUATOR not in config.stash:
        config.stash[EVALUATOR] = Evaluator(config.stash[SETTINGS])
    return config.stash[EVALUATOR]
