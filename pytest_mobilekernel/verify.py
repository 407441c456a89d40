"""Correctness: candidate outputs against PyTorch reference outputs.

Every output element must satisfy |out - ref| <= atol + rtol * |ref| where the reference is
finite; where it is not, the same infinity or NaN exactly (a tolerance around inf would admit any
finite value); integers and bools exactly. The runner poisons outputs before each call, so
elements a kernel never writes stay NaN (floats) or invalid (bools) and are counted as unwritten.
The per-output summary is short on purpose: it is what the Debugger reads.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .errors import TaskError


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


_TRUSTED: dict[str, str] = {}  # reference path -> sha256 recorded when PyTorch made it


class ReferenceTampered(TaskError):
    """A cached reference output is not the file that was made: nothing checked against it counts."""


def file_sha256(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def trust_reference(path: str, sha256: str) -> None:
    """Record the digest a reference had when it was made; ``_reference`` checks it before use."""
    _TRUSTED[str(path)] = sha256


@functools.lru_cache(maxsize=16)
def _reference(path: str, mtime_ns: int) -> np.ndarray:
    # references are read once per block of every timed arm: keep the last few in memory
    want = _TRUSTED.get(path)
    if want is not None and file_sha256(path) != want:
        raise ReferenceTampered(f"the cached reference {path} changed after it was made (sha256 mismatch): "
                                f"delete {os.path.dirname(path)} and run again")
    arr = np.load(path)
    arr.flags.writeable = False
    return arr


def load_output(path: Path | str) -> np.ndarray:
    """A file the runner wrote, read without trusting it: a regular file with one link, never through
    a symlink (which could lead to a reference) nor a FIFO (which would block the harness)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            raise ValueError("not a plain file written by the runner (a link or a special file)")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return np.load(f, allow_pickle=False)
    finally:
        os.close(fd)


def check_output(index: int, got_path: Path, ref_path: Path, atol: float, rtol: float) -> OutputCheck:
    expect = _reference(str(ref_path), os.stat(ref_path).st_mtime_ns)
    if not os.path.lexists(got_path):
        return OutputCheck(index, False, list(expect.shape), str(expect.dtype), problem="no output file written")
    try:
        got = load_output(got_path)
    except Exception as exc:  # noqa: BLE001 - a truncated file is the kernel's problem
        return OutputCheck(index, False, list(expect.shape), str(expect.dtype), problem=f"unreadable output: {exc}")
    return check_arrays(index, got, expect, atol, rtol)


def close_enough(got: np.ndarray, expect: np.ndarray, atol: float, rtol: float) -> np.ndarray:
    """Per element: within atol + rtol*|ref| where the reference is finite; exactly the same inf, and
    NaN only where NaN, where it is not (a tolerance around inf would admit any finite value)."""
    with np.errstate(invalid="ignore", over="ignore"):
        finite = np.isfinite(expect)
        near = np.abs(got - expect) <= atol + rtol * np.abs(expect)
        return np.where(finite, near & np.isfinite(got), (got == expect) | (np.isnan(got) & np.isnan(expect)))


def check_arrays(index: int, got: np.ndarray, expect: np.ndarray, atol: float, rtol: float) -> OutputCheck:
    check = OutputCheck(index, True, list(expect.shape), str(expect.dtype))
    if got.shape != expect.shape:
        check.ok, check.problem = False, f"shape {tuple(got.shape)} != expected {tuple(expect.shape)}"
        return check
    if got.dtype != expect.dtype:
        check.ok, check.problem = False, f"dtype {got.dtype} != expected {expect.dtype}"
        return check
    if expect.dtype == bool:
        raw = got.view(np.uint8)
        if np.array_equal(raw, expect.view(np.uint8)):  # every byte 0/1 and as expected
            return check
        unwritten = raw > 1
        bad = unwritten | (raw.astype(bool) != expect)
        check.n_unwritten = int(np.count_nonzero(unwritten))
        return _finish(check, bad, raw.astype(np.float64), expect.astype(np.float64))
    if np.issubdtype(expect.dtype, np.floating):
        # float32 arithmetic for float32/16 outputs: the tolerances are far above its rounding, and
        # the timed outputs of every block pass through here
        work = np.float64 if expect.dtype == np.float64 else np.float32
        g, e = got.astype(work, copy=False), expect.astype(work, copy=False)
        bad = ~close_enough(g, e, atol, rtol)
        n_bad = int(np.count_nonzero(bad))
        if n_bad == 0:
            check.max_abs_err = _max_abs(g, e)
            return check
        check.n_unwritten = int(np.count_nonzero(np.isnan(g) & ~np.isnan(e)))
        return _finish(check, bad, g.astype(np.float64), e.astype(np.float64))
    if np.array_equal(got, expect):
        return check
    bad = got != expect
    return _finish(check, bad, got.astype(np.float64), expect.astype(np.float64))


def _max_abs(g: np.ndarray, e: np.ndarray) -> float:
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(g - e)
    finite = err[np.isfinite(err)]
    return float(finite.max()) if finite.size else 0.0


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


def sample_ok(trials: list[tuple[list[Path], list[Path]]], atol: float, rtol: float, rng: np.random.Generator,
              n: int = 2048) -> bool:
    """Spot check: ``n`` random elements of every output within tolerance (False on any doubt).

    The timed outputs of most blocks get this instead of ``verify_trials``: a kernel that reuses
    results or skips calls is wrong almost everywhere, and the caller verifies a random share of the
    blocks in full (the kernel cannot tell which).
    """
    for got_files, ref_files in trials:
        for got_path, ref_path in zip(got_files, ref_files):
            try:
                got = load_output(got_path)
            except Exception:  # noqa: BLE001 - missing or truncated: let the full check say what
                return False
            expect = _reference(str(ref_path), os.stat(ref_path).st_mtime_ns)
            if got.shape != expect.shape or got.dtype != expect.dtype:
                return False
            if expect.size == 0:
                continue
            idx = rng.integers(0, expect.size, size=min(n, expect.size))
            g, e = np.asarray(got.reshape(-1)[idx]), expect.reshape(-1)[idx]
            if expect.dtype == bool:
                if not np.array_equal(g.view(np.uint8), e.view(np.uint8)):
                    return False
            elif np.issubdtype(expect.dtype, np.floating):
                if not close_enough(g.astype(np.float64), e.astype(np.float64), atol, rtol).all():
                    return False
            elif not np.array_equal(g, e):
                return False
    return True
