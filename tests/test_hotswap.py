"""File handling of mnntree.hotswap on a small fake tree in tmp_path (not a real MNN checkout, no build)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pytest_mobilekernel.mnntree import hotswap
from pytest_mobilekernel.mnntree.hotswap import HotSwapError, TreeSwap

REPO = Path(__file__).resolve().parent.parent
HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed; the uncommitted-changes check only "
                                                   "runs in git work trees")

X = "source/backend/cpu/CPUX.cpp"
REG = "source/backend/cpu/CPUOPRegister.cpp"
BIN = "tools/weights.bin"
SCRIPT = "tools/build.sh"
ORIGINAL = {
    "CMakeLists.txt": b"cmake_minimum_required(VERSION 3.6)\nproject(fake)\n",
    X: b"// CPUX\r\nint cpu_x() { return 1; }\r\n",  # CRLF must survive byte-exact
    "source/backend/cpu/CPUY.cpp": b"int cpu_y() { return 2; }\n",
    REG: b"extern void ___CPUXCreator__OpType_X__();\nvoid registerCPUOps() {}\n",
    BIN: bytes(range(256)) * 3 + b"\x00\xff\x00",
    SCRIPT: b"#!/bin/sh\necho build\n",
}
NEW_FILE = "source/backend/cpu/gen/deep/CPUNew.cpp"  # its two directories do not exist before

# A child process that swaps like the benchmark does and SIGKILLs itself at the k-th checkpoint (0: never).
CHILD = textwrap.dedent(f"""
    import os, signal, sys, time
    from pathlib import Path
    from pytest_mobilekernel.mnntree import hotswap

    root, state, mode, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    calls = 0

    def checkpoint(name):
        global calls
        calls += 1
        print(name, flush=True)
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    hotswap._checkpoint = checkpoint
    tree = hotswap.TreeSwap(root, state)
    if mode == "swap":
        with tree.swapped({{{X!r}: b"// generated X\\n", {BIN!r}: b"\\x00generated"}}) as swap:
            swap.write({REG!r}, b"// regenerated registry\\n")
            swap.write({NEW_FILE!r}, b"// a new kernel file\\n")
    elif mode == "recover":
        tree.recover()
    elif mode == "hold":
        with tree.swapped({{{X!r}: b"// held by the child\\n"}}):
            (state.parent / "entered").write_text("")
            time.sleep(0.6)
            (state.parent / "leaving").write_text("")
""")


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.email=test@example.com", "-c", "user.name=test", "-c",
                           "commit.gpgsign=false", "-C", str(root), *args],
                          check=True, capture_output=True, text=True, timeout=30)


def make_tree(root: Path, with_git: bool) -> Path:
    for rel, data in ORIGINAL.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    os.chmod(root / SCRIPT, 0o755)
    if with_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "fake MNN")
    return root


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A tree without its own .git must not be taken for part of a repository above tmp_path.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "mnn", with_git=HAS_GIT)


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "hotswap"


def digest(root: Path) -> dict[str, str]:
    """Every directory and file of the work tree (not .git) with its type, mode and content hash."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if d != ".git"]
        out[Path(dirpath).relative_to(root).as_posix() + "/"] = "dir"
        for name in filenames:
            path = Path(dirpath) / name
            mode = stat.filemode(os.lstat(path).st_mode)
            out[path.relative_to(root).as_posix()] = f"{mode} {hashlib.sha256(path.read_bytes()).hexdigest()}"
    return out


def assert_clean_state(state: Path) -> None:
    assert not (state / "journal.json").exists()
    assert not (state / "journal.json.tmp").exists()
    assert not (state / "backups").exists()


def run_child(root: Path, state: Path, mode: str, kill_at: int = 0) -> tuple[int, list[str], str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(root), str(state), mode, str(kill_at)],
                          capture_output=True, text=True, env=env, timeout=60)
    return proc.returncode, proc.stdout.split(), proc.stderr


# --- swapping and restoring -------------------------------------------------------------------------


