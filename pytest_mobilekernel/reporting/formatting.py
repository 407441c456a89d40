"""How a number is written for people (the terminal and report.md share these, so they agree)."""

from __future__ import annotations

from collections.abc import Sequence


def pct(v: float | None) -> str:
    """A share as a percentage; ``n/a`` when the stage that decides it did not run."""
    return "n/a" if v is None else f"{100 * v:.1f}%"


def times(v: float | None) -> str:
    """A speedup (``2.00x``); ``-`` when there is none."""
    return "-" if v is None else f"{v:.2f}x"


def micros(v: float | None) -> str:
    """A latency in microseconds; ``-`` when there is none."""
    return "-" if v is None else f"{v:.1f}"


def table(rows: Sequence[Sequence[str]], header: Sequence[str], left: Sequence[int] = (0,)) -> list[str]:
    """A plain-text table: columns in ``left`` are left-aligned (names), the others right-aligned (numbers)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(r: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))

    return [fmt(header), "  ".join("-" * w for w in widths), *[fmt(r) for r in rows]]
