"""Command-line options of devices and toolchains, and how a process picks its device.

``--device`` may be given several times (a desk of phones): xdist worker ``gwN`` leases device
``N mod len(devices)`` for the whole run (static leasing: simple, and a device is never shared by
two workers unless there are more workers than devices, in which case the per-device lock still
keeps one timing at a time on it). Run with ``-n`` at least the number of devices. A worker whose
device goes away moves to another one that answers (``Evaluator._failover``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ..errors import MobileKernelError
from . import device_for_worker, get_device

OPTION_FLAGS = ("--adb-host", "--adb-port", "--toolchain")  # values that are not test paths
PATH_OPTIONS = ("mnn_runner", "mnn_lib")


def add_options(group: Any) -> None:
    group.addoption("--device", action="append", default=None,
                    help="where kernels run: host (default), qemu-aarch64 (ARM correctness under emulation, "
                         "no timing), adb[:SERIAL] (an Android phone). Give it several times to spread the "
                         "run over several devices: xdist worker gwN uses device N mod count (-n >= count)")
    group.addoption("--toolchain", default="auto",
                    help="compiler for aarch64 devices: auto (default: the NDK's clang for adb devices when "
                         "ANDROID_NDK_HOME is set, else static aarch64-linux-gnu-g++), gnu, ndk[:API]")
    group.addoption("--adb-host", default=None, help="adb server host (default: $ANDROID_ADB_SERVER_HOST or 127.0.0.1)")
    group.addoption("--adb-port", type=int, default=None,
                    help="adb server port (default: $ANDROID_ADB_SERVER_PORT or 5037)")
    group.addoption("--mnn-runner", default=None,
                    help="MNN benchmark binary built for the phone (contract: see README, 'Phones'); "
                         "without it, speed on a phone is measured against the task's reference kernel")
    group.addoption("--mnn-lib", default=None, help="libMNN*.so file or directory pushed beside --mnn-runner")


def device_specs(config: pytest.Config) -> list[str]:
    return list(config.getoption("device") or ["host"])


def device_options(config: pytest.Config) -> dict[str, Any]:
    opts: dict[str, Any] = {"adb_host": config.getoption("adb_host"), "adb_port": config.getoption("adb_port")}
    for name in PATH_OPTIONS:
        value = config.getoption(name)
        opts[name] = str(Path(value).resolve()) if value else None
    return opts


def worker_device(config: pytest.Config) -> str:
    workerinput = getattr(config, "workerinput", None)
    return device_for_worker(device_specs(config), workerinput["workerid"] if workerinput else None)


def check_devices(config: pytest.Config) -> None:
    """In the controller, before any item: every device reachable and able to run what gets built."""
    from ..toolchain import toolchain_for

    specs = device_specs(config)
    if len(set(specs)) != len(specs):
        raise pytest.UsageError(f"--device given twice for the same device: {', '.join(specs)}")
    opts = device_options(config)
    for name in PATH_OPTIONS:
        if opts[name] and not os.path.exists(opts[name]):
            raise pytest.UsageError(f"--{name.replace('_', '-')}: {opts[name]} does not exist")
    kinds = set()
    try:
        for spec in specs:
            device = get_device(spec, **opts)
            kinds.add((device.arch, device.platform))
            if not config.option.collectonly:
                device.check()
                toolchain_for(device.arch, device.platform, config.getoption("toolchain"))
    except MobileKernelError as exc:
        raise pytest.UsageError(str(exc)) from None
    if len(kinds) > 1:
        raise pytest.UsageError(f"--device values {', '.join(specs)} need different builds; several devices in "
                                "one run must be of one kind (e.g. a desk of phones): run the others separately")
    if len(specs) > 1 and not config.option.collectonly:
        workers = getattr(config.option, "numprocesses", None)
        if not workers:
            raise pytest.UsageError(f"{len(specs)} devices need xdist workers: add -n {len(specs)} (worker gwN "
                                    "uses device N mod count)")
        if isinstance(workers, int) and workers < len(specs):
            raise pytest.UsageError(f"-n {workers} leaves devices idle: use -n {len(specs)} or more "
                                    "(worker gwN uses device N mod count)")
