"""Feed samples measured outside Python (by the runner, on a device) into pytest-benchmark.

pytest-benchmark times Python callables and switches itself off under xdist; it has no public
way to accept durations measured elsewhere. The controller therefore appends one
``pytest_benchmark.stats.Metadata`` per arm (kernel, mnn, torch) of every timed task to the
benchmark session, which then writes ``--benchmark-json``, ``--benchmark-save`` and runs
``--benchmark-compare(-fail)`` as usual, also under ``-n 4``. This touches pytest-benchmark's
``config._benchmarksession`` (pinned to 5.3.x in pyproject; tests/test_benchjson.py guards it).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest


def benchmark_session(config: pytest.Config) -> Any | None:
    bs = getattr(config, "_benchmarksession", None)
    if bs is None or config.getoption("benchmark_disable", False) or config.getoption("benchmark_skip", False):
        return None
    return bs


def add_arm(config: pytest.Config, nodeid: str, task: str, arm: str, blocks: list[list[int]],
            extra_info: dict[str, Any]) -> bool:
    bs = benchmark_session(config)
    if bs is None:
        return False
    from pytest_benchmark.stats import Metadata

    fixture = SimpleNamespace(
        name=f"{task}[{arm}]", fullname=f"{nodeid}[{arm}]", group=task, param=arm, params={"arm": arm},
        extra_info={**extra_info, "arm": arm, "blocks": len(blocks)}, cprofile_stats=None, has_error=False)
    meta = Metadata(fixture, iterations=1, options={
        "timer": "steady_clock (runner)" if arm == "kernel" else "perf_counter_ns", "disable_gc": False,
        "min_rounds": sum(len(b) for b in blocks), "max_time": 0, "min_time": 0, "warmup": True})
    for block in blocks:
        for ns in block:
            meta.stats.update(ns / 1e9)
    bs.benchmarks.append(meta)
    return True
