"""Helpers for the project's own tests: run the plugin in a child pytest on small task sets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
FAST_SPEED = ["--mk-blocks=3", "--mk-block-ms=2"]


@pytest.hookimpl(tryfirst=True)  # before the plugin's own (tryfirst too, registered earlier) reads the options
def pytest_configure(config: pytest.Config) -> None:
    """In-process uses of the plugin (tests/test_user_fixtures.py) get a cache of their own, never the
    user's: one directory for the controller and its xdist workers (they share it as a user's run
    does), removed at the end. One timing lane: the lanes would pin each test worker, and every child
    run it starts, to a single CPU. Child runs on tests/data (they load this file too) keep their
    options: they always give --tasks-dir."""
    if getattr(config.option, "tasks_dir", None) or getattr(config.option, "mk_cache_dir", None):
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
        cmd = [sys.executable, "-m", "pytest", f"--tasks-dir={tasks}", f"--kernels-dir={kernels}",
               f"--kernels-label={label}", f"--mk-cache-dir={mk_cache}", f"--mk-results={results}",
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
