"""The run's Settings, built from the plugin's options (values already checked by options.py's parsers)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .agents.llm import LLMSettings
from .cache import default_root
from .config import AgentOptions, Settings, TargetOptions
from .devices import options as device_options
from .errors import MobileKernelError
from .reporting.regression_gate import Baseline
from .workers import worker_index

RANDOM_STRIDE = 7919  # the k-th 'random' seed of a run is random_seed + k * stride: distinct, all secret


def project_dir(config: pytest.Config) -> Path:
    """The directory holding bench_tasks/ and kernels_generated/.

    rootpath can be wrong when pytest mistook an option's value for a test path; look upwards too.
    """
    for base in (config.rootpath, config.invocation_params.dir, *config.invocation_params.dir.parents):
        if (base / "bench_tasks").is_dir():
            return base.resolve()
    return config.rootpath.resolve()


def tasks_dir(config: pytest.Config) -> Path:
    opt = config.getoption("mk_tasks_dir")
    return Path(opt).resolve() if opt else project_dir(config) / "bench_tasks"


def build(config: pytest.Config, session_id: str, random_seed: int) -> Settings:
    kernels = config.getoption("mk_kernels_dir")
    cache_dir = Path(config.getoption("mk_cache_dir") or default_root()).resolve()
    return Settings(
        kernels_dir=Path(kernels).resolve() if kernels else project_dir(config) / "kernels_generated",
        cache_dir=cache_dir,
        session_dir=cache_dir / "sessions" / session_id,
        agent=config.getoption("agent"), label=label(config),
        device=device_options.worker_device(config), devices=tuple(device_options.device_specs(config)),
        device_options=device_options.device_options(config), toolchain=config.getoption("mk_toolchain"),
        target=config.getoption("mk_target"), seeds=seeds(config.getoption("mk_seeds"), random_seed),
        target_options=TargetOptions(mnn_root=config.getoption("mk_mnn_root"),
                                     mnn_build_dir=config.getoption("mk_mnn_build_dir"),
                                     mnn_force=config.getoption("mk_mnn_force"),
                                     static_checks=config.getoption("mk_static_checks") == "on"),
        blocks=config.getoption("mk_blocks"), block_ms=config.getoption("mk_block_ms"),
        timeout=config.getoption("mk_timeout"), memory_mb=config.getoption("mk_memory_mb"),
        threads=config.getoption("mk_threads"), pin_cpu=config.getoption("mk_pin_cpu"),
        timing_lanes=config.getoption("mk_timing_lanes"), worker_index=worker_index(config),
        torch_baseline=config.getoption("mk_torch_baseline"),
        agent_options=AgentOptions(llm=llm_settings(config), samples=config.getoption("mk_samples"),
                                   max_iterations=config.getoption("mk_max_iterations"),
                                   regenerate=config.getoption("mk_llm_regenerate")),
        baseline=baseline(config),
    )


def seeds(words: tuple[int | str, ...], random_seed: int) -> tuple[int, ...]:
    """--mk-seeds as parsed (integers and 'random') -> the run's seeds.

    Each 'random' is its own secret seed, drawn once per run (in the controller, shared with the
    workers), so a kernel cannot know every input in advance.
    """
    return tuple(random_seed + RANDOM_STRIDE * words[:k].count("random") if w == "random" else int(w)
                 for k, w in enumerate(words))


def label(config: pytest.Config) -> str:
    """The kernels' folder under --mk-kernels-dir: given, or reference (replay), or <agent>-<model>."""
    given = config.getoption("mk_kernels_label")
    if given:
        return given
    agent = config.getoption("agent")
    if agent == "replay":
        return "reference"
    model = "".join(c if c.isalnum() or c in "-_." else "-" for c in config.getoption("mk_llm_model"))
    return f"{agent}-{model}"


def llm_settings(config: pytest.Config) -> LLMSettings:
    replay = config.getoption("mk_llm_replay")
    return LLMSettings.from_env(
        base_url=config.getoption("mk_llm_base_url") or os.environ.get("OPENAI_BASE_URL"),
        model=config.getoption("mk_llm_model"), timeout=config.getoption("mk_llm_timeout"),
        max_retries=config.getoption("mk_llm_retries"), replay_dir=Path(replay).resolve() if replay else None)


def baseline(config: pytest.Config) -> Baseline | None:
    """--mk-baseline: the stored run the CI gate compares with (refused when of other settings)."""
    path = config.getoption("mk_baseline")
    if not path:
        return None
    try:
        gate = Baseline.load(Path(path), config.getoption("mk_max_slowdown") / 100)
        gate.check_run(config.getoption("mk_target"), config.getoption("mk_threads"))
        return gate
    except MobileKernelError as exc:
        raise pytest.UsageError(str(exc)) from None
