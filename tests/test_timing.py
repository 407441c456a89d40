from __future__ import annotations

import numpy as np
import pytest

from pytest_mobilekernel import timing


def _arm(name: str, blocks: list[list[float]], **kw) -> timing.Arm:
    arm = timing.Arm(name, lambda w, n: timing.Block([], n), **kw)
    arm.blocks = [timing.Block([int(x) for x in b], len(b)) for b in blocks]
    return arm


def test_speedup_is_paired_and_robust_to_one_bad_block() -> None:
    rng = np.random.default_rng(0)
    base, cand = [], []
    for k in range(7):
        drift = 1.0 + 0.1 * k  # the machine slows down over the run: both arms see it
        base.append(list(200 * drift + rng.exponential(5, 100)))
        cand.append(list(100 * drift + rng.exponential(2.5, 100)))
    cand[3] = [x * 5 for x in cand[3]]  # one disturbed block
    b, c = _arm("mnn", base), _arm("kernel", cand)
    assert timing.speedup(b, c) == pytest.approx(2.0, rel=0.05)
    lo, hi = timing.speedup_ci(b, c)
    assert lo <= timing.speedup(b, c) <= hi and hi - lo < 0.2  # one bad block does not widen it much
    result = timing.compare(c, b)
    assert result.speedup == timing.speedup(b, c) and (result.ci_low, result.ci_high) == (lo, hi)


def test_bootstrap_interval_covers_the_median_and_shrinks_with_agreement() -> None:
    assert timing.bootstrap_ci(np.array([1.0] * 5)) == (1.0, 1.0)
    wide = timing.bootstrap_ci(np.array([0.8, 0.9, 1.0, 1.1, 1.2]))
    narrow = timing.bootstrap_ci(np.array([0.99, 0.995, 1.0, 1.005, 1.01]))
    assert wide[0] <= 1.0 <= wide[1] and narrow[0] <= 1.0 <= narrow[1]
    assert narrow[1] - narrow[0] < wide[1] - wide[0]
    assert timing.bootstrap_ci(np.array([2.0, 2.1, 2.05, 1.95, 2.02]))[0] > 1.5  # significantly faster


def test_block_statistic_is_lower_tail() -> None:
    samples = [100] * 90 + [1000] * 10
    assert timing.block_statistic(samples) == 100
    assert timing.latency_ns(_arm("a", [[100] * 10, [300] * 10, [200] * 10])) == 200


def test_interleave_alternates_order_and_calibrates() -> None:
    calls: list[str] = []

    def arm(name: str, ns: int):
        def block(warmup: int, iterations: int) -> timing.Block:
            calls.append(name)
            return timing.Block([ns] * iterations, iterations)
        return block

    a, b = timing.Arm("a", arm("a", 1000)), timing.Arm("b", arm("b", 100000))
    timing.interleave([a, b], blocks=4, block_ms=1.0)
    assert calls[4:] == ["a", "b", "b", "a", "a", "b", "b", "a"]  # after two calibration calls each
    assert a.iterations == 1000 and b.iterations == 10  # ~1 ms per block
    assert len(a.blocks) == 4 and len(a.blocks[0].samples) == 1000


def _runner(samples_ns: float, cpu_ns: float, protocol_ns: float, wall_ns: float | None = None,
            n: int = 100, blocks: int = 5) -> timing.Arm:
    arm = timing.Arm("kernel", lambda w, k: timing.Block([], k), runner=True)
    arm.null = timing.Arm("kernel-protocol", lambda w, k: timing.Block([], k), runner=True)
    for _ in range(blocks):
        total = (cpu_ns + protocol_ns) * n
        arm.blocks.append(timing.Block([int(samples_ns)] * n, n, int(total), int(wall_ns * n if wall_ns else total)))
        arm.null.blocks.append(timing.Block([0] * n, n, int(protocol_ns * n), int(protocol_ns * n)))
    return arm


def test_clock_check_has_no_size_floor() -> None:
    # honest: the samples are the kernel's share of the CPU the scheduler accounted
    assert timing.clock_check(_runner(100_000, 110_000, 20_000)) == ""
    assert timing.clock_check(_runner(1_200, 1_500, 4_000)) == ""
    # a forged clock on a slow kernel and on a 10 us one: both caught
    assert "forged" in timing.clock_check(_runner(60, 60_000, 20_000))
    assert "forged" in timing.clock_check(_runner(100, 10_000, 2_000))
    # samples that add up to more than the block lasted
    assert "which lasted" in timing.clock_check(_runner(50_000, 10_000, 1_000, wall_ns=20_000))
    # baselines timed by the harness are not checked
    assert timing.clock_check(_arm("mnn", [[1] * 10])) == ""


@pytest.mark.parametrize("n", [1, 2, 7, 10, 2401])
def test_sample_stats_match_pytest_benchmark(n: int) -> None:
    """The numpy statistics fed to pytest-benchmark are its own definitions, to rounding."""
    from pytest_benchmark.stats import Stats

    from pytest_mobilekernel.reporting.benchmark_samples import SampleStats

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
    from pytest_mobilekernel.config import Settings
    from pytest_mobilekernel.evaluation import Evaluator

    ev = Evaluator(Settings(kernels_dir=tmp_path, cache_dir=mk_cache, session_dir=tmp_path / "s"))
    def measure() -> roofline.Levels:
        return roofline.measure(ev.device, ev.toolchain(), ev.cache, ev.lock, ev.timing_limits)

    levels = measure()
    sizes = [s for s, _ in levels]
    assert sizes == sorted(sizes) and sizes[0] <= 64 << 10 and sizes[-1] >= 64 << 20  # L1 .. DRAM
    assert all(0.1 < g < 10_000 for _, g in levels), levels
    runs = list((mk_cache / "bandwidth").rglob("levels.json"))
    assert measure() == levels and list((mk_cache / "bandwidth").rglob("levels.json")) == runs
    assert roofline.ceiling(levels, 1) == levels[0]
    assert roofline.ceiling(levels, sizes[1]) == levels[1] and roofline.ceiling(levels, sizes[1] + 1) == levels[2]
    assert roofline.ceiling(levels, 1 << 40) == levels[-1]
    assert roofline._parse('noise\n{"levels": [[1024, 3.5]]}\n') == [(1024, 3.5)]
    assert roofline._parse('{"levels": [[1024, 0]]}') is None and roofline._parse("crashed") is None
