"""The run's settings: what the plugin's options decided, handed to the Evaluator."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .tasks import DEFAULT_SEEDS


@dataclass
class Settings:
    kernels_dir: Path
    cache_dir: Path
    session_dir: Path
    agent: str = "replay"
    label: str = "reference"
    device: str = "host"  # this process's device (xdist workers lease one of devices)
    devices: tuple[str, ...] = ()  # every --device of the run
    device_options: dict[str, Any] = field(default_factory=dict)  # adb_host, adb_port, mnn_runner, mnn_lib
    toolchain: str = "auto"  # --toolchain: auto | gnu | ndk[:API]
    target: str = "lite"
    target_options: dict[str, Any] = field(default_factory=dict)  # mnn_root, mnn_build_dir, mnn_force
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
    agent_options: dict[str, Any] = field(default_factory=dict)
    baseline: Any = None  # gate.Baseline: fail items that regress against a stored run
