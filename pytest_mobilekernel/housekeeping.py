"""What the controller tidies before a run: old session directories, and an MNN tree a killed run left."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .cache import Cache
from .config import Settings

KEEP_SESSIONS = 10  # session directories (samples, scratch) kept in the cache


def prune_sessions(root: Path) -> None:
    """Keep the newest KEEP_SESSIONS session directories under ``root``."""
    if not root.exists():
        return
    sessions = sorted(root.iterdir(), key=lambda p: p.stat().st_mtime)
    for old in sessions[:-KEEP_SESSIONS]:
        shutil.rmtree(old, ignore_errors=True)


def recover_mnn_tree(settings: Settings) -> list[str]:
    """--mk-target=mnn: the checkout is valid, and kernels a killed run swapped into it are restored
    from its journal before anything else touches the tree. Returns (and reports) the restored files."""
    from .targets import get_target

    target = get_target("mnn", **settings.target_options.as_kwargs())
    restored: list[str] = target.recover(Cache(settings.cache_dir))  # type: ignore[attr-defined]
    if restored:
        sys.stderr.write("mobilekernel: restored the MNN tree from the journal of an interrupted run: "
                         + ", ".join(restored) + "\n")
    return restored