def test_swap_shows_new_bytes_inside_and_leaves_tree_byte_identical(tree: Path, state: Path) -> None:
    before = digest(tree)
    with TreeSwap(tree, state).swapped({X: b"// generated\n", BIN: b"\x01\x02", SCRIPT: b"#!/bin/sh\n"}) as swap:
        assert (tree / X).read_bytes() == b"// generated\n"
        assert (tree / BIN).read_bytes() == b"\x01\x02"
        assert os.stat(tree / SCRIPT).st_mode & 0o111, "the swapped file kept its executable bits"
        assert swap.root == tree and swap.changed == [X, BIN, SCRIPT]
        assert (state / "journal.json").exists()
        assert not list((tree / "source/backend/cpu").glob(".*")), "no temp file left next to the swapped file"
    assert digest(tree) == before
    assert_clean_state(state)
    if HAS_GIT:
        assert git(tree, "status", "--porcelain", "--untracked-files=all").stdout == ""


def test_restored_file_is_newer_than_anything_built_during_the_swap(tree: Path, state: Path) -> None:
    with TreeSwap(tree, state).swapped({X: b"// generated\n"}):
        obj = tree.parent / "CPUX.o"
        obj.write_bytes(b"object built from the generated source")
    # ninja rebuilds an object only if its source is newer: an old (restored) mtime would keep a stale object.
    assert os.stat(tree / X).st_mtime_ns > os.stat(obj).st_mtime_ns


@pytest.mark.parametrize("exc_type", [RuntimeError, KeyboardInterrupt])
def test_exception_inside_the_swap_restores_the_tree(tree: Path, state: Path, exc_type: type[BaseException]) -> None:
    before = digest(tree)
    with pytest.raises(exc_type), TreeSwap(tree, state).swapped({X: b"broken", REG: b"regenerated"}) as swap:
        swap.write(NEW_FILE, b"new")
        raise exc_type("build failed")
    assert digest(tree) == before
    assert_clean_state(state)


def test_new_files_are_removed_and_extra_writes_restored(tree: Path, state: Path) -> None:
    before = digest(tree)
    with TreeSwap(tree, state).swapped({NEW_FILE: b"// new kernel\n"}) as swap:
        assert (tree / NEW_FILE).read_bytes() == b"// new kernel\n"
        swap.write(REG, b"// regenerated once\n")
        swap.write(REG, b"// regenerated twice\n")  # the second write must keep the first (original) backup
        swap.write("source/backend/cpu/CPUNew2.cpp", b"another new file")
        assert (tree / REG).read_bytes() == b"// regenerated twice\n"
        assert swap.changed == [NEW_FILE, REG, "source/backend/cpu/CPUNew2.cpp"]
    assert digest(tree) == before, "new files and the directories made for them are gone, REG is original"
    assert_clean_state(state)


def test_write_after_the_swap_ended_is_refused(tree: Path, state: Path) -> None:
    with TreeSwap(tree, state).swapped({}) as swap:
        pass
    with pytest.raises(HotSwapError, match="swap has ended"):
        swap.write(X, b"late")
    assert (tree / X).read_bytes() == ORIGINAL[X]


def test_symlink_inside_the_tree_swaps_its_target_and_keeps_the_link(tree: Path, state: Path) -> None:
    (tree / "source/backend/cpu/Alias.cpp").symlink_to("CPUY.cpp")
    before = digest(tree)
    with TreeSwap(tree, state).swapped({"source/backend/cpu/Alias.cpp": b"via link"}) as swap:
        assert (tree / "source/backend/cpu/CPUY.cpp").read_bytes() == b"via link"
        assert swap.changed == ["source/backend/cpu/CPUY.cpp"]
    assert (tree / "source/backend/cpu/Alias.cpp").is_symlink()
    assert digest(tree) == before


# --- uncommitted changes ----------------------------------------------------------------------------


@needs_git
def test_dirty_file_is_refused_without_touching_the_tree(tree: Path, state: Path) -> None:
    (tree / X).write_bytes(b"// the user's own work in progress\n")
    before = digest(tree)
    with pytest.raises(HotSwapError) as err:
        with TreeSwap(tree, state).swapped({REG: b"regenerated", X: b"generated"}):
            pytest.fail("the swap must not start")
    message = str(err.value)
    assert X in message and REG not in message and "--mk-mnn-force" in message and "\n" not in message
    assert message.startswith("refusing to modify the MNN tree:")
    assert digest(tree) == before
    assert_clean_state(state)


