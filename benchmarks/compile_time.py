"""Compile time per kernel on the lite target (cold cache), and the cached rebuild.

    .venv/bin/python benchmarks/compile_time.py [--kernels-label reference]

Prints one line per kernel and the median; the SDK step (runner object + precompiled header,
once per compiler/flags) is reported apart because every kernel after the first reuses it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pytest_mobilekernel.cache import Cache
from pytest_mobilekernel.kernels import KernelNotFound, kernel_source
from pytest_mobilekernel.targets.lite import LiteTarget
from pytest_mobilekernel.tasks import discover
from pytest_mobilekernel.toolchain import host_toolchain

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernels-label", default="reference")
    args = ap.parse_args()
    kernels: list[tuple[str, Path]] = []
    for ref in discover(ROOT / "bench_tasks"):
        try:
            kernels.append((ref.id, kernel_source(ROOT / "kernels_generated", args.kernels_label, ref).path))
        except KernelNotFound as exc:
            print(exc)
    tc = host_toolchain()
    target = LiteTarget()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Cache(Path(tmp))
        t0 = time.perf_counter()
        target.sdk_artifacts(tc, cache)
        print(f"SDK step (runner.o + PCH, once): {time.perf_counter() - t0:.2f} s  [{tc.identity}]")
        cold, warm = [], []
        seen: dict[str, str] = {}
        for name, k in kernels:
            src = k.read_text()
            if src in seen:  # tasks of one operator may share a kernel: its build is cached, not timed
                print(f"{name:32s} same source as {seen[src]}")
                continue
            seen[src] = name
            t0 = time.perf_counter()
            res = target.build(src, tc, cache)
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            target.build(src, tc, cache)
            warm.append(time.perf_counter() - t0)
            print(f"{name:32s} cold {cold[-1]:6.3f} s  cached {1e3 * warm[-1]:6.2f} ms  {res.message}")
    print(f"compile: {len(cold)} distinct kernels, median cold {statistics.median(cold):.3f} s, "
          f"max {max(cold):.3f} s, median cached {1e3 * statistics.median(warm):.2f} ms")


if __name__ == "__main__":
    main()
