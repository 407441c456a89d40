"""A readers-writer lock per device, across processes (xdist workers) on this machine.

Compile and correctness work take the shared side; timing takes the exclusive side, so nothing
else this plugin runs competes for the device's cores, caches and memory bandwidth while a kernel
is timed. flock() gives shared/exclusive locks; a turnstile file keeps a waiting timer from being
starved by a stream of readers (a reader passes the turnstile before taking its shared lock,
the writer holds the turnstile while it waits).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class DeviceLock:
    def __init__(self, lock_dir: Path, name: str) -> None:
        lock_dir.mkdir(parents=True, exist_ok=True)
        self.rw_path = lock_dir / f"{name}.rw"
        self.turnstile_path = lock_dir / f"{name}.turnstile"
        self._local = threading.local()

    def _depth(self) -> int:
        return getattr(self._local, "depth", 0)

    @contextmanager
    def shared(self) -> Iterator[None]:
        if self._depth():  # already inside a lock of this device in this thread
            yield
            return
        with _flocked(self.turnstile_path, fcntl.LOCK_EX):
            pass
        with _flocked(self.rw_path, fcntl.LOCK_SH):
            self._local.depth = 1
            try:
                yield
            finally:
                self._local.depth = 0

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        if self._depth():
            raise RuntimeError("timing requested while this process holds the device's shared lock")
        with _flocked(self.turnstile_path, fcntl.LOCK_EX):
            rw = os.open(self.rw_path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(rw, fcntl.LOCK_EX)
        self._local.depth = 1
        try:
            yield
        finally:
            self._local.depth = 0
            fcntl.flock(rw, fcntl.LOCK_UN)
            os.close(rw)


@contextmanager
def _flocked(path: Path, mode: int) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, mode)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
