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
from typing import Any

from . import sandbox
from .cache import Cache, content_key
from .devices.base import Device
from .errors import MobileKernelError
from .process_output import last_json_line
from .sandbox import Limits, run_limited
from .targets.lite import build_limits, default_sdk_dir, tmp_env
from .toolchain import Toolchain

Levels = list[tuple[int, float]]  # (working-set bytes, GB/s), ascending sizes


def probe_source() -> Path:
    return default_sdk_dir() / "probes" / "bandwidth.cpp"


def measure(device: Device, tc: Toolchain, cache: Cache, lock: Any, limits: Limits) -> Levels:
    """The device's bandwidth by working-set size (cached per device, toolchain and CPU); ``lock`` is the
    device's (its exclusive side is held while the probe runs), ``limits`` the timing limits (their CPU)."""
    source = probe_source().read_bytes()

    def build(out: Path) -> None:
        (out / "bandwidth.cpp").write_bytes(source)
        proc = run_limited([tc.cxx, *tc.compile_flags, "bandwidth.cpp", "-o", "bandwidth", *tc.link_flags],
                           cwd=out, limits=build_limits(tc), env=tmp_env(out))
        if not proc.ok:
            raise MobileKernelError(f"bandwidth probe does not build with {tc.cxx}: {proc.describe()}")

    binary = cache.get_or_create("probe", content_key("bandwidth-build-v1", source, tc.identity), build)

    def run(out: Path) -> None:
        work = sandbox.make_scratch(prefix="mk-bandwidth-")  # runs as any runner does
        try:
            with lock.exclusive():
                proc = device.run(binary / "bandwidth", work, [], limits)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        levels = _parse(proc.stdout) if proc.ok else None
        if levels is None:
            raise MobileKernelError(f"bandwidth probe failed on {device.name}: {proc.describe()}")
        (out / "levels.json").write_text(json.dumps(levels))

    key = content_key("bandwidth-run-v1", source, tc.identity, device.name, str(limits.cpu))
    entry = cache.get_or_create("bandwidth", key, run)
    return [(int(b), float(g)) for b, g in json.loads((entry / "levels.json").read_text())]


def _parse(stdout: str) -> Levels | None:
    doc = last_json_line(stdout)
    try:
        levels = [(int(b), float(g)) for b, g in doc["levels"]]  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None
    return levels if levels and all(g > 0 for _, g in levels) else None


def ceiling(levels: Levels, nbytes: int) -> tuple[int, float]:
    """The level a working set of ``nbytes`` lives in: the smallest measured size that holds it
    (the largest, DRAM, beyond them all); returns (that size, its GB/s)."""
    for size, gbps in levels:
        if nbytes <= size:
            return size, gbps
    return levels[-1]
