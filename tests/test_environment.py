"""The shared condition of the tests that need more than make's Python set-up (tests/conftest.py):
without the tools they skip with one line naming the command that installs them; where every test
must run (MK_REQUIRE_FULL=1, as .ci/run sets it) the same tests fail instead."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

import conftest
from conftest import ROOT, missing

ARM_TEST = "tests/test_devices.py::test_toolchain_follows_the_device_arch"
ARM_REASON = ("aarch64 cross compiler and qemu-aarch64-static not found: run `sudo apt-get install "
              "g++-aarch64-linux-gnu qemu-user-static` or `sudo bash scripts/system_deps.sh`")


def _path_without_arm_tools(shim: Path) -> str:
    """A PATH of symlinks to everything on ours except the aarch64 cross tools and qemu."""
    shim.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            if not name.startswith(("aarch64-linux-gnu-", "qemu-aarch64")) and not (shim / name).exists():
                (shim / name).symlink_to(Path(directory) / name)
    return str(shim)


def _run_arm_test(tmp_path: Path, require_full: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "MK_", "CXX_AARCH64")) and k != "CI"}
    env.update(PATH=_path_without_arm_tools(tmp_path / "bin"), MK_REQUIRE_FULL=require_full)
    return subprocess.run([sys.executable, "-m", "pytest", ARM_TEST, "-p", "no:cacheprovider", "-rs", "-n", "0"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_without_the_arm_tools_their_tests_skip_with_one_line(tmp_path: Path) -> None:
    proc = _run_arm_test(tmp_path, "0")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "1 skipped" in out, out
    assert f"SKIPPED [1] {ARM_TEST.split('::')[0]}" in out and ARM_REASON in out, out
    # the session header says once what this machine lacks (here perhaps more than the ARM tools)
    header = next(line for line in out.splitlines() if line.startswith("mobilekernel tests: "))
    assert "g++-aarch64-linux-gnu" in header and "qemu-user-static" in header, header
    assert header.endswith("their tests skip"), header


def test_where_every_test_must_run_they_fail(tmp_path: Path) -> None:
    proc = _run_arm_test(tmp_path, "1")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "1 error" in out, out  # at set-up, before any fixture
    assert ARM_REASON in out and "this machine must run every test" in out, out


def test_reasons_name_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("seccomp", "root"):
        monkeypatch.setitem(conftest.NEEDS, name, dataclasses.replace(conftest.NEEDS[name], present=lambda: False))
    assert missing("seccomp") == ("libseccomp-dev (the sandbox runs without its seccomp layer) not found: run "
                                  "`sudo apt-get install libseccomp-dev` or `sudo bash scripts/system_deps.sh`")
    assert missing("root") == "needs root (CI runs the tests as root)"
    assert missing("seccomp", "root").endswith("; needs root (CI runs the tests as root)")


def test_ci_sets_the_requirement() -> None:
    # .ci/run is where CI's machine gets everything installed: its tests must not skip silently there
    assert "export MK_REQUIRE_FULL=1" in (ROOT / ".ci" / "run").read_text()
