"""pytest entry point: the plugin's options and hooks. What the hooks do lives in the modules they call:

    options.py       value parsers, old spellings         settings.py     options -> Settings
    validation.py    agent/device/target/endpoint checks  housekeeping.py old sessions, MNN journal
    testpaths.py     the tasks dir when no path is given   workers.py      xdist worker number, handover
    collect.py       task files -> stage items             runstate.py     config.stash, the Evaluator
    reporting/       records, metrics, terminal summary, results file, --mk-report, CI gate
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from . import housekeeping, options, settings, testpaths, validation, workers
from .collect import TaskFile
from .config import Settings
from .errors import MobileKernelError
from .options import (
    cpu_pin,
    existing_dir,
    existing_file,
    existing_path,
    label,
    non_empty,
    non_negative_float,
    non_negative_int,
    port,
    positive_float,
    positive_int,
    seed_list,
    toolchain_choice,
)
from .reporting.controller import Controller
from .runstate import RANDOM_SEED, SESSION_ID, SETTINGS, TASKS_DIR
from .tasks import is_task_file

CONTROLLER = "mobilekernel-controller"
STAGE_MARKERS = (("compile", "the kernel builds"), ("correctness", "the kernel matches PyTorch"),
                 ("speed", "the kernel is timed against MNN"))
# the public fixtures (mk_task, mk_kernel, mk_evaluate) for users' own tests
pytest_plugins = ["pytest_mobilekernel.fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("mobilekernel", "MobileKernelBench")
    add = options.add  # old=: the former spelling, a hidden alias that warns (none where another plugin has it)
    g.addoption("--agent", default="replay", type=non_empty,
                help="agent producing kernels: replay (default), oneshot, moka")
    # Devices. No alias for --device: pytest-playwright declares it.
    add(g, "--mk-device", action="append", default=None, type=non_empty,
        help="where kernels run: host (default), qemu-aarch64 (ARM correctness under emulation, no timing), "
             "adb[:SERIAL] (an Android phone). Give it several times to spread the run over several devices: "
             "xdist worker gwN uses device N mod count (-n >= count)")
    add(g, "--mk-toolchain", old="--toolchain", default="auto", type=toolchain_choice,
        help="compiler for aarch64 devices: auto (default: the NDK's clang for adb devices when ANDROID_NDK_HOME "
             "is set, else static aarch64-linux-gnu-g++), gnu, ndk[:API]")
    add(g, "--mk-adb-host", old="--adb-host", default=None, type=non_empty,
        help="adb server host (default: $ANDROID_ADB_SERVER_HOST or 127.0.0.1)")
    add(g, "--mk-adb-port", old="--adb-port", default=None, type=port,
        help="adb server port (default: $ANDROID_ADB_SERVER_PORT or 5037)")
    add(g, "--mk-mnn-runner", old="--mnn-runner", default=None, type=existing_file,
        help="MNN benchmark binary built for the phone (contract: see README, 'Phones'); without it, speed on "
             "a phone is measured against the task's reference kernel")
    add(g, "--mk-mnn-lib", old="--mnn-lib", default=None, type=existing_path,
        help="libMNN*.so file or directory pushed beside --mk-mnn-runner")
    # What kernels build against.
    add(g, "--mk-target", old="--target", default="lite", type=non_empty,
        help="what kernels build against: lite (the embedded mnn_ext SDK, default) or mnn (a real MNN checkout "
             "given by --mk-mnn-root: kernels are swapped into its CPU backend and rebuilt)")
    add(g, "--mk-mnn-root", old="--mnn-root", default=None, type=existing_dir,
        help="--mk-target=mnn: the MNN checkout (e.g. tag 3.6.1)")
    add(g, "--mk-mnn-build-dir", old="--mnn-build-dir", default=None, type=non_empty,
        help="--mk-target=mnn: build directory to use (default: one in the cache, configured CPU-only)")
    add(g, "--mk-mnn-force", old="--mnn-force", action="store_true",
        help="--mk-target=mnn: swap kernels in even where the files have uncommitted changes (they are backed "
             "up and restored all the same)")
    # Tasks and kernels.
    add(g, "--mk-tasks-dir", old="--tasks-dir", default=None, type=existing_dir,
        help="directory of <Category>/<Task>.py files (default: bench_tasks/)")
    add(g, "--mk-kernels-dir", old="--kernels-dir", default=None, type=non_empty,
        help="stored kernels (default: kernels_generated/ beside the tasks)")
    add(g, "--mk-kernels-label", old="--kernels-label", default=None, type=label,
        help="sub-folder of --mk-kernels-dir to replay or write (default: reference; <agent>-<model> for LLM "
             "agents)")
    # The run: cache, results, inputs, timing, limits.
    add(g, "--mk-cache-dir", default=None, type=non_empty,
        help="build/task cache (default: $XDG_CACHE_HOME/pytest-mobilekernel)")
    add(g, "--mk-results", default=".mobilekernel/results.json", type=non_empty, help="machine-readable results file")
    add(g, "--mk-report", default=None, type=non_empty, help="write results.json, report.md and PNG plots into this "
                                                             "directory")
    # defaults are given parsed: pytest does not always pass a string default through type= (e.g. --help)
    add(g, "--mk-seeds", default=seed_list("1,2,random,random"), type=seed_list,
        help="input seeds for correctness, comma-separated; 'random' is drawn once per run, so a kernel cannot "
             "know every input in advance (default: 1,2,random,random: two public, two secret)")
    add(g, "--mk-blocks", type=positive_int, default=Settings.blocks, help="interleaved timing blocks per arm")
    add(g, "--mk-block-ms", type=positive_float, default=Settings.block_ms,
        help="target duration of one timing block (ms)")
    add(g, "--mk-timeout", type=positive_float, default=30.0, help="wall-time limit of one kernel run (s)")
    add(g, "--mk-memory-mb", type=positive_int, default=2048, help="address-space limit of one kernel run (MiB)")
    add(g, "--mk-threads", type=positive_int, default=1, help="threads given to kernels and baselines")
    add(g, "--mk-pin-cpu", default="auto", type=cpu_pin,
        help="pin every timed arm to one CPU: auto (the worker's lane CPU, or the last CPU without xdist; host "
             "only), none, or a CPU number")
    add(g, "--mk-timing-lanes", choices=("auto", "1"), default="auto",
        help="auto: under xdist each worker lives on its own CPU and times there, concurrently with the others "
             "(one lane per CPU); 1: one timing at a time on the machine, everything else waits")
    add(g, "--mk-static-checks", choices=("on", "off"), default="on",
        help="the static screen of kernel sources and the link-time symbol check (on); off leaves the OS "
             "containment alone, as the project's containment tests do")
    add(g, "--mk-torch-baseline", choices=("auto", "always", "never"), default="auto",
        help="time single-thread PyTorch eager as well: auto = only for tasks without an MNN baseline")
    add(g, "--mk-baseline", default=None, type=existing_file,
        help="CI gate: a results.json of an earlier run; items fail when a kernel loses correctness or its "
             "speedup drops by more than --mk-max-slowdown")
    add(g, "--mk-max-slowdown", type=non_negative_float, default=10.0, help="gate threshold in percent (default 10)")
    llm = parser.getgroup("mobilekernel-llm", "MobileKernelBench LLM agents (oneshot, moka)")
    add(llm, "--mk-llm-base-url", old="--llm-base-url", default=None, type=non_empty,
        help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    add(llm, "--mk-llm-model", old="--llm-model", default="gpt-4o-mini", type=non_empty,
        help="model name sent to the endpoint")
    add(llm, "--mk-llm-timeout", old="--llm-timeout", type=positive_float, default=180.0,
        help="seconds per LLM request")
    add(llm, "--mk-llm-retries", old="--llm-retries", type=non_negative_int, default=4,
        help="retries on 429/5xx/time-outs (exponential backoff)")
    add(llm, "--mk-llm-replay", old="--llm-replay", default=None, type=existing_dir,
        help="replay the transcripts under this label directory instead of calling an endpoint")
    add(llm, "--mk-llm-regenerate", old="--llm-regenerate", action="store_true",
        help="generate again even where a complete kernel exists")
    add(llm, "--mk-max-iterations", old="--max-iterations", type=positive_int, default=10,
        help="MoKA iterations per task")
    add(llm, "--mk-samples", old="--samples", type=positive_int, default=1, help="oneshot samples per task (pass@k)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    for stage, text in STAGE_MARKERS:
        config.addinivalue_line("markers", f"{stage}: MobileKernelBench stage: {text}")
    controller = not workers.is_worker(config)
    if controller:
        options.warn_old_spellings(config)
    session_id, random_seed = workers.run_identity(config)
    config.stash[SESSION_ID], config.stash[RANDOM_SEED] = session_id, random_seed
    config.stash[TASKS_DIR] = settings.tasks_dir(config)
    config.stash[SETTINGS] = run = settings.build(config, session_id, random_seed)
    testpaths.choose_args(config, config.stash[TASKS_DIR])
    if controller:
        config.pluginmanager.register(Controller(config), CONTROLLER)
        housekeeping.prune_sessions(run.cache_dir / "sessions")
    # Unknown agent/device/target, unreachable device or endpoint: fail now with one line, not once per task.
    try:
        validation.check_names(config)
        if controller and run.target == "mnn":
            housekeeping.recover_mnn_tree(run)
        if controller:
            validation.check_reachable(config, run)
    except MobileKernelError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist, in the controller, for each worker it starts: the run's session and secret seed go along."""
    workers.hand_over(node.workerinput, node.config.stash[SESSION_ID], node.config.stash[RANDOM_SEED])


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    tasks_dir = parent.config.stash[TASKS_DIR]
    if file_path.parent.parent == tasks_dir and is_task_file(file_path):
        return TaskFile.from_parent(parent, path=file_path)
    return None


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    controller = config.pluginmanager.get_plugin(CONTROLLER)
    if controller is not None:
        controller.summarize(terminalreporter)
