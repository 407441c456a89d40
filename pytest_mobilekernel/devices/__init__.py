"""Device registry: ``--device`` strings map to Device classes (add a transport = add a module)."""

from __future__ import annotations

from ..errors import DeviceError
from .base import Device
from .host import HostDevice

__all__ = ["Device", "get_device", "DEVICE_KINDS"]

DEVICE_KINDS = {"host": HostDevice}


def get_device(spec: str) -> Device:
    kind, _, arg = spec.partition(":")
    cls = DEVICE_KINDS.get(kind)
    if cls is None:
        known = ", ".join(sorted(DEVICE_KINDS))
        raise DeviceError(f"unknown device {spec!r}: known devices are {known}")
    return cls(arg) if arg else cls()
