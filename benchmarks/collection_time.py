"""Collection time for a suite of 190 task files (copies of the shipped ones), in a child pytest.

    .venv/bin/python benchmarks/collection_time.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(n: int = 190) -> None:
    shipped = sorted((ROOT / "bench_tasks").glob("*/*.py"))
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            src = shipped[i % len(shipped)]
            dst = Path(tmp) / src.parent.name / f"{src.stem}_{i:03d}.py"
            dst.parent.mkdir(exist_ok=True)
            shutil.copy(src, dst)
        cmd = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", f"--mk-tasks-dir={tmp}"]
        subprocess.run(cmd, cwd=tmp, capture_output=True)  # warm the filesystem and imports
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            out = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True).stdout
            times.append(time.perf_counter() - t0)
        print(out.strip().splitlines()[-1])
        print(f"collection of {n} tasks ({3 * n} items): best {min(times):.2f} s of 3 runs, whole pytest process")


if __name__ == "__main__":
    main()
