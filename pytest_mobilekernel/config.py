"""The run's settings: what the plugin's options decided (settings.py builds them), handed to the
Evaluator. Typed all the way down: a sub-config per part of the pipeline that takes options."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .tasks import DEFAULT_SEEDS

if TYPE_CHECKING:
    from .agents.llm import LLMSettings


@dataclass(frozen=True)
class DeviceOptions:
    """How devices are reached (``--mk-adb-*``), and MNN built for a phone (``--mk-mnn-runner/-lib``)."""

    adb_host: str | None = None
    adb_port: int | None = None
    mnn_runner: str | None = None  # absolute path
    mnn_lib: str | None = None  # absolute path

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TargetOptions:
    """What kernels build against beyond its name (``--mk-mnn-*``, ``--mk-static-checks``)."""

    mnn_root: str | None = None
    mnn_build_dir: str | None = None
    mnn_force: bool = False
    static_checks: bool = True  # the static screen and the link-time symbol check

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AgentOptions:
    """What LLM agents take (``--mk-llm-*``, ``--mk-samples``, ``--mk-max-iterations``)."""

    llm: LLMSettings | None = None  # None: from the environment
    samples: int = 1  # oneshot samples per task (pass@k)
    max_iterations: int = 10  # MoKA iterations per task
    regenerate: bool = False  # generate again where a complete kernel exists


@dataclass
class Settings:
    kernels_dir: Path
    cache_dir: Path
    session_dir: Path
    agent: str = "replay"
    label: str = "reference"
    device: str = "host"  # this process's device (xdist workers lease one of devices)
    devices: tuple[str, ...] = ()  # every --mk-device of the run
    device_options: DeviceOptions = field(default_factory=DeviceOptions)
    toolchain: str = "auto"  # --mk-toolchain: auto | gnu | ndk[:API]
    target: str = "lite"
    target_options: TargetOptions = field(default_factory=TargetOptions)
    seeds: tuple[int, ...] = DEFAULT_SEEDS
    blocks: int = 5
    block_ms: float = 10.0
    timeout: float = 30.0
    memory_mb: int = 2048
    threads: int = 1
    torch_baseline: str = "auto"  # auto: only where MNN gives no baseline; always; never
    pin_cpu: str = "auto"  # "auto": the lane's CPU when timing on the host; "none"; or a CPU number
    timing_lanes: str = "auto"  # "auto": one timing lane per CPU (xdist worker gwN owns CPU N); "1": one at a time
    worker_index: int | None = None  # N of xdist worker gwN (None: no xdist)
    agent_options: AgentOptions = field(default_factory=AgentOptions)
    baseline: Any = None  # reporting.regression_gate.Baseline: fail items that regress against a stored run
