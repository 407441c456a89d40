"""Feed samples measured outside Python (by the runner, on a device) into pytest-benchmark.

pytest-benchmark times Python callables and switches itself off under xdist; it has no public
way to accept durations measured elsewhere. The controller therefore appends one
``pytest_benchmark.stats.Metadata`` per arm (kernel, mnn, torch) of every timed task to the
benchmark session, which then writes ``--benchmark-json``, ``--benchmark-save`` and runs
``--benchmark-compare(-fail)`` as usual, also under ``-n 4``. This touches pytest-benchmark's
``config._benchmarksession`` (pinned to 5.3.x in pyproject; tests/test_e2e.py and
tests/test_timing.py guard it).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from pytest_benchmark.stats import Stats
from pytest_benchmark.utils import cached_property


class SampleStats(Stats):
    """pytest-benchmark's statistics with the same definitions, the per-sample ones in numpy: its
    ``statistics``-module mean/stdev and Python loops over outliers took ~1 s per million samples at
    the end of every run, where nothing else can overlap them."""

    @cached_property
    def _array(self) -> np.ndarray:
        return np.asarray(self.data, dtype=np.float64)

    @cached_property
    def mean(self) -> float:
        return float(np.mean(self._array))

    @cached_property
    def stddev(self) -> float:
        return float(np.std(self._array, ddof=1)) if len(self.data) > 1 else 0

    @property
    def stddev_outliers(self) -> int:
        a = self._array
        return int(np.count_nonzero((a < self.mean - self.stddev) | (a > self.mean + self.stddev)))

    @property
    def iqr_outliers(self) -> int:
        a = self._array
        return int(np.count_nonzero((a < self.q1 - 1.5 * self.iqr) | (a > self.q3 + 1.5 * self.iqr)))


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
    meta.stats = SampleStats()
    meta.stats.data = [ns / 1e9 for block in blocks for ns in block]
    bs.benchmarks.append(meta)
    return True
