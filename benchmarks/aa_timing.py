"""A/A timing: each stored kernel timed against itself, and MNN against itself, with the same
interleaved protocol as the speed stage. Any ratio away from 1.0 is measurement noise.

    .venv/bin/python benchmarks/aa_timing.py [--kernels-label reference] [--blocks 5] [--block-ms 10] [-k NAME]
        [--lanes N]

``--lanes 2`` measures as ``make bench`` does under ``-n 2``: one process per CPU, each pinned to its
CPU and timing its share of the tasks while the other times its own. Last line:
``A/A: <n> tasks, p95 |ratio-1| = <x>%``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from pytest_mobilekernel import timing
from pytest_mobilekernel.baselines import mnn
from pytest_mobilekernel.config import Settings
from pytest_mobilekernel.evaluation import Evaluator
from pytest_mobilekernel.tasks import discover

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:  # noqa: C901 - a script: options, then one loop
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernels-label", default="reference")
    ap.add_argument("--blocks", type=int, default=Settings.blocks)
    ap.add_argument("--block-ms", type=float, default=Settings.block_ms)
    ap.add_argument("-k", default="")
    ap.add_argument("--cache-dir", default=None)
    ap.add_argument("--lanes", type=int, default=1, help="processes timing concurrently, one per CPU")
    ap.add_argument("--verbose", action="store_true", help="per arm: the figure, the CPU bound, the protocol cost")
    ap.add_argument("--dump", default=None, help="write every pair's per-block figures to this JSON file")
    ap.add_argument("--shard", default="0/1", help=argparse.SUPPRESS)  # i/n: this process's share (lanes)
    ap.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.lanes > 1:
        return run_lanes(args)
    index, count = (int(x) for x in args.shard.split("/"))
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = Path(args.cache_dir) if args.cache_dir else Path(tmp) / "cache"
        lanes = count > 1
        ev = Evaluator(Settings(kernels_dir=ROOT / "kernels_generated", cache_dir=cache_dir,
                                session_dir=Path(tmp) / "session", label=args.kernels_label,
                                worker_index=index if lanes else None))
        deviations: list[float] = []
        covered: list[bool] = []  # does the 95 % interval of the A/A speedup contain 1.0?
        dumped: list[dict] = []
        n_tasks = 0
        print(f"{'task':32s} {'kernel A/A':>10s} {'95% CI':>15s} {'MNN A/A':>10s}")
        refs = [r for r in discover(ROOT / "bench_tasks") if not args.k or args.k in r.id]
        for ref in refs[index::count]:
            try:
                data = ev.task_data(ref)
                _, build = ev.build(ref)
            except Exception as exc:  # noqa: BLE001 - a benchmark script reports and goes on
                print(f"{ref.id:32s} skipped: {exc}")
                continue
            if not build.ok:
                print(f"{ref.id:32s} skipped: {build.message}")
                continue
            with ev.scratch(ref) as wa, ev.scratch(ref) as wb:
                a = ev.runner_arm("a", data, build, wa, ref=ref)
                b = ev.runner_arm("b", data, build, wb, ref=ref)
                arms = [a, b, *(n for n in (a.null, b.null) if n)]
                conv = mnn.convert(data, ev.cache)
                sessions = []
                if conv.ok:
                    try:
                        for name in ("mnn_a", "mnn_b"):
                            s = mnn.open_session(data, conv.model, ev.timing_cpu)  # type: ignore[arg-type]
                            s.load(data.trials[0].graph_inputs)
                            sessions.append(s)
                            arms.append(timing.Arm(name, timing.sampled(s.time)))
                    except mnn.MNNUnavailable:
                        arms = [x for x in arms if not x.name.startswith("mnn")]
                try:
                    with ev.lock.shared():
                        timing.start(arms)
                    with ev.lock.exclusive():
                        timing.interleave(arms, args.blocks, args.block_ms)
                except Exception as exc:  # noqa: BLE001 - a benchmark script reports and goes on
                    print(f"{ref.id:32s} failed: {str(exc)[:120]}")
                    continue
                finally:
                    for s in sessions:
                        s.close()
            by = {x.name: x for x in arms}
            figures = {x.name: timing.figures(x) for x in arms if not x.name.endswith("protocol")}
            dumped.append({"task": ref.id, **figures,
                           "clock": {x.name: timing.clock_check(x) for x in (by["a"], by["b"])}})
            r = timing.speedup(by["a"], by["b"])
            lo, hi = timing.speedup_ci(by["a"], by["b"])
            deviations.append(abs(r - 1))
            covered.append(lo <= 1.0 <= hi)
            n_tasks += 1
            line = f"{ref.id:32s} {r:10.4f} {f'[{lo:.3f}, {hi:.3f}]':>15s}"
            if args.verbose:
                for x in (by["a"], by["b"]):
                    cmp = timing.compare(x, None)
                    line += f"  [{x.name}: p10 {cmp.latency_us:.3f} cpu {cmp.cpu_us or 0:.3f} protocol "
                    line += f"{cmp.protocol_us or 0:.3f} us {cmp.clock or 'clock ok'}]"
            if "mnn_a" in by:
                rm = timing.speedup(by["mnn_a"], by["mnn_b"])
                lo_m, hi_m = timing.speedup_ci(by["mnn_a"], by["mnn_b"])
                deviations.append(abs(rm - 1))
                covered.append(lo_m <= 1.0 <= hi_m)
                line += f" {rm:10.4f}"
            print(line, flush=True)
        if args.dump:
            Path(args.dump).write_text(json.dumps(dumped))
        if args.out:
            Path(args.out).write_text(json.dumps({"deviations": deviations, "covered": covered, "tasks": n_tasks}))
        summary(deviations, n_tasks, covered)


def summary(deviations: list[float], n_tasks: int, covered: list[bool]) -> None:
    p95 = float(np.percentile(deviations, 95)) if deviations else float("nan")
    if covered:
        print(f"A/A: 95% intervals containing 1.0: {100 * sum(covered) / len(covered):.1f}% of {len(covered)}")
    print(f"A/A: {len(deviations)} comparisons (kernel and MNN), max |ratio-1| = "
          f"{100 * max(deviations, default=0):.2f}%")
    print(f"A/A: {n_tasks} tasks, p95 |ratio-1| = {100 * p95:.2f}%")


def run_lanes(args: argparse.Namespace) -> None:
    """One process per lane, all timing at once (as make bench's xdist workers do)."""
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for i in range(args.lanes):
            cmd = [sys.executable, __file__, "--kernels-label", args.kernels_label, "--blocks", str(args.blocks),
                   "--block-ms", str(args.block_ms), "-k", args.k, "--shard", f"{i}/{args.lanes}",
                   "--out", f"{tmp}/lane{i}.json"] + (["--cache-dir", args.cache_dir] if args.cache_dir else [])
            procs.append(subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(ROOT)}))
        for p in procs:
            p.wait()
        lanes = [json.loads(Path(f"{tmp}/lane{i}.json").read_text()) for i in range(args.lanes)]
    print(f"lanes: {args.lanes} concurrent timing processes, one per CPU")
    summary([d for lane in lanes for d in lane["deviations"]], sum(lane["tasks"] for lane in lanes),
            [c for lane in lanes for c in lane.get("covered", [])])


if __name__ == "__main__":
    main()