@needs_git
def test_untracked_file_in_the_way_is_refused(tree: Path, state: Path) -> None:
    (tree / "source/backend/cpu/CPUNew2.cpp").write_bytes(b"untracked work")
    with pytest.raises(HotSwapError, match="CPUNew2.cpp has uncommitted changes"):
        with TreeSwap(tree, state).swapped({"source/backend/cpu/CPUNew2.cpp": b"generated"}):
            pass
    assert (tree / "source/backend/cpu/CPUNew2.cpp").read_bytes() == b"untracked work"


@needs_git
def test_dirty_file_in_swap_write_is_refused_and_the_swap_restored(tree: Path, state: Path) -> None:
    (tree / REG).write_bytes(b"// user's registry edit\n")
    before = digest(tree)
    with pytest.raises(HotSwapError, match="CPUOPRegister.cpp has uncommitted changes"):
        with TreeSwap(tree, state).swapped({X: b"generated"}) as swap:
            swap.write(REG, b"regenerated")
    assert digest(tree) == before
    assert_clean_state(state)


@needs_git
def test_force_swaps_dirty_files_and_restores_the_dirty_content_exactly(tree: Path, state: Path) -> None:
    (tree / X).write_bytes(b"// the user's own work in progress\r\n")
    (tree / REG).write_bytes(b"// user's registry edit\n")
    before = digest(tree)
    with TreeSwap(tree, state, force=True).swapped({X: b"generated"}) as swap:
        swap.write(REG, b"regenerated")
        assert (tree / X).read_bytes() == b"generated"
        assert (tree / REG).read_bytes() == b"regenerated"
    assert digest(tree) == before
    assert_clean_state(state)


def test_tree_outside_git_is_swapped_without_a_dirty_check(tmp_path: Path, state: Path) -> None:
    root = make_tree(tmp_path / "plain", with_git=False)
    (root / X).write_bytes(b"// edited, but there is no git to ask\n")
    before = digest(root)
    with TreeSwap(root, state).swapped({X: b"generated"}):
        assert (root / X).read_bytes() == b"generated"
    assert digest(root) == before


# --- bad paths and foreign journals -----------------------------------------------------------------


@pytest.mark.parametrize("relpath", ["../outside.cpp", "source/../../outside.cpp", "/abs/outside.cpp",
                                     "escape/outside.cpp", "", ".git/config"])
def test_paths_escaping_the_tree_are_rejected(tree: Path, state: Path, tmp_path: Path, relpath: str) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tree / "escape").symlink_to(outside)
    if relpath.startswith("/abs/"):
        relpath = str(outside / "outside.cpp")
    before = digest(tree)
    with pytest.raises(HotSwapError) as err:
        with TreeSwap(tree, state).swapped({relpath: b"evil"}):
            pass
    assert "\n" not in str(err.value)
    with pytest.raises(HotSwapError), TreeSwap(tree, state).swapped({}) as swap:
        swap.write(relpath, b"evil")
    assert list(outside.iterdir()) == [] and not (tmp_path / "outside.cpp").exists()
    assert digest(tree) == before


def test_state_dir_inside_the_tree_is_rejected(tree: Path) -> None:
    with pytest.raises(HotSwapError, match="outside the tree"):
        TreeSwap(tree, tree / "build" / ".hotswap")


def _journal_of_an_interrupted_swap(tree: Path, state: Path, crashed: Path) -> None:
    """Copy the state dir as it is mid-swap: what a killed run leaves (the tree itself is restored after)."""
    with TreeSwap(tree, state).swapped({X: b"generated"}):
        shutil.copytree(state, crashed)


def test_journal_of_another_tree_is_refused(tree: Path, state: Path, tmp_path: Path) -> None:
    crashed = tmp_path / "crashed-state"
    _journal_of_an_interrupted_swap(tree, state, crashed)
    other = make_tree(tmp_path / "other-mnn", with_git=False)
    with pytest.raises(HotSwapError) as err:
        TreeSwap(other, crashed).recover()
    assert str(tree.resolve()) in str(err.value) and "\n" not in str(err.value)
    assert (crashed / "journal.json").exists(), "the journal is kept for the tree it belongs to"
    assert TreeSwap(tree, crashed).recover() == [X]


def test_recovery_is_idempotent_and_accepts_a_missing_backup_of_an_intact_file(tree: Path, state: Path,
                                                                                  tmp_path: Path) -> None:
    crashed = tmp_path / "crashed-state"
    _journal_of_an_interrupted_swap(tree, state, crashed)
    shutil.rmtree(crashed / "backups")  # e.g. killed after restoring the file but before removing the journal
    before = digest(tree)
    assert TreeSwap(tree, crashed).recover() == [X]
    assert TreeSwap(tree, crashed).recover() == []
    assert digest(tree) == before
    assert_clean_state(crashed)


