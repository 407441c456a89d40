"""The measurement protocol, harness side: what makes every timed call a checked call.

Per block the harness draws a nonce the kernel cannot know in advance. The runner gives call ``i``
of the block fresh inputs: each graph input of a floating dtype is mixed in (up to) 64 runs from
the trials' inputs (which trial a chunk comes from: splitmix64 of nonce, call, input and chunk),
smaller or non-float inputs are taken whole from one trial per call, constants stay. No two calls
share inputs, so no result can be reused; the values stay those of the task's own ``get_inputs``.
Before every call the outputs are poisoned; after it they are copied into the retention area, a
memory file the harness maps too. When the block is done the harness stops the runner, reads its
CPU time from the scheduler, picks a secret subset of the block's calls, rebuilds their inputs here,
computes PyTorch's outputs for them and compares. The runner is never told which calls are checked.

This module holds the arithmetic both sides must agree on (``splitmix``, the chunk choice, the
retention layout) and the checks; evaluation/arms drive it.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

CHUNKS = 64  # an input is mixed from up to this many runs (runner.cpp: CHUNKS)
MIN_MIX = 64  # inputs smaller than this (or not floating) are taken whole from one trial
_M = np.uint64
RETENTION_BYTES = 64 << 20  # every call's outputs of one block, at most
CHECKED_CALLS = 2  # calls verified per block, drawn after it ran (plus the block's last call)


def splitmix(x: np.ndarray) -> np.ndarray:
    """splitmix64 on uint64 arrays (wrapping arithmetic, as in C)."""
    with np.errstate(over="ignore"):
        x = x + _M(0x9E3779B97F4A7C15)
        x = (x ^ (x >> _M(30))) * _M(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> _M(27))) * _M(0x94D049BB133111EB)
        return x ^ (x >> _M(31))


def call_key(nonce: int, call: int) -> np.uint64:
    with np.errstate(over="ignore"):
        inner = splitmix(np.array([call], dtype=np.uint64) + _M(0x5851F42D4C957F2D))
        return splitmix(np.array([nonce], dtype=np.uint64) ^ inner)[0]


def feeds(input_sources: list[str | None], inputs: list[Any], graph_fed: bool, fixed: set[int] = frozenset(),
          mix: bool = True) -> list[dict[str, Any] | None]:
    """How each runner input is fed to timed calls: {"const": True}, {"mix": g} or {"pick": g}.

    ``input_sources``: per runner input, "graph:G", a constant's name, or None (absent). ``fixed``:
    graph inputs equal in every trial (axes, repeats, shapes: what MNN knows at resize time), fed
    as constants. A graph input feeding two runner inputs is mixed the same way for both (the key is
    G, not the input). ``mix=False``: whole trials only (tasks whose output shapes follow values)."""
    out: list[dict[str, Any] | None] = []
    for k, desc in enumerate(inputs):
        src = f"graph:{k}" if graph_fed else input_sources[k]
        if desc is None or src is None:
            out.append(None)
        elif not src.startswith("graph:") or int(src.split(":", 1)[1]) in fixed:
            out.append({"const": True})
        else:
            g = int(src.split(":", 1)[1])
            floating = np.issubdtype(np.dtype(desc.dtype), np.floating)
            mixed = mix and floating and int(np.prod(desc.shape)) >= MIN_MIX
            out.append({"mix": g} if mixed else {"pick": g})
    return out


def fixed_inputs(bases: list[list[np.ndarray]]) -> set[int]:
    """Graph inputs whose value is the same in every trial."""
    return {g for g in range(len(bases[0])) if all(np.array_equal(b[g], bases[0][g]) for b in bases[1:])}


def picked_trial(nonce: int, call: int, sets: int) -> int:
    key = call_key(nonce, call)
    return int(splitmix(np.array([key ^ _M(0xFFFFFFFFFFFF)], dtype=np.uint64))[0] % _M(sets))


def graph_feeds(runner_feeds: list[dict[str, Any] | None], n_graph: int) -> dict[int, str]:
    """graph input -> "mix" | "pick" (graph inputs no runner input uses are picked)."""
    kinds = {g: "pick" for g in range(n_graph)}
    for feed in runner_feeds:
        if feed and "mix" in feed:
            kinds[int(feed["mix"])] = "mix"
    return kinds


def call_inputs(bases: list[list[np.ndarray]], kinds: dict[int, str], nonce: int, call: int) -> list[np.ndarray]:
    """The graph inputs of call ``call`` of block ``nonce`` (``bases[t][g]``: trial t's graph input g)."""
    key = call_key(nonce, call)
    sets = len(bases)
    picked = picked_trial(nonce, call, sets)
    out = []
    for g in range(len(bases[0])):
        if kinds.get(g) != "mix":
            out.append(bases[picked][g])
            continue
        flat = [b[g].reshape(-1) for b in bases]
        n = flat[0].size
        chunk = (n + CHUNKS - 1) // CHUNKS
        chunks = np.arange((n + chunk - 1) // chunk, dtype=np.uint64)
        with np.errstate(over="ignore"):
            choice = (splitmix(key ^ splitmix(_M(g << 40) ^ chunks)) % _M(sets)).astype(np.intp)
        mixed = np.concatenate([flat[t][c * chunk:(c + 1) * chunk] for c, t in enumerate(choice)])
        out.append(mixed.reshape(bases[0][g].shape))
    return out


@dataclass
class Layout:
    """Where each output of a call sits in the retention area (runner.cpp: slotBytes)."""

    shapes: list[list[int]]
    dtypes: list[str]

    @property
    def sizes(self) -> list[int]:
        return [int(np.prod(s)) * np.dtype(d).itemsize for s, d in zip(self.shapes, self.dtypes)]

    @property
    def slot_bytes(self) -> int:
        return sum((size + 63) // 64 * 64 for size in self.sizes)

    def max_calls(self, capacity: int = RETENTION_BYTES) -> int:
        return max(1, capacity // max(self.slot_bytes, 1))

    def outputs(self, area: Any, call: int) -> list[np.ndarray]:
        offset = call * self.slot_bytes
        out = []
        for shape, dtype, size in zip(self.shapes, self.dtypes, self.sizes):
            out.append(np.frombuffer(area, dtype=np.dtype(dtype), count=int(np.prod(shape)),
                                     offset=offset).reshape(shape).copy())
            offset += (size + 63) // 64 * 64
        return out


class Retention:
    """A memory file the runner writes every call's outputs into and the harness reads."""

    def __init__(self, nbytes: int) -> None:
        self.nbytes = max(nbytes, 4096)
        self.fd = os.memfd_create("mk-retention", 0)  # inherited by the runner (no CLOEXEC)
        os.ftruncate(self.fd, self.nbytes)
        self.area = mmap.mmap(self.fd, self.nbytes, mmap.MAP_SHARED, mmap.PROT_READ)

    def close(self) -> None:
        self.area.close()
        os.close(self.fd)


def choose_calls(rng: np.random.Generator, calls: int, k: int = CHECKED_CALLS) -> list[int]:
    """The calls to verify, drawn after the block ran; the last call always (nothing after it)."""
    picked = set(rng.choice(calls, size=min(k, calls), replace=False).tolist()) if calls else set()
    picked.add(calls - 1)
    return sorted(picked)
