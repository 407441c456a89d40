"""The plugin's options: values checked while parsing, old spellings that warn, no clash with other plugins."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from pytest_mobilekernel import options, plugin, settings
from pytest_mobilekernel.workers import index_of

TASKS = DATA / "tasks"

# What pytest-playwright 0.10 (with its --base-url fallback or pytest-base-url), pytest-timeout 2.4,
# declare, the way they declare it: the simulated neighbours of test_no_clash_with_other_plugins.
OTHER_PLUGINS = '''
import pytest

def pytest_addoption(parser):
    g = parser.getgroup("playwright", "Playwright")
    g.addoption("--browser", action="append", default=[], choices=["chromium", "firefox", "webkit"])
    g.addoption("--headed", action="store_true", default=False)
    g.addoption("--browser-channel", action="store", default=None)
    g.addoption("--slowmo", default=0, type=int)
    g.addoption("--device", default=None, action="store")
    g.addoption("--output", default="test-results")
    g.addoption("--tracing", default="off", choices=["on", "off", "retain-on-failure"])
    g.addoption("--video", default="off", choices=["on", "off", "retain-on-failure"])
    g.addoption("--screenshot", default="off", choices=["on", "off", "only-on-failure"])
    g.addoption("--full-page-screenshot", action="store_true", default=False)
    g.addoption("--playwright-debug", default=None, choices=["cli"])
    g.addoption("--base-url", metavar="url", default=None)
    g.addoption("--verify-base-url", action="store_true", default=False)
    parser.addini("base_url", help="base url")
    t = parser.getgroup("timeout", "timeout")
    t.addoption("--timeout", type=float)
    t.addoption("--timeout_method", action="store", choices=["signal", "thread"])
    t.addoption("--timeout-method", dest="timeout_method", action="store", choices=["signal", "thread"])
    t.addoption("--timeout-disable-debugger-detection", dest="timeout_disable_debugger_detection",
                action="store_true")
    t.addoption("--session-timeout", action="store", dest="session_timeout", default=None, type=float)
    parser.addini("timeout", "timeout")
    parser.addini("timeout_method", "timeout method")

def pytest_configure(config):
    print("OTHER", config.getoption("device"), config.getoption("timeout"), config.getoption("browser"))
'''

# Reports what the plugin made of the options (given to pytest.main as a plugin object).
SHOW = '''
import sys, pytest
class Show:
    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config):
        from pytest_mobilekernel.runstate import SETTINGS  # imported after pytest's assertion rewriting is set

        s = config.stash[SETTINGS]
        print("SETTINGS", s.devices, s.agent_options.samples, s.target_options.mnn_force, s.label, s.seeds[:2])
sys.exit(pytest.main(sys.argv[1:], plugins=[Show()]))
'''


def _pytest(*args: str, cwd: Path, pythonpath: Path | None = None, show: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_ADDOPTS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_XDIST_WORKER",
                        "PYTEST_XDIST_WORKER_COUNT")}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    head = [sys.executable, "-c", SHOW] if show else [sys.executable, "-m", "pytest"]
    return subprocess.run([*head, "-p", "no:cacheprovider", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


# -- values are checked while parsing ----------------------------------------------------------------
@pytest.mark.parametrize(("parse", "good", "bad"), [
    (options.positive_int, {"3": 3}, ["0", "-1", "x", "2.5"]),
    (options.non_negative_int, {"0": 0, "4": 4}, ["-1", "x"]),
    (options.positive_float, {"2.5": 2.5}, ["0", "-1", "nan", "inf", "x"]),
    (options.non_negative_float, {"0": 0.0, "10": 10.0}, ["-0.1", "nan", "x"]),
    (options.port, {"5037": 5037}, ["0", "65536", "x"]),
    (options.seed_list, {"1,2,random": (1, 2, "random"), " 7 ,": (7,)}, ["", ",", "1,x", "-1", "1.5"]),
    (options.toolchain_choice, {"auto": "auto", "ndk:29": "ndk:29", "gnu": "gnu"}, ["clang", "gnu:29", "ndk:x"]),
    (options.label, {"moka-X": "moka-X"}, ["", "a/b", ".."]),
])
def test_value_parsers(parse, good: dict, bad: list[str]) -> None:
    for text, value in good.items():
        assert parse(text) == value
    for text in bad:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)


def test_cpu_pin_takes_a_cpu_of_this_process() -> None:
    allowed = sorted(os.sched_getaffinity(0))
    assert [options.cpu_pin(v) for v in ("auto", "none", str(allowed[0]))] == ["auto", "none", str(allowed[0])]
    for bad in ("x", "-1", str(max(allowed) + 1000)):
        with pytest.raises(argparse.ArgumentTypeError):
            options.cpu_pin(bad)


def test_paths_must_exist(tmp_path) -> None:
    (tmp_path / "f").write_text("")
    assert options.existing_dir(str(tmp_path)) == str(tmp_path)
    assert options.existing_file(str(tmp_path / "f")) == str(tmp_path / "f")
    assert options.existing_path(str(tmp_path / "f")) == str(tmp_path / "f")
    for parse, bad in ((options.existing_dir, tmp_path / "f"), (options.existing_file, tmp_path),
                       (options.existing_path, tmp_path / "none")):
        with pytest.raises(argparse.ArgumentTypeError):
            parse(str(bad))


def test_random_seeds_are_distinct_and_drawn_from_the_run_seed() -> None:
    assert settings.seeds((1, "random", 2, "random"), 1000) == (1, 1000, 2, 1000 + settings.RANDOM_STRIDE)


def test_xdist_worker_numbers() -> None:
    assert [index_of(w) for w in ("gw0", "gw12", "gw", "master", "x3")] == [0, 12, None, None, None]


@pytest.mark.parametrize(("arg", "message"), [
    ("--mk-blocks=0", "argument --mk-blocks: expected a positive integer, got '0'"),
    ("--mk-seeds=1,x", "argument --mk-seeds: takes comma-separated integers >= 0 and 'random'"),
    ("--tasks-dir=/no/such/dir", "argument --tasks-dir: /no/such/dir is not a directory"),
])
def test_a_bad_value_is_a_usage_error_before_anything_runs(tmp_path, arg: str, message: str) -> None:
    proc = _pytest("--co", "-q", arg, cwd=tmp_path)
    assert proc.returncode == 4 and message in proc.stderr, proc.stdout + proc.stderr
    assert "collected" not in proc.stdout


# -- old spellings ------------------------------------------------------------------------------------
def test_old_spellings_store_into_the_new_options_and_warn(tmp_path) -> None:
    proc = _pytest("--co", "-q", f"--tasks-dir={TASKS}", "--samples=3", "--mnn-force", "--kernels-label=old",
                   "--mk-seeds=5,6", cwd=tmp_path, show=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "SETTINGS ('host',) 3 True old (5, 6)" in out
    assert "Activation/Relu.py::compile" in out  # --tasks-dir was used
    for old, new in (("--tasks-dir", "--mk-tasks-dir"), ("--samples", "--mk-samples"),
                     ("--mnn-force", "--mk-mnn-force"), ("--kernels-label", "--mk-kernels-label")):
        assert f"{old} is deprecated and will be removed: use {new}" in out
    assert "--mk-seeds is deprecated" not in out


def test_new_spellings_do_not_warn(tmp_path) -> None:
    proc = _pytest("--co", "-q", f"--mk-tasks-dir={TASKS}", "--mk-samples=3", "-W", "error::DeprecationWarning",
                   cwd=tmp_path, show=True)
    assert proc.returncode == 0 and "SETTINGS ('host',) 3 False reference" in proc.stdout, proc.stdout + proc.stderr


class _Recorder:
    """Stands in for pytest's parser: plugin.pytest_addoption fills options.DECLARED through it."""

    def getgroup(self, *args: object) -> _Recorder:
        return self

    def addoption(self, *names: str, **attrs: object) -> None:
        pass


