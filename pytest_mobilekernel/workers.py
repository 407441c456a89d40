"""Which xdist worker this process is, and what the controller hands every worker.

xdist names its workers ``gw0``, ``gw1``...; the number N decides the device a worker leases and the
CPU its timing lane lives on. The run's session directory and its secret random seed are drawn once,
in the controller, and travel to the workers in ``workerinput``.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import pytest

SESSION_KEY = "mk_session"
RANDOM_SEED_KEY = "mk_random_seed"


def workerinput(config: pytest.Config) -> dict[str, Any] | None:
    """xdist's ``config.workerinput`` in a worker; None in the controller and without xdist."""
    return getattr(config, "workerinput", None) or None


def is_worker(config: pytest.Config) -> bool:
    return workerinput(config) is not None


def worker_index(config: pytest.Config) -> int | None:
    """N of worker ``gwN``; None in the controller and without xdist."""
    wi = workerinput(config)
    if wi is None:
        return None
    return index_of(str(wi["workerid"]))


def index_of(workerid: str) -> int | None:
    """``gw3`` -> 3; None for a name that is not xdist's."""
    number = workerid.removeprefix("gw")
    return int(number) if workerid.startswith("gw") and number.isdigit() else None


def run_identity(config: pytest.Config) -> tuple[str, int]:
    """(session id, random seed): drawn in the controller, received in a worker."""
    wi = workerinput(config)
    if wi is not None:
        return wi[SESSION_KEY], wi[RANDOM_SEED_KEY]
    session_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    return session_id, 4 + int.from_bytes(os.urandom(4), "little") % 10**9


def hand_over(node_workerinput: dict[str, Any], session_id: str, random_seed: int) -> None:
    """In the controller, for each worker xdist starts (``pytest_configure_node``)."""
    node_workerinput[SESSION_KEY] = session_id
    node_workerinput[RANDOM_SEED_KEY] = random_seed
