"""The device's memory-bandwidth ceiling: what the Accelerator reads a kernel's GB/s against.

Most tasks move far more bytes than they compute on, so "achieved 12 GB/s" only means something
next to what the device can stream at that working-set size: close to it, the kernel is
memory-bound and only less traffic helps; far below it, the loop itself (vectorisation,
dependencies, branches) is the bottleneck. ``mnn_ext/probes/bandwidth.cpp`` measures single-thread
bandwidth for working sets from L1 to DRAM; it is built with the device's toolchain, run on the
device pinned to the timing CPU with the device held exclusively, and the figures are cached per
device and toolchain (a few hundred ms, once).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from . import sandbox
from .cache import content_key
from .errors import MobileKernelError
from .sandbox import run_limited
from .targets.lite import build_limits, default_sdk_dir, tmp_env

if TYPE_CHECKING:
    from .evaluation import Evaluator

Levels = list[tuple[int, float]]  # (working-set bytes, GB/s), ascending sizes


def probe_source() -> Path:
    return default_sdk_dir() / "probes" / "bandwidth.cpp"


def measure(ev: Evaluator) -> Levels:
    """The device's bandwidth by working-set size (cached per device and toolchain)."""
    tc = ev.toolchain()
    source = probe_source().read_bytes()

    def build(out: Path) -> None:
        (out / "bandwidth.cpp").write_bytes(source)
        proc = run_limited([tc.cxx, *tc.compile_flags, "bandwidth.cpp", "-o", "bandwidth", *tc.link_flags],
                           cwd=out, limits=build_limits(tc), env=tmp_env(out))
        if not proc.ok:
            raise MobileKernelError(f"bandwidth probe does not build with {tc.cxx}: {proc.describe()}")

    binary = ev.cache.get_or_create("probe", content_key("bandwidth-build-v1", source, tc.identity), build)

    def run(out: Path) -> None:
        work = sandbox.make_scratch(prefix="mk-bandwidth-")  # runs as any runner does
        try:
            with ev.lock.exclusive():
                proc = ev.device.run(binary / "bandwidth", work, [], ev.timing_limits)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        levels = _parse(proc.stdout) if proc.ok else None
        if levels is None:
            raise MobileKernelError(f"bandwidth probe failed on {ev.device.name}: {proc.describe()}")
        (out / "levels.json").write_text(json.dumps(levels))

    key = content_key("bandwidth-run-v1", source, tc.identity, ev.device.name, str(ev.timing_cpu))
    entry = ev.cache.get_or_create("bandwidth", key, run)
    return [(int(b), float(g)) for b, g in json.loads((entry / "levels.json").read_text())]


def _parse(stdout: str) -> Levels | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            doc = json.loads(line)
            levels = [(int(b), float(g)) for b, g in doc["levels"]]
        except (ValueError, KeyError, TypeError):
            continue
        return levels if levels and all(g > 0 for _, g in levels) else None
    return None


def ceiling(levels: Levels, nbytes: int) -> tuple[int, float]:
    """The level a working set of ``nbytes`` lives in: the smallest measured size that holds it
    (the largest, DRAM, beyond them all); returns (that size, its GB/s)."""
    for size, gbps in levels:
        if nbytes <= size:
            return size, gbps
    return levels[-1]
