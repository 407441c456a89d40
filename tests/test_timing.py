from __future__ import annotations

import numpy as np
import pytest

from pytest_mobilekernel import timing


def test_speedup_is_paired_and_robust_to_one_bad_block() -> None:
    rng = np.random.default_rng(0)
    base, cand = [], []
    for k in range(7):
        drift = 1.0 + 0.1 * k  # the machine slows down over the run: both arms see it
        base.append(list(200 * drift + rng.exponential(5, 100)))
        cand.append(list(100 * drift + rng.exponential(2.5, 100)))
    cand[3] = [x * 5 for x in cand[3]]  # one disturbed block
    assert timing.speedup(base, cand) == pytest.approx(2.0, rel=0.05)
    q1, q3 = timing.ratio_spread(base, cand)
    assert q1 <= timing.speedup(base, cand) <= q3


def test_block_statistic_is_lower_tail() -> None:
    samples = [100] * 90 + [1000] * 10
    assert timing.block_statistic(samples) == 100
    assert timing.latency_ns([[100] * 10, [300] * 10, [200] * 10]) == 200


def test_interleave_alternates_order_and_calibrates() -> None:
    calls: list[str] = []

    def arm(name: str, ns: int):
        def block(warmup: int, iterations: int) -> list[int]:
            calls.append(name)
            return [ns] * iterations
        return block

    a, b = timing.Arm("a", arm("a", 1000)), timing.Arm("b", arm("b", 100000))
    timing.interleave([a, b], blocks=4, block_ms=1.0)
    assert calls[2:] == ["a", "b", "b", "a", "a", "b", "b", "a"]  # after one calibration call each
    assert a.iterations == 1000 and b.iterations == 10  # ~1 ms per block
    assert len(a.blocks) == 4 and len(a.blocks[0]) == 1000


@pytest.mark.parametrize("n", [1, 2, 7, 10, 2401])
def test_sample_stats_match_pytest_benchmark(n: int) -> None:
    """The numpy statistics fed to pytest-benchmark are its own definitions, to rounding."""
    from pytest_benchmark.stats import Stats

    from pytest_mobilekernel.benchjson import SampleStats

    rng = np.random.default_rng(n)
    data = list(rng.lognormal(-11, 0.5, n))  # seconds, skewed like latencies
    ours, theirs = SampleStats(), Stats()
    ours.data, theirs.data = list(data), list(data)
    a, b = theirs.as_dict(), ours.as_dict()
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], float):
            assert b[key] == pytest.approx(a[key], rel=1e-12, abs=0), key
        else:
            assert b[key] == a[key], key


def test_roofline_measures_the_device_once_and_maps_working_sets(tmp_path, mk_cache) -> None:
    from pytest_mobilekernel import roofline
    from pytest_mobilekernel.evaluation import Evaluator, Settings

    ev = Evaluator(Settings(kernels_dir=tmp_path, cache_dir=mk_cache, session_dir=tmp_path / "s"))
    levels = roofline.measure(ev)
    sizes = [s for s, _ in levels]
    assert sizes == sorted(sizes) and sizes[0] <= 64 << 10 and sizes[-1] >= 64 << 20  # L1 .. DRAM
    assert all(0.1 < g < 10_000 for _, g in levels), levels
    runs = list((mk_cache / "bandwidth").rglob("levels.json"))
    assert roofline.measure(ev) == levels and list((mk_cache / "bandwidth").rglob("levels.json")) == runs
    assert roofline.ceiling(levels, 1) == levels[0]
    assert roofline.ceiling(levels, sizes[1]) == levels[1] and roofline.ceiling(levels, sizes[1] + 1) == levels[2]
    assert roofline.ceiling(levels, 1 << 40) == levels[-1]
    assert roofline._parse('noise\n{"levels": [[1024, 3.5]]}\n') == [(1024, 3.5)]
    assert roofline._parse('{"levels": [[1024, 0]]}') is None and roofline._parse("crashed") is None