def test_missing_backup_of_a_changed_file_is_an_error(tree: Path, state: Path, tmp_path: Path) -> None:
    crashed = tmp_path / "crashed-state"
    _journal_of_an_interrupted_swap(tree, state, crashed)
    shutil.rmtree(crashed / "backups")
    (tree / X).write_bytes(b"generated")
    with pytest.raises(HotSwapError, match=f"cannot restore {X}.*git checkout") as err:
        TreeSwap(tree, crashed).recover()
    assert "\n" not in str(err.value)


# --- SIGKILL at every step --------------------------------------------------------------------------


def test_sigkill_at_every_checkpoint_is_recovered_by_the_next_run(tree: Path, state: Path) -> None:
    before = digest(tree)
    code, steps, err = run_child(tree, state, "swap")
    assert code == 0, err
    assert digest(tree) == before
    for name, count in {"backup": 3, "journal-tmp": 4, "journal": 4, "tmp-written": 7, "write": 4,
                        "restore-file": 4, "journal-removed": 1}.items():
        assert steps.count(name) == count, (name, steps)
    left_modified = 0
    for k in range(1, len(steps) + 1):
        code, done, err = run_child(tree, state, "swap", kill_at=k)
        assert code == -signal.SIGKILL, f"child meant to die at step {k} ({steps[k - 1]}): {code} {err}"
        assert done == steps[:k]
        left_modified += digest(tree) != before
        TreeSwap(tree, state).recover()
        assert digest(tree) == before, f"tree differs after a kill at step {k} ({steps[k - 1]})"
        assert_clean_state(state)
    assert left_modified >= len(steps) // 2, "the kills must hit while the tree is modified"


def test_sigkill_during_recovery_is_finished_by_the_next_recovery(tree: Path, state: Path, tmp_path: Path) -> None:
    before = digest(tree)
    code, steps, err = run_child(tree, state, "swap")
    assert code == 0, err
    last_write = len(steps) - steps[::-1].index("write")
    code, _, err = run_child(tree, state, "swap", kill_at=last_write)  # killed with all four files swapped
    assert code == -signal.SIGKILL, err
    snapshot = tmp_path / "snapshot"
    shutil.copytree(tree, snapshot / "tree", symlinks=True)
    shutil.copytree(state, snapshot / "state")
    code, recovery_steps, err = run_child(tree, state, "recover")
    assert code == 0 and recovery_steps.count("restore-file") == 4, (recovery_steps, err)
    assert digest(tree) == before
    for k in range(1, len(recovery_steps) + 1):
        for target, source in ((tree, snapshot / "tree"), (state, snapshot / "state")):
            shutil.rmtree(target)
            shutil.copytree(source, target, symlinks=True)
        assert digest(tree) != before
        code, done, err = run_child(tree, state, "recover", kill_at=k)
        assert code == -signal.SIGKILL and done == recovery_steps[:k], (k, code, err)
        assert TreeSwap(tree, state).recover() != [] or k == len(recovery_steps)
        assert digest(tree) == before, f"tree differs after a kill in recovery step {k} ({recovery_steps[k - 1]})"
        assert_clean_state(state)
        assert TreeSwap(tree, state).recover() == []


# --- the lock ---------------------------------------------------------------------------------------


def test_concurrent_swaps_are_serialised_by_the_lock(tree: Path, state: Path) -> None:
    before = digest(tree)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tree), str(state), "hold", "0"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not (state.parent / "entered").exists():
            assert child.poll() is None and time.monotonic() < deadline, "the child never entered its swap"
            time.sleep(0.01)
        with TreeSwap(tree, state).swapped({X: b"parent's version"}):
            assert (state.parent / "leaving").exists(), "the parent's swap started while the child's was open"
            assert (tree / X).read_bytes() == b"parent's version"
    finally:
        _, child_err = child.communicate(timeout=30)
    assert child.returncode == 0, child_err
    assert digest(tree) == before
    assert_clean_state(state)


def test_checkpoint_hook_is_a_no_op() -> None:
    assert hotswap._checkpoint("write") is None
