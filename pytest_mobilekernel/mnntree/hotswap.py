"""Swap files of a user's real MNN checkout for one build, and always put them back.

Generated kernels are compiled inside the user's own MNN tree: files of the CPU backend are replaced,
an incremental build runs, the library is copied away and the tree is restored. The tree must end
byte-identical even if this process is SIGKILLed at any moment, so every change to a tree file is
preceded by a durable backup and a journal entry kept outside the tree, and every run first replays
a journal left by a killed run.

state_dir (a cache directory outside the tree) holds:
    tree.lock      inter-process lock, held for a whole swap and for recovery
    journal.json   the files changed (or about to be), replaced atomically on every update
    backups/<n>    byte copies of the originals
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from filelock import FileLock

from ..errors import MobileKernelError

JOURNAL_VERSION = 1
GIT_TIMEOUT_S = 60.0
# Fixed per tree file (not random) so that recovery knows which stray temp file a killed write left behind.
TMP_SUFFIX = ".mk-hotswap.tmp"
FORCE_HINT = "pass --mk-mnn-force"
# Variables a git hook or wrapper may export that would point `git -C root` at another repository or index.
_GIT_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR")

log = logging.getLogger(__name__)


class HotSwapError(MobileKernelError):
    """The MNN tree cannot be modified or restored safely; str() says what and how to fix it."""


def _checkpoint(name: str) -> None:
    """A step boundary. Deliberately empty: tests replace it to kill the process exactly here."""


class Swap:
    """What the body of TreeSwap.swapped() gets: the tree and a way to change one more file."""

    def __init__(self, tree: TreeSwap) -> None:
        self._tree = tree
        self._open = True
        self.root: Path = tree.root
        self.changed: list[str] = []

    def write(self, relpath: str, content: bytes) -> None:
        """Back up and journal relpath first (same rules as the initial files), then write it."""
        if not self._open:
            raise HotSwapError(f"cannot write {relpath} into the MNN tree: its swap has ended; "
                               "call write() inside the `with swapped(...)` block")
        self._note(self._tree._write(relpath, content, check_dirty=True))

    def _note(self, key: str) -> None:
        if key not in self.changed:
            self.changed.append(key)


class TreeSwap:
    """Temporarily replaces files of one MNN checkout; state_dir (outside the tree) holds lock, journal, backups."""

    def __init__(self, root: Path, state_dir: Path, force: bool = False) -> None:
        self.root = Path(root)
        self.state_dir = Path(state_dir)
        self.force = force
        self._root = self.root.resolve()
        state = self.state_dir.resolve()
        if state == self._root or self._root in state.parents:
            # The lock, journal and backups would themselves make the tree differ.
            raise HotSwapError(f"the hot-swap state directory {state_dir} is inside the MNN tree {root}; "
                               "use a cache directory outside the tree")
        self._journal_path = self.state_dir / "journal.json"
        self._journal_tmp = self.state_dir / "journal.json.tmp"
        self._backups = self.state_dir / "backups"
        self._lock = FileLock(str(self.state_dir / "tree.lock"))
        self._journal: dict[str, Any] | None = None  # the open swap's journal, as last written
        self._entries: dict[str, dict[str, Any]] = {}
        self._git_prefix: str | None = None  # root's path inside its git work tree, once known

    # --- public -------------------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Undo a swap left by a killed run; returns the relative paths put back ([] if there was none)."""
        with self._locked():
            if self._journal is not None:
                raise HotSwapError(f"recover() called while a swap of {self.root} is open in this process; "
                                   "call it before or after the swap")
            return self._recover_locked()

    @contextmanager
    def swapped(self, files: dict[str, bytes]) -> Iterator[Swap]:
        if self._journal is not None:
            # The lock is re-entrant in this thread, so without this a nested swap would "recover" the outer one.
            raise HotSwapError(f"a swap of the MNN tree {self.root} is already open in this process; "
                               "finish it before starting another")
        with self._locked():
            restored = self._recover_locked()
            if restored:
                log.warning("restored %s in the MNN tree %s after an interrupted run", ", ".join(restored), self.root)
            keys = [self._resolve(relpath)[0] for relpath in files]  # reject bad paths before touching anything
            if not self.force:
                self._refuse_dirty(keys)
            self._journal = {"version": JOURNAL_VERSION, "root": str(self._root), "pid": os.getpid(),
                             "created": time.time(), "entries": []}
            self._entries = {}
            swap = Swap(self)
            try:
                for relpath, content in files.items():
                    swap._note(self._write(relpath, content, check_dirty=False))
                yield swap
            finally:
                swap._open = False
                try:
                    self._restore_and_forget(self._journal["entries"])
                finally:
                    self._journal = None
                    self._entries = {}

    # --- swapping -----------------------------------------------------------------------------------

    def _write(self, relpath: str, content: bytes, check_dirty: bool) -> str:
        if self._journal is None:
            raise HotSwapError(f"cannot write {relpath} into the MNN tree: no swap is open")
        key, path = self._resolve(relpath)
        entry = self._entries.get(key)
        if entry is None:  # first touch of this file: the first backup is the one that counts
            if check_dirty and not self.force:
                self._refuse_dirty([key])
            entry = self._journal_new_file(key, path)
        try:
            for made in entry["made_dirs"]:
                (self._root / made).mkdir(exist_ok=True)
            _write_atomic(path, content, entry["mode"])
        except OSError as exc:  # journalled already: the swap's exit puts the tree back
            raise HotSwapError(f"could not write {key} into the MNN tree {self.root}: {exc}; "
                               "check the path and the tree's permissions") from exc
        _checkpoint("write")
        return key

    def _journal_new_file(self, key: str, path: Path) -> dict[str, Any]:
        assert self._journal is not None
        tmp = _tmp_path(path)
        if os.path.lexists(tmp):
            raise HotSwapError(f"refusing to modify the MNN tree: {tmp} is in the way of the temporary file this "
                               f"tool writes next to {key}; remove it")
        entry: dict[str, Any] = {"path": key, "existed": False, "sha256": None, "backup": None, "mode": None,
                                 "made_dirs": []}
        if os.path.lexists(path):
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):
                raise HotSwapError(f"refusing to modify the MNN tree: {key} is not a regular file")
            original = path.read_bytes()
            backup = str(len(self._journal["entries"]))
            try:
                self._write_backup(backup, original)
            except OSError as exc:
                raise HotSwapError(f"could not back up {key} of the MNN tree into {self._backups}: {exc}; "
                                   "free space or fix permissions of the cache directory") from exc
            _checkpoint("backup")
            entry.update(existed=True, sha256=_sha256(original), backup=backup, mode=stat.S_IMODE(st.st_mode))
        else:
            entry["made_dirs"] = _missing_dirs(self._root, path.parent)
        self._journal["entries"].append(entry)
        # Only once the journal names the file may the tree file change: recovery trusts the journal alone.
        self._write_journal(self._journal)
        _checkpoint("journal")
        self._entries[key] = entry
        return entry

    def _write_backup(self, name: str, data: bytes) -> None:
        self._backups.mkdir(parents=True, exist_ok=True)
        with open(self._backups / name, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _fsync_dir(self._backups)

    def _write_journal(self, journal: dict[str, Any]) -> None:
        with open(self._journal_tmp, "w", encoding="utf-8") as f:
            json.dump(journal, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        _checkpoint("journal-tmp")
        os.replace(self._journal_tmp, self._journal_path)
        _fsync_dir(self.state_dir)

    # --- restoring ----------------------------------------------------------------------------------

    def _recover_locked(self) -> list[str]:
        journal = self._read_journal()
        if journal is None:
            self._forget()  # backups of a run killed before its first journal write: nothing was touched
            return []
        if journal.get("root") != str(self._root):
            raise HotSwapError(f"the hot-swap journal {self._journal_path} belongs to the MNN tree "
                               f"{journal.get('root')}, not {self._root}; run once with that tree to restore it, "
                               "or use another cache directory")
        entries = journal.get("entries")
        if not isinstance(entries, list):
            raise HotSwapError(f"the hot-swap journal {self._journal_path} has no entry list; check the MNN tree "
                               f"{self.root} with git status, then delete the journal")
        self._restore_and_forget(entries)
        return [entry["path"] for entry in entries]

    def _read_journal(self) -> dict[str, Any] | None:
        try:
            text = self._journal_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            journal = json.loads(text)
            if not isinstance(journal, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            raise HotSwapError(f"the hot-swap journal {self._journal_path} is unreadable ({exc}); check the MNN "
                               f"tree {self.root} with git status, then delete the journal") from None
        return journal

    def _restore_and_forget(self, entries: list[dict[str, Any]]) -> None:
        try:
            # Newest first, so files are removed before the directories that were made for them.
            for entry in reversed(entries):
                self._restore_file(entry)
                _checkpoint("restore-file")
        except OSError as exc:
            raise HotSwapError(f"could not restore the MNN tree {self.root}: {exc}; the journal "
                               f"{self._journal_path} is kept and the next run retries the restore") from exc
        self._forget()

    def _restore_file(self, entry: dict[str, Any]) -> None:
        key = entry["path"]
        path = self._root / _check_relpath(key)
        _unlink(_tmp_path(path))  # a write killed between its temp file and the rename
        if not entry["existed"]:
            if _unlink(path):
                _fsync_dir(path.parent)
            for made in reversed(entry.get("made_dirs", [])):
                try:
                    os.rmdir(self._root / made)
                except OSError:  # already gone, or someone put files there: leave it
                    pass
            return
        # Matching the original means this file is already restored, or was journalled but never written.
        # Either way its backup may be gone (killed after cleanup) and is not needed.
        if _sha256_file(path) == entry["sha256"]:
            return
        backup = self._backups / str(entry["backup"])
        try:
            data = backup.read_bytes()
        except FileNotFoundError:
            data = None
        if data is None or _sha256(data) != entry["sha256"]:
            raise HotSwapError(f"cannot restore {key} in the MNN tree {self.root}: its backup {backup} is missing "
                               f"or damaged; restore the file with git (git checkout -- {key}) and delete "
                               f"{self._journal_path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        # The original modification time is NOT restored: ninja compares it with the objects built from the
        # swapped content, and an older time would make it keep those objects. A fresh time forces a rebuild.
        _write_atomic(path, data, entry.get("mode"))
        if _sha256_file(path) != entry["sha256"]:
            raise HotSwapError(f"restoring {key} in the MNN tree {self.root} did not reproduce the original "
                               f"bytes; restore it with git (git checkout -- {key}) and delete {self._journal_path}")

    def _forget(self) -> None:
        if _unlink(self._journal_path):
            _fsync_dir(self.state_dir)
            _checkpoint("journal-removed")
        self._journal_tmp.unlink(missing_ok=True)
        shutil.rmtree(self._backups, ignore_errors=True)

    # --- checks -------------------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            yield

    def _resolve(self, relpath: str) -> tuple[str, Path]:
        """The journal key (resolved, relative, forward slashes) and absolute path of relpath."""
        rel = _check_relpath(relpath)
        # resolve() follows symlinks, so a link inside the tree is swapped at its target (the link stays).
        target = (self._root / rel).resolve()
        try:
            key = target.relative_to(self._root).as_posix()
        except ValueError:
            raise HotSwapError(f"refusing to write {relpath} in the MNN tree: it resolves to {target}, outside "
                               f"{self._root}; use a path to a file inside the tree") from None
        if key == "." or key.split("/")[0] == ".git":
            raise HotSwapError(f"refusing to write {relpath} in the MNN tree: it is not a source file of the tree")
        if target.is_dir():
            raise HotSwapError(f"refusing to write {relpath} in the MNN tree: it is a directory")
        return key, target

    def _refuse_dirty(self, keys: list[str]) -> None:
        dirty = self._dirty(keys)
        if dirty:
            what = f"{dirty[0]} has" if len(dirty) == 1 else f"{', '.join(dirty)} have"
            raise HotSwapError(f"refusing to modify the MNN tree: {what} uncommitted changes "
                               f"(commit or stash them, or {FORCE_HINT})")

    def _dirty(self, keys: list[str]) -> list[str]:
        """Which of keys git reports as modified, staged, deleted or untracked ([] outside a git work tree)."""
        if not keys:
            return []
        env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV_DROP}
        env["GIT_OPTIONAL_LOCKS"] = "0"  # a status must not rewrite the user's index while they use git
        try:
            if self._git_prefix is None:
                top = _git(["rev-parse", "--is-inside-work-tree", "--show-prefix"], self._root, env)
                if top.returncode != 0 or not top.stdout.startswith(b"true"):
                    return []
                # Porcelain paths are relative to the repository's top, which may be above the MNN root.
                lines = os.fsdecode(top.stdout).splitlines()
                self._git_prefix = lines[1].strip() if len(lines) > 1 else ""
            prefix = self._git_prefix
            status = _git(["status", "--porcelain", "-z", "--untracked-files=all", "--", *keys], self._root, env)
        except FileNotFoundError:  # no git: backups still protect the tree
            return []
        except subprocess.TimeoutExpired:
            raise HotSwapError(f"git did not answer within {GIT_TIMEOUT_S:.0f} s when checking the MNN tree "
                               f"{self.root} for uncommitted changes; fix the repository or {FORCE_HINT}") from None
        if status.returncode != 0:
            err = status.stderr.decode(errors="replace").strip().splitlines()
            raise HotSwapError(f"git status failed in the MNN tree {self.root} "
                               f"({err[0] if err else f'exit code {status.returncode}'}); fix the repository "
                               f"or {FORCE_HINT}")
        reported: set[str] = set()
        fields = status.stdout.split(b"\0")
        i = 0
        while i < len(fields):
            field = fields[i]
            i += 1
            if len(field) < 4:
                continue
            reported.add(os.fsdecode(field[3:]))
            if b"R" in field[:2] or b"C" in field[:2]:  # a rename or copy is followed by its source path
                if i < len(fields):
                    reported.add(os.fsdecode(fields[i]))
                i += 1
        reported = {p[len(prefix):] if prefix and p.startswith(prefix) else p for p in reported}
        return [key for key in keys if key in reported]


def _git(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    # --literal-pathspecs: a file name with * or [ must not match other files.
    return subprocess.run(["git", "--literal-pathspecs", "-C", str(cwd), *args], capture_output=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=GIT_TIMEOUT_S)


def _check_relpath(relpath: str) -> PurePosixPath:
    rel = PurePosixPath(relpath) if isinstance(relpath, str) else None
    if rel is None or not relpath or rel.is_absolute() or ".." in rel.parts or not rel.parts or "\0" in relpath:
        raise HotSwapError(f"refusing to write {relpath!r} in the MNN tree: give a path relative to the tree, "
                           "without '..' (e.g. source/backend/cpu/CPULayerNorm.cpp)")
    return rel


def _missing_dirs(root: Path, directory: Path) -> list[str]:
    """Ancestors of a new file that do not exist yet, outermost first, relative to root."""
    missing: list[str] = []
    while directory != root and not directory.exists():
        missing.append(directory.relative_to(root).as_posix())
        directory = directory.parent
    return missing[::-1]


def _tmp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_SUFFIX}")


def _write_atomic(path: Path, data: bytes, mode: int | None) -> None:
    """Replace path by data through a temp file in the same directory: the tree never holds half a file."""
    tmp = _tmp_path(path)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        if mode is not None:
            os.fchmod(f.fileno(), mode)
        os.fsync(f.fileno())
    # The kernel stamps files from a coarse clock (milliseconds); stamping from the fine clock guarantees the
    # file is strictly newer than any object the build wrote before, so ninja never sees a tie and skips it.
    now = time.time_ns()
    os.utime(tmp, ns=(now, now))
    _checkpoint("tmp-written")
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except FileNotFoundError:
        return None
