"""Content-addressed cache shared by xdist workers and successive runs.

Every expensive step (task materialisation, kernel build, MNN conversion) is stored under
``<root>/<kind>/<key>/`` where the key hashes everything the result depends on. A file lock per
entry makes concurrent workers wait for the one that computes it instead of computing it again;
an entry is only visible once its ``done`` marker exists, so a killed worker leaves no half entry.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

DONE = ".done"


def default_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pytest-mobilekernel"


def content_key(*parts: bytes | str | Iterable[str]) -> str:
    """sha256 over the parts, each length-prefixed so that ("ab", "c") != ("a", "bc")."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            data = part.encode()
        elif isinstance(part, bytes):
            data = part
        else:
            data = "\0".join(part).encode()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(root: Path, suffixes: tuple[str, ...] = ()) -> str:
    """Hash of every file's relative path and bytes below root (sorted, so stable)."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if suffixes and path.suffix not in suffixes:
            continue
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        # references, verdicts and builds are the harness's: nobody else (the sandbox uid included)
        # lists or reads them; runners are staged into their scratch dir rather than run from here
        self.root.mkdir(parents=True, exist_ok=True)
        if self.root.stat().st_uid == os.geteuid():
            os.chmod(self.root, 0o700)

    def entry(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    @contextmanager
    def lock(self, kind: str, key: str) -> Iterator[Path]:
        path = self.entry(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path) + ".lock"):
            yield path

    def get_or_create(self, kind: str, key: str, create: Callable[[Path], None]) -> Path:
        """Return the entry's directory, calling ``create(tmpdir)`` once across all processes."""
        path = self.entry(kind, key)
        if (path / DONE).exists():
            return path
        with self.lock(kind, key):
            if (path / DONE).exists():
                return path
            tmp = path.with_name(path.name + f".tmp{os.getpid()}")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            try:
                create(tmp)
                (tmp / DONE).touch()
                shutil.rmtree(path, ignore_errors=True)
                os.replace(tmp, path)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        return path