@pytest.fixture
def declared() -> dict[str, str | None]:
    plugin.pytest_addoption(_Recorder())  # type: ignore[arg-type]
    return dict(options.DECLARED)


def test_every_alias_is_declared_and_device_has_none(declared) -> None:
    aliases = {old: new for new, old in declared.items() if old}
    assert "--device" not in aliases and "--mk-device" in declared
    assert all(new == "--mk-" + old.removeprefix("--") for old, new in aliases.items())
    assert all(name.startswith("--mk-") for name in declared)


# -- other plugins ------------------------------------------------------------------------------------
def test_no_clash_with_other_plugins(tmp_path) -> None:
    """Options of the same names as pytest-playwright's and pytest-timeout's (loaded with -p): both parse,
    --device goes to the other plugin, --mk-device to this one."""
    (tmp_path / "other_plugins.py").write_text(OTHER_PLUGINS)
    # the real ones stand aside where installed (they would clash with their stand-ins)
    others = ("-p", "no:playwright", "-p", "no:timeout", "-p", "no:base_url", "-p", "other_plugins")
    helped = _pytest(*others, "--help", cwd=tmp_path, pythonpath=tmp_path)
    assert helped.returncode == 0, helped.stdout + helped.stderr
    assert "--mk-device=DEVICE" in helped.stdout and "--device=DEVICE" in helped.stdout
    proc = _pytest(*others, "--co", "-q", f"--mk-tasks-dir={TASKS}", "--device", "iPhone 11",
                   "--timeout=5", "--browser=chromium", "--headed", "--base-url=http://127.0.0.1:9",
                   "--mk-device=host", "-k", "Relu", cwd=tmp_path, pythonpath=tmp_path, show=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "OTHER iPhone 11 5.0 ['chromium']" in out and "SETTINGS ('host',)" in out
    assert "Activation/Relu.py::compile" in out


def test_no_clash_with_installed_plugins(tmp_path) -> None:
    """The real ones, where installed (pip install -e '.[compat]'): pytest --help works with all of them."""
    pytest.importorskip("pytest_playwright")
    pytest.importorskip("pytest_timeout")
    proc = _pytest("--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for flag in ("--mk-device=DEVICE", "--device=DEVICE", "--timeout=TIMEOUT", "--numprocesses", "--benchmark-json"):
        assert flag in proc.stdout, flag


# -- the README -----------------------------------------------------------------------------------------
def test_readme_option_table_matches_the_options(declared) -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| option | default | meaning |"):readme.index("**Renamed options.**")]
    renamed = readme[readme.index("**Renamed options.**"):readme.index("## Devices")]
    in_table = set(re.findall(r"`(--[a-z-]*[a-z])", table))
    assert in_table == {"--agent", *declared}, in_table ^ {"--agent", *declared}
    olds = {old for old in declared.values() if old}
    listed = set(re.findall(r"`(--[a-z-]*[a-z])`", renamed)) - set(declared) - {"--agent"}
    assert listed == olds | {"--device"}, listed ^ (olds | {"--device"})  # --device: renamed without an alias


# -- which paths run -----------------------------------------------------------------------------------
def test_space_separated_values_are_not_test_paths(tmp_path) -> None:
    """pytest locates rootdir before the plugin's options are known (the cache dir looks like a test path
    then); the tasks dir still runs, not the invocation dir, and a path given on the command line wins."""
    import shutil

    shutil.copytree(TASKS, tmp_path / "bench_tasks")
    (tmp_path / "test_decoy.py").write_text("def test_decoy():\n    pass\n")
    (tmp_path / "cache").mkdir()
    proc = _pytest("--co", "-q", "--mk-cache-dir", str(tmp_path / "cache"), "-k", "Relu or decoy", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Activation/Relu.py::compile" in proc.stdout and "decoy" not in proc.stdout
    proc = _pytest("--co", "-q", "--mk-cache-dir", str(tmp_path / "cache"), "test_decoy.py", cwd=tmp_path)
    assert "test_decoy.py::test_decoy" in proc.stdout and "Relu" not in proc.stdout, proc.stdout + proc.stderr
