"""Helpers for the project's own tests: run the plugin in a child pytest on small task sets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pytest_mobilekernel.sandbox import have_libseccomp

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
FAST_SPEED = ["--mk-blocks=3", "--mk-block-ms=2"]


# -- what some tests need beyond make's Python set-up: one place for their skip conditions ------------
@dataclass(frozen=True)
class Need:
    what: str  # as the skip reason names it
    package: str  # the Debian package scripts/system_deps.sh installs ("" for root)
    present: Callable[[], bool]


NEEDS = {
    "cross": Need("aarch64 cross compiler", "g++-aarch64-linux-gnu",
                  lambda: shutil.which(os.environ.get("CXX_AARCH64") or "aarch64-linux-gnu-g++") is not None),
    "qemu": Need("qemu-aarch64-static", "qemu-user-static",
                 lambda: shutil.which(os.environ.get("MK_QEMU_AARCH64") or "qemu-aarch64-static") is not None),
    # without it the sandbox launcher is built without its seccomp layer (and says so in the summary)
    "seccomp": Need("libseccomp-dev (the sandbox runs without its seccomp layer)", "libseccomp-dev",
                    have_libseccomp),
    "root": Need("root", "", lambda: os.geteuid() == 0),
}


def require_full() -> bool:
    """Must every test run here? MK_REQUIRE_FULL=1 (.ci/run sets it), or unset on CI (CI set) or as
    root with apt (make installs everything there). A missing need then fails instead of skipping."""
    flag = os.environ.get("MK_REQUIRE_FULL")
    if flag is not None:
        return flag not in ("", "0")
    return bool(os.environ.get("CI")) or (os.geteuid() == 0 and shutil.which("apt-get") is not None)


def missing(*names: str) -> str:
    """"" when everything named is here, else one line: what is missing and the command that installs it."""
    gone = [NEEDS[n] for n in names if not NEEDS[n].present()]
    packages = [n for n in gone if n.package]
    parts = []
    if packages:
        whats = [n.what for n in packages]
        what = ", ".join(whats[:-1]) + " and " + whats[-1] if len(whats) > 1 else whats[0]
        parts.append(f"{what} not found: run `sudo apt-get install {' '.join(n.package for n in packages)}` "
                     "or `sudo bash scripts/system_deps.sh`")
    if len(packages) < len(gone):
        parts.append("needs root (CI runs the tests as root)")
    return "; ".join(parts)


def require(*names: str) -> None:
    """Skip the calling test unless everything named is here (fail it where every test must run)."""
    reason = missing(*names)
    if reason and require_full():
        pytest.fail(f"{reason} (this machine must run every test: MK_REQUIRE_FULL, CI, or root with apt; "
                    "MK_REQUIRE_FULL=0 skips instead)", pytrace=False)
    if reason:
        pytest.skip(reason)


def _needs(item: pytest.Item) -> list[str]:
    return [name for mark in item.iter_markers("needs") for name in mark.args]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if require_full():
        return
    for item in items:  # a skip mark: reported at the test itself, and no fixture is set up
        reason = missing(*_needs(item))
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if require_full():  # after the skipif marks (the skipping plugin goes first), before any fixture
        require(*_needs(item))


def pytest_report_header(config: pytest.Config) -> str | None:
    if getattr(config.option, "mk_tasks_dir", None):  # a child run on tests/data: not our session
        return None
    reason = missing(*NEEDS)
    return f"mobilekernel tests: {reason}: their tests {'FAIL' if require_full() else 'skip'}" if reason else None


@pytest.hookimpl(tryfirst=True)  # before the plugin's own (tryfirst too, registered earlier) reads the options
def pytest_configure(config: pytest.Config) -> None:
    """In-process uses of the plugin (tests/test_user_fixtures.py) get a cache of their own, never the
    user's: one directory for the controller and its xdist workers (they share it as a user's run
    does), removed at the end. One timing lane: the lanes would pin each test worker, and every child
    run it starts, to a single CPU. Child runs on tests/data (they load this file too) keep their
    options: they always give --mk-tasks-dir."""
    config.addinivalue_line("markers", f"needs(*names): the test needs {', '.join(NEEDS)} (tests/conftest.py)")
    if getattr(config.option, "mk_tasks_dir", None) or getattr(config.option, "mk_cache_dir", None):
        return
    shared = os.environ.get("MK_TESTS_CACHE")
    if not shared:  # the controller (or -n 0): its workers inherit it
        shared = tempfile.mkdtemp(prefix="mk-tests-cache-")
        os.environ["MK_TESTS_CACHE"] = shared
        config.add_cleanup(lambda: (os.environ.pop("MK_TESTS_CACHE", None),
                                    shutil.rmtree(shared, ignore_errors=True)))
    config.option.mk_cache_dir = shared
    config.option.mk_timing_lanes = "1"


@dataclass
class BenchRun:
    returncode: int
    output: str
    results: dict | None
    junit: ET.Element | None

    def items(self) -> dict[str, dict]:
        """Records by 'Category/Task::stage'."""
        assert self.results is not None, self.output
        return {f"{r['task']}::{r['stage']}": r for r in self.results["items"]}

    def properties(self, nodeid_suffix: str) -> dict[str, str]:
        assert self.junit is not None
        for case in self.junit.iter("testcase"):
            name = f"{case.get('classname')}::{case.get('name')}"
            if name.replace(".", "/").endswith(nodeid_suffix.replace(".py", "").replace(".", "/")) or \
                    name.endswith(nodeid_suffix):
                return {p.get("name"): p.get("value") for p in case.iter("property")}
        raise KeyError(nodeid_suffix)


@pytest.fixture(scope="session")
def mk_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build/task cache for the whole test session (the SDK's precompiled header is built once)."""
    return tmp_path_factory.mktemp("mkcache")


@pytest.fixture
def run_bench(tmp_path: Path, mk_cache: Path):
    def run(*args: str, tasks: Path = DATA / "tasks", kernels: Path = DATA / "kernels", label: str = "good",
            env: dict[str, str] | None = None, timeout: float = 900) -> BenchRun:
        results = tmp_path / f"results-{len(list(tmp_path.glob('results-*')))}.json"
        junit = results.with_suffix(".xml")
        cmd = [sys.executable, "-m", "pytest", f"--mk-tasks-dir={tasks}", f"--mk-kernels-dir={kernels}",
               f"--mk-kernels-label={label}", f"--mk-cache-dir={mk_cache}", f"--mk-results={results}",
               f"--junitxml={junit}", "-p", "no:cacheprovider", "-q", *args]
        full_env = {**os.environ, **(env or {})}
        full_env.pop("PYTEST_XDIST_WORKER", None)
        full_env.pop("PYTEST_XDIST_WORKER_COUNT", None)
        full_env.pop("PYTEST_ADDOPTS", None)
        proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=timeout, env=full_env)
        output = proc.stdout + proc.stderr
        return BenchRun(
            returncode=proc.returncode,
            output=output,
            results=json.loads(results.read_text()) if results.exists() else None,
            junit=ET.parse(junit).getroot() if junit.exists() else None,
        )

    return run
