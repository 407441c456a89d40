"""The device options as the devices see them (declared in plugin.py), and how a process picks its device.

``--mk-device`` may be given several times (a desk of phones): xdist worker ``gwN`` leases device
``N mod len(devices)`` for the whole run (static leasing: simple, and a device is never shared by
two workers unless there are more workers than devices, in which case the per-device lock still
keeps one timing at a time on it). Run with ``-n`` at least the number of devices. A worker whose
device goes away moves to another one that answers (``Evaluator._failover``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..config import DeviceOptions
from ..errors import MobileKernelError
from ..workers import worker_index
from . import device_for_worker, get_device


def device_specs(config: pytest.Config) -> list[str]:
    return list(config.getoption("mk_device") or ["host"])


def device_options(config: pytest.Config) -> DeviceOptions:
    """What get_device takes besides the spec: adb_host, adb_port, mnn_runner, mnn_lib (absolute)."""
    paths = {name: str(Path(v).resolve()) if (v := config.getoption(f"mk_{name}")) else None
             for name in ("mnn_runner", "mnn_lib")}
    return DeviceOptions(adb_host=config.getoption("mk_adb_host"), adb_port=config.getoption("mk_adb_port"), **paths)


def worker_device(config: pytest.Config) -> str:
    return device_for_worker(device_specs(config), worker_index(config))


def check_devices(config: pytest.Config) -> None:
    """In the controller, before any item: every device reachable and able to run what gets built."""
    from ..toolchain import toolchain_for

    specs = device_specs(config)
    if len(set(specs)) != len(specs):
        raise pytest.UsageError(f"--mk-device given twice for the same device: {', '.join(specs)}")
    opts = device_options(config)  # --mk-mnn-runner/--mk-mnn-lib exist: checked while parsing
    kinds = set()
    try:
        for spec in specs:
            device = get_device(spec, **opts.as_kwargs())
            kinds.add((device.arch, device.platform))
            if not config.option.collectonly:
                device.check()
                toolchain_for(device.arch, device.platform, config.getoption("mk_toolchain"))
    except MobileKernelError as exc:
        raise pytest.UsageError(str(exc)) from None
    if len(kinds) > 1:
        raise pytest.UsageError(f"--mk-device values {', '.join(specs)} need different builds; several devices in "
                                "one run must be of one kind (e.g. a desk of phones): run the others separately")
    if len(specs) > 1 and not config.option.collectonly:
        workers = getattr(config.option, "numprocesses", None)
        if not workers:
            raise pytest.UsageError(f"{len(specs)} devices need xdist workers: add -n {len(specs)} (worker gwN "
                                    "uses device N mod count)")
        if isinstance(workers, int) and workers < len(specs):
            raise pytest.UsageError(f"-n {workers} leaves devices idle: use -n {len(specs)} or more "
                                    "(worker gwN uses device N mod count)")
