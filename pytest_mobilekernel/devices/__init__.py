"""Device registry: ``--mk-device`` strings map to Device classes (add a transport = add a module).

    host              this machine (default)
    qemu-aarch64      aarch64 binaries under qemu-aarch64-static: compile + correctness, no timing
    adb[:SERIAL]      an Android phone through an adb server (--mk-adb-host, --mk-adb-port)
"""

from __future__ import annotations

from typing import Any

from ..errors import DeviceError
from .base import Device, DeviceFailure
from .host import HostDevice
from .qemu import QemuDevice

__all__ = ["Device", "DeviceFailure", "get_device", "DEVICE_KINDS", "device_for_worker"]


def _adb(arg: str, **options: Any) -> Device:
    from .adb import AdbDevice  # adbutils is imported only when a phone is asked for

    return AdbDevice(arg or None, host=options.get("adb_host"), port=options.get("adb_port"))


DEVICE_KINDS: dict[str, Any] = {
    "host": lambda arg, **o: HostDevice(),
    "qemu-aarch64": lambda arg, **o: QemuDevice(),
    "adb": _adb,
}


def get_device(spec: str, **options: Any) -> Device:
    """``options``: adb_host, adb_port (ignored by devices that do not use them)."""
    kind, _, arg = spec.partition(":")
    make = DEVICE_KINDS.get(kind)
    if make is None:
        known = ", ".join(sorted(DEVICE_KINDS))
        raise DeviceError(f"unknown device {spec!r}: known devices are {known} (adb takes adb:SERIAL)")
    if arg and kind != "adb":
        raise DeviceError(f"device {kind!r} takes no argument (got {spec!r})")
    return make(arg, **options)


def device_for_worker(specs: list[str], worker_index: int | None) -> str:
    """The device a process uses when several are given: xdist worker gwN takes ``specs[N % len]``.

    Without xdist (or in the controller, ``worker_index`` None) it is the first one. Leasing by worker
    number is static: run ``-n`` at least the number of devices (a multiple of it balances them) so
    every device works.
    """
    if not specs:
        return "host"
    return specs[(worker_index or 0) % len(specs)]
