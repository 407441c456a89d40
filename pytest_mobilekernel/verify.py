"""Correctness: candidate outputs against PyTorch reference outputs.

Every output element must satisfy |out - ref| <= atol + rtol * |ref| (NaN only where the
reference is NaN; integers and bools exactly). The runner poisons outputs before each call, so
elements a kernel never writes stay NaN (floats) or invalid (bools) and are counted as unwritten.
The per-output summary is short on purpose: it is what the Debugger reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class OutputCheck:
    index: int
    ok: bool
    shape: list[int]
    dtype: str
    max_abs_err: float = 0.0
    max_rel_err: float = 0.0
    n_bad: int = 0
    n_unwritten: int = 0
    first_bad_index: list[int] | None = None
    first_bad_value: float | None = None
    first_bad_expected: float | None = None
    problem: str = ""

    def summary(self) -> str:
        if self.problem:
            return f"output {self.index}: {self.problem}"
        if self.ok:
            return f"output {self.index}: ok (max abs err {self.max_abs_err:.3g})"
        parts = [f"output {self.index}: {self.n_bad} of {int(np.prod(self.shape))} elements wrong",
                 f"max abs err {self.max_abs_err:.3g}", f"max rel err {self.max_rel_err:.3g}"]
        if self.first_bad_index is not None:
            parts.append(f"first at {tuple(self.first_bad_index)}: got {self.first_bad_value:.6g}, "
                         f"expected {self.first_bad_expected:.6g}")
        if self.n_unwritten:
            parts.append(f"{self.n_unwritten} never written")
        return ", ".join(parts)


@dataclass
class Verdict:
    ok: bool
    trials: int
    outputs: list[OutputCheck] = field(default_factory=list)  # worst trial's checks

    def summary(self) -> str:
        return "; ".join(o.summary() for o in self.outputs if not o.ok) or "all outputs match"

    def as_dict(self) -> dict:
        return {"ok": self.ok, "trials": self.trials, "outputs": [asdict(o) for o in self.outputs]}


def check_output(index: int, got_path: Path, ref_path: Path, atol: float, rtol: float) -> OutputCheck:
    expect = np.load(ref_path)
    if not Path(got_path).exists():
        return OutputCheck(index, False, list(expect.shape), str(expect.dtype), problem="no output file written")
    try:
        got = np.load(got_path)
    except Exception as exc:  # noqa: BLE001 - a truncated file is the kernel's problem
        return OutputCheck(index, False, list(expect.shape), str(expect.dtype), problem=f"unreadable output: {exc}")
    check = OutputCheck(index, True, list(expect.shape), str(expect.dtype))
    if got.shape != expect.shape:
        check.ok, check.problem = False, f"shape {tuple(got.shape)} != expected {tuple(expect.shape)}"
        return check
    if got.dtype != expect.dtype:
        check.ok, check.problem = False, f"dtype {got.dtype} != expected {expect.dtype}"
        return check
    if expect.dtype == bool:
        raw = got.view(np.uint8)
        unwritten = raw > 1
        bad = unwritten | (raw.astype(bool) != expect)
        check.n_unwritten = int(np.count_nonzero(unwritten))
        return _finish(check, bad, raw.astype(np.float64), expect.astype(np.float64))
    g = got.astype(np.float64)
    e = expect.astype(np.float64)
    if np.issubdtype(expect.dtype, np.floating):
        err = np.abs(g - e)
        both_nan = np.isnan(g) & np.isnan(e)
        bad = ~((err <= atol + rtol * np.abs(e)) | both_nan)
        check.n_unwritten = int(np.count_nonzero(np.isnan(g) & ~np.isnan(e)))
    else:
        bad = got != expect
    return _finish(check, bad, g, e)


def _finish(check: OutputCheck, bad: np.ndarray, g: np.ndarray, e: np.ndarray) -> OutputCheck:
    with np.errstate(invalid="ignore", divide="ignore"):
        err = np.abs(g - e)
        finite = np.isfinite(err)
        check.max_abs_err = float(err[finite].max()) if finite.any() else 0.0
        if np.isnan(g).any() and not np.isnan(e).all():
            check.max_abs_err = float("inf") if check.max_abs_err == 0.0 else check.max_abs_err
        rel = err / np.maximum(np.abs(e), 1e-12)
        check.max_rel_err = float(rel[np.isfinite(rel)].max()) if np.isfinite(rel).any() else 0.0
    check.n_bad = int(np.count_nonzero(bad))
    if check.n_bad:
        check.ok = False
        first = np.argwhere(bad)[0]
        check.first_bad_index = [int(i) for i in first]
        check.first_bad_value = float(g[tuple(first)])
        check.first_bad_expected = float(e[tuple(first)])
    return check


def verify_trials(trials: list[tuple[list[Path], list[Path]]], atol: float, rtol: float) -> Verdict:
    """trials: (candidate output files, reference files) per seed; the first failing trial is reported."""
    last: list[OutputCheck] = []
    for got_files, ref_files in trials:
        checks = [check_output(i, g, r, atol, rtol) for i, (g, r) in enumerate(zip(got_files, ref_files))]
        if not all(c.ok for c in checks):
            return Verdict(ok=False, trials=len(trials), outputs=checks)
        last = [c if c.max_abs_err >= p.max_abs_err else p for c, p in zip(checks, last)] if last else checks
    return Verdict(ok=True, trials=len(trials), outputs=last)
