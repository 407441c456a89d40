"""pytest entry point: options, markers, collection and reporting hooks. Behaviour lives elsewhere."""

from __future__ import annotations

import os
import shutil
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from . import benchjson, machine, report, reportdir, sandbox
from .cache import default_root
from .config import Settings
from .devices import options as device_options
from .errors import MobileKernelError
from .evaluation import Evaluator
from .gate import Baseline
from .llm import LLMSettings, preflight
from .results import ResultsCollector
from .tasks import is_task_file

EVALUATOR = pytest.StashKey[Evaluator]()
SETTINGS = pytest.StashKey[Settings]()
COLLECTOR = pytest.StashKey[ResultsCollector]()
TASKS_DIR = pytest.StashKey[Path]()
RANDOM_SEED = pytest.StashKey[int]()
KEEP_SESSIONS = 10
# the public fixtures (mk_task, mk_kernel, mk_evaluate) for users' own tests
pytest_plugins = ["pytest_mobilekernel.fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("mobilekernel", "MobileKernelBench")
    g.addoption("--agent", default="replay", help="agent producing kernels: replay (default), oneshot, moka")
    device_options.add_options(g)  # --device (repeatable), --toolchain, --adb-host/--adb-port, --mnn-runner/-lib
    g.addoption("--target", default="lite",
                help="what kernels build against: lite (the embedded mnn_ext SDK, default) or mnn (a real MNN "
                     "checkout given by --mnn-root: kernels are swapped into its CPU backend and rebuilt)")
    g.addoption("--mnn-root", default=None, help="--target=mnn: the MNN checkout (e.g. tag 3.6.1)")
    g.addoption("--mnn-build-dir", default=None,
                help="--target=mnn: build directory to use (default: one in the cache, configured CPU-only)")
    g.addoption("--mnn-force", action="store_true",
                help="--target=mnn: swap kernels in even where the files have uncommitted changes "
                     "(they are backed up and restored all the same)")
    g.addoption("--tasks-dir", default=None, help="directory of <Category>/<Task>.py files (default: bench_tasks/)")
    g.addoption("--kernels-dir", default=None, help="stored kernels (default: kernels_generated/ beside the tasks)")
    g.addoption("--kernels-label", default=None,
                help="sub-folder of --kernels-dir to replay or write "
                     "(default: reference; <agent>-<model> for LLM agents)")
    g.addoption("--mk-cache-dir", default=None, help="build/task cache (default: $XDG_CACHE_HOME/pytest-mobilekernel)")
    g.addoption("--mk-results", default=".mobilekernel/results.json", help="machine-readable results file")
    g.addoption("--mk-report", default=None, help="write results.json, report.md and PNG plots into this directory")
    g.addoption("--mk-seeds", default="1,2,random,random",
                help="input seeds for correctness, comma-separated; 'random' is drawn once per run, so a kernel "
                     "cannot know every input in advance (default: 1,2,random,random: two public, two secret)")
    g.addoption("--mk-blocks", type=int, default=Settings.blocks, help="interleaved timing blocks per arm")
    g.addoption("--mk-block-ms", type=float, default=Settings.block_ms, help="target duration of one timing block (ms)")
    g.addoption("--mk-timeout", type=float, default=30.0, help="wall-time limit of one kernel run (s)")
    g.addoption("--mk-memory-mb", type=int, default=2048, help="address-space limit of one kernel run (MiB)")
    g.addoption("--mk-threads", type=int, default=1, help="threads given to kernels and baselines")
    g.addoption("--mk-pin-cpu", default="auto",
                help="pin every timed arm to one CPU: auto (the worker's lane CPU, or the last CPU without xdist; "
                     "host only), none, or a CPU number")
    g.addoption("--mk-timing-lanes", choices=("auto", "1"), default="auto",
                help="auto: under xdist each worker lives on its own CPU and times there, concurrently with the "
                     "others (one lane per CPU); 1: one timing at a time on the machine, everything else waits")
    g.addoption("--mk-static-checks", choices=("on", "off"), default="on",
                help="the static screen of kernel sources and the link-time symbol check (on); off leaves the "
                     "OS containment alone, as the project's containment tests do")
    g.addoption("--mk-torch-baseline", choices=("auto", "always", "never"), default="auto",
                help="time single-thread PyTorch eager as well: auto = only for tasks without an MNN baseline")
    g.addoption("--mk-baseline", default=None,
                help="CI gate: a results.json of an earlier run; items fail when a kernel loses correctness "
                     "or its speedup drops by more than --mk-max-slowdown")
    g.addoption("--mk-max-slowdown", type=float, default=10.0, help="gate threshold in percent (default 10)")
    llm = parser.getgroup("mobilekernel-llm", "MobileKernelBench LLM agents (oneshot, moka)")
    llm.addoption("--llm-base-url", default=None, help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    llm.addoption("--llm-model", default="gpt-4o-mini", help="model name sent to the endpoint")
    llm.addoption("--llm-timeout", type=float, default=180.0, help="seconds per LLM request")
    llm.addoption("--llm-retries", type=int, default=4, help="retries on 429/5xx/time-outs (exponential backoff)")
    llm.addoption("--llm-replay", default=None,
                  help="replay the transcripts under this label directory instead of calling an endpoint")
    llm.addoption("--llm-regenerate", action="store_true", help="generate again even where a complete kernel exists")
    llm.addoption("--max-iterations", type=int, default=10, help="MoKA iterations per task")
    llm.addoption("--samples", type=int, default=1, help="oneshot samples per task (pass@k)")


def _project_dir(config: pytest.Config) -> Path:
    """The directory holding bench_tasks/ and kernels_generated/.

    rootpath can be wrong when pytest mistook an option's value for a test path; look upwards too.
    """
    for base in (config.rootpath, config.invocation_params.dir, *config.invocation_params.dir.parents):
        if (base / "bench_tasks").is_dir():
            return base.resolve()
    return config.rootpath.resolve()


def _tasks_dir(config: pytest.Config) -> Path:
    opt = config.getoption("tasks_dir")
    return Path(opt).resolve() if opt else _project_dir(config) / "bench_tasks"


def _settings(config: pytest.Config, session_id: str) -> Settings:
    kernels = config.getoption("kernels_dir")
    cache_dir = Path(config.getoption("mk_cache_dir") or default_root()).resolve()
    random_seed = config.stash[RANDOM_SEED]
    try:
        # each 'random' is its own secret seed (drawn once per run, shared by the workers)
        words = [s.strip() for s in str(config.getoption("mk_seeds")).split(",") if s.strip()]
        seeds = tuple(random_seed + 7919 * words[:k].count("random") if w == "random" else int(w)
                      for k, w in enumerate(words))
    except ValueError:
        seeds_opt = config.getoption("mk_seeds")
        raise pytest.UsageError(f"--mk-seeds takes comma-separated integers, got {seeds_opt!r}") from None
    if not seeds:
        raise pytest.UsageError("--mk-seeds needs at least one seed")
    return Settings(
        kernels_dir=Path(kernels).resolve() if kernels else _project_dir(config) / "kernels_generated",
        cache_dir=cache_dir,
        session_dir=cache_dir / "sessions" / session_id,
        agent=config.getoption("agent"), label=_label(config),
        device=device_options.worker_device(config), devices=tuple(device_options.device_specs(config)),
        device_options=device_options.device_options(config), toolchain=config.getoption("toolchain"),
        target=config.getoption("target"), seeds=seeds,
        target_options={"mnn_root": config.getoption("mnn_root"), "mnn_build_dir": config.getoption("mnn_build_dir"),
                        "mnn_force": config.getoption("mnn_force"),
                        "static_checks": config.getoption("mk_static_checks") == "on"},
        blocks=config.getoption("mk_blocks"), block_ms=config.getoption("mk_block_ms"),
        timeout=config.getoption("mk_timeout"), memory_mb=config.getoption("mk_memory_mb"),
        threads=config.getoption("mk_threads"), pin_cpu=config.getoption("mk_pin_cpu"),
        timing_lanes=config.getoption("mk_timing_lanes"), worker_index=_worker_index(config),
        torch_baseline=config.getoption("mk_torch_baseline"),
        agent_options={"llm": _llm_settings(config), "samples": config.getoption("samples"),
                       "max_iterations": config.getoption("max_iterations"),
                       "regenerate": config.getoption("llm_regenerate")},
        baseline=_baseline(config),
    )


def _worker_index(config: pytest.Config) -> int | None:
    workerinput = getattr(config, "workerinput", None)
    if not workerinput:
        return None
    return int(str(workerinput["workerid"]).removeprefix("gw") or 0)


def _baseline(config: pytest.Config) -> Baseline | None:
    path = config.getoption("mk_baseline")
    if not path:
        return None
    try:
        gate = Baseline.load(Path(path), config.getoption("mk_max_slowdown") / 100)
        gate.check_run(config.getoption("target"), config.getoption("mk_threads"))
        return gate
    except MobileKernelError as exc:
        raise pytest.UsageError(str(exc)) from None


def _label(config: pytest.Config) -> str:
    label = config.getoption("kernels_label")
    if label:
        return label
    agent = config.getoption("agent")
    if agent == "replay":
        return "reference"
    model = "".join(c if c.isalnum() or c in "-_." else "-" for c in config.getoption("llm_model"))
    return f"{agent}-{model}"


def _llm_settings(config: pytest.Config) -> LLMSettings:
    replay = config.getoption("llm_replay")
    return LLMSettings.from_env(
        base_url=config.getoption("llm_base_url") or os.environ.get("OPENAI_BASE_URL"),
        model=config.getoption("llm_model"), timeout=config.getoption("llm_timeout"),
        max_retries=config.getoption("llm_retries"), replay_dir=Path(replay).resolve() if replay else None)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    for stage, text in (("compile", "the kernel builds"), ("correctness", "the kernel matches PyTorch"),
                        ("speed", "the kernel is timed against MNN")):
        config.addinivalue_line("markers", f"{stage}: MobileKernelBench stage: {text}")
    config.stash[TASKS_DIR] = _tasks_dir(config)
    workerinput = getattr(config, "workerinput", None)
    if workerinput:
        session_id = workerinput["mk_session"]
    else:
        session_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
    # 'random' in --mk-seeds: drawn once in the controller, shared with the workers
    config.stash[RANDOM_SEED] = workerinput["mk_random_seed"] if workerinput else \
        4 + int.from_bytes(os.urandom(4), "little") % 10**9
    config.stash[SETTINGS] = _settings(config, session_id)
    _choose_args(config)
    if workerinput is None:
        config.stash[COLLECTOR] = ResultsCollector()
        config.pluginmanager.register(_Controller(config), "mobilekernel-controller")
        _prune_sessions(config.stash[SETTINGS].cache_dir / "sessions")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(session_id, config.stash[RANDOM_SEED]), "mobilekernel-xdist")
    # Unknown agent/device/target: fail now with one line, not once per task.
    try:
        from .agents import get_agent_class
        from .devices import get_device
        from .targets import TARGETS

        agent_cls = get_agent_class(config.getoption("agent"))
        for spec in device_options.device_specs(config):
            get_device(spec, **device_options.device_options(config))
        if config.getoption("target") not in TARGETS:
            raise MobileKernelError(f"unknown target {config.getoption('target')!r}: known targets are "
                                    f"{', '.join(sorted(TARGETS))}")
        if config.getoption("target") == "mnn" and any(
                spec not in ("host", "qemu-aarch64") for spec in device_options.device_specs(config)):
            # the on-tree runner links the checkout's libMNN.so dynamically: on a phone that needs
            # MNN built with the NDK (bionic) and the library pushed beside the runner; not wired up
            raise MobileKernelError("--target=mnn runs on --device=host (all stages) and --device=qemu-aarch64 "
                                    "(compile and correctness on ARM) only; phones are not wired up for it yet: "
                                    "use the lite target on adb devices")
        if workerinput is None and config.getoption("target") == "mnn":
            # the checkout is valid, and a journal left by a killed run is restored before anything else
            from .cache import Cache
            from .targets import get_target

            settings = config.stash[SETTINGS]
            restored = get_target("mnn", **settings.target_options).recover(Cache(settings.cache_dir))  # type: ignore[attr-defined]
            if restored:
                sys.stderr.write("mobilekernel: restored the MNN tree from the journal of an interrupted run: "
                                 + ", ".join(restored) + "\n")
        if workerinput is None:  # devices reachable, ABI right, toolchain present: once, before any item
            device_options.check_devices(config)
        # LLM agents: check the endpoint once, in the controller, before any task runs.
        if workerinput is None and getattr(agent_cls, "needs_task_data", False) and not config.option.collectonly:
            preflight(config.stash[SETTINGS].agent_options["llm"])
    except MobileKernelError as exc:
        raise pytest.UsageError(str(exc)) from None


def _choose_args(config: pytest.Config) -> None:
    """Run the tasks dir when no test path was given.

    pytest's early argument scan takes the value of a space-separated plugin option
    (``--mk-cache-dir /tmp/x``) for a test path and then skips ``testpaths``; undo that here.
    """
    invocation = [str(a) for a in config.invocation_params.args]
    option_values = {str(config.getoption(name)) for name in PATH_OPTIONS if config.getoption(name)}
    positional = [a for a in invocation if not a.startswith("-") and a not in option_values]
    # values of other options (-k EXPR, -m EXPR, -n N, -p NAME...) are not paths either
    for flag in ("-k", "-m", "-n", "-p", "--numprocesses", "--dist", "--junitxml", "--benchmark-json",
                 "--agent", "--device", *device_options.OPTION_FLAGS, "--target", "--mnn-root", "--mnn-build-dir",
                 "--kernels-label", "--mk-seeds",
                 "--mk-blocks",
                 "--mk-block-ms", "--mk-timeout", "--mk-memory-mb", "--mk-threads", "-W", "-o", "--rootdir",
                 "--basetemp", "--tb", "-c", "--maxfail", "--deselect", "--ignore"):
        for i, a in enumerate(invocation[:-1]):
            if a == flag and invocation[i + 1] in positional:
                positional.remove(invocation[i + 1])
    if positional:
        return
    if config.getoption("tasks_dir") or (
        config.args_source == pytest.Config.ArgsSource.INVOCATION_DIR and config.stash[TASKS_DIR].is_dir()
    ):
        config.args = [str(config.stash[TASKS_DIR])]


PATH_OPTIONS = ("tasks_dir", "kernels_dir", "mk_cache_dir", "mk_results", "mnn_root", "mnn_build_dir",
                *device_options.PATH_OPTIONS)


class _XdistHooks:
    def __init__(self, session_id: str, random_seed: int) -> None:
        self.session_id = session_id
        self.random_seed = random_seed

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["mk_session"] = self.session_id
        node.workerinput["mk_random_seed"] = self.random_seed


def _prune_sessions(root: Path) -> None:
    if not root.exists():
        return
    sessions = sorted(root.iterdir(), key=lambda p: p.stat().st_mtime)
    for old in sessions[:-KEEP_SESSIONS]:
        shutil.rmtree(old, ignore_errors=True)


def get_evaluator(config: pytest.Config) -> Evaluator:
    if EVALUATOR not in config.stash:
        config.stash[EVALUATOR] = Evaluator(config.stash[SETTINGS])
    return config.stash[EVALUATOR]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    tasks_dir = parent.config.stash[TASKS_DIR]
    if file_path.parent.parent == tasks_dir and is_task_file(file_path):
        from .collect import TaskFile

        return TaskFile.from_parent(parent, path=file_path)
    return None


class _Controller:
    """Controller-side aggregation (the only process under -n 0, the xdist master otherwise)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" and not (report.when == "setup" and report.skipped):
            return
        record = self.config.stash[COLLECTOR].add(report.user_properties, report.outcome, report.duration)
        if record and record.get("stage") == "speed" and record.get("status") == "passed":
            _add_benchmarks(self.config, report.nodeid, record)


def _add_benchmarks(config: pytest.Config, nodeid: str, record: dict[str, Any]) -> None:
    import json

    settings = config.stash[SETTINGS]
    category, name = record["task"].split("/", 1)
    path = settings.session_dir / "samples" / category / f"{name}.json"
    if not path.exists():
        return
    arms = json.loads(path.read_text())
    info = {k: record.get(k) for k in ("task", "op", "device", "agent", "kernel_hash", "speedup", "baseline")}
    for arm, blocks in arms.items():
        benchjson.add_arm(config, nodeid, record["task"], arm, blocks, info)


def _run_info(config: pytest.Config) -> dict[str, Any]:
    s = config.stash[SETTINGS]
    return {"agent": s.agent, "label": s.label, "device": ",".join(s.devices) or s.device, "target": s.target,
            "seeds": list(s.seeds), "blocks": s.blocks, "threads": s.threads,
            "workers": os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"), "session_dir": str(s.session_dir)}


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if COLLECTOR not in config.stash or not config.stash[COLLECTOR].records:
        return
    collector = config.stash[COLLECTOR]
    results_path = Path(config.getoption("mk_results"))
    if not results_path.is_absolute():
        results_path = config.invocation_params.dir / results_path
    machine_info = machine.describe(_toolchain_identity(config))
    confinement = _sandbox_info(config)
    collector.write(results_path, {**_run_info(config), "machine_info": machine_info, "sandbox": confinement})
    terminalreporter.section("MobileKernelBench")
    for line in report.render(collector.outcomes(), _run_info(config)):
        terminalreporter.write_line(line)
    terminalreporter.write_line(sandbox.describe_enforcement(confinement))
    terminalreporter.write_line(f"results: {results_path}")
    report_dir = config.getoption("mk_report")
    if report_dir:
        written = reportdir.write(Path(report_dir).resolve(), collector.outcomes(), _run_info(config), results_path,
                                  machine_info)
        terminalreporter.write_line(f"report: {', '.join(str(p) for p in written)}")


def _sandbox_info(config: pytest.Config) -> dict[str, Any]:
    """What confined the kernels (the launcher's own report; the same on every worker of a machine)."""
    try:
        get_evaluator(config)  # builds the launcher
    except MobileKernelError:
        pass
    return sandbox.enforcement()


def _toolchain_identity(config: pytest.Config) -> str:
    try:
        return get_evaluator(config).toolchain().identity
    except MobileKernelError as exc:
        return f"unavailable: {exc}"
