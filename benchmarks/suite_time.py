"""Wall time of the whole offline run (what ``make bench`` runs), cold and warm.

    .venv/bin/python benchmarks/suite_time.py [--workers 2] [--warm 3] [--lanes auto|1] [-- PYTEST ARGS]

Cold: an empty cache directory (every kernel built, every twin converted, every reference
computed); warm: the same directory again (builds, conversions and fixed seeds cached; the random
seed, correctness runs and all timing done afresh). The venv is assumed installed. The user's own
cache is not touched. One line per run, then the median of the warm runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cache: Path, out: Path, args: argparse.Namespace) -> tuple[float, str]:
    # the command `make bench` runs (Makefile), with its own cache and report directories
    argv = [sys.executable, "-m", "pytest", "-n", str(args.workers), "-p", "no:cacheprovider", "--benchmark-quiet",
            f"--mk-cache-dir={cache}", f"--mk-results={out / 'results.json'}", f"--mk-report={out}",
            f"--mk-timing-lanes={args.lanes}", *args.pytest_args]
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    last = (proc.stdout.strip().splitlines() or ["?"])[-1]
    if proc.returncode != 0:
        sys.exit(f"pytest exited {proc.returncode}: {last}\n{proc.stderr[-2000:]}")
    return wall, last


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--warm", type=int, default=3, help="warm runs after the cold one")
    ap.add_argument("--lanes", choices=("auto", "1"), default="auto")
    ap.add_argument("pytest_args", nargs="*")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache, out = Path(tmp) / "cache", Path(tmp) / "out"
        wall, last = run(cache, out, args)
        print(f"cold  {wall:6.1f} s  ({last})", flush=True)
        warm = []
        for i in range(args.warm):
            wall, last = run(cache, out, args)
            warm.append(wall)
            print(f"warm{i + 1} {wall:6.1f} s  ({last})", flush=True)
    if warm:
        print(f"-n {args.workers}, timing lanes {args.lanes}: warm median {statistics.median(warm):.1f} s")


if __name__ == "__main__":
    main()
