"""Baselines a candidate kernel is timed against, one arm per file.

=====================  =====================================================================
``mnn_wheel``          MNN's own kernel through the ``mnn`` wheel on this machine (host, lite)
``mnn_tree``           MNN's original kernel built from the ``--mk-mnn-root`` checkout (``--mk-target=mnn``)
``mnn_device``         MNN's own kernel on a phone, through a user-supplied MNN runner (adb)
``reference_kernel``   the task's stored reference kernel on the same device (phones without MNN)
``torch_eager``        single-thread PyTorch eager on this machine (an extra, never the baseline)
=====================  =====================================================================

``for_run`` says which apply to a run, in order of preference: the speed stage times the first
that opens, and notes why the others did not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Baseline, BaselineFailed

if TYPE_CHECKING:
    from ..config import Settings
    from ..devices.base import Device
    from ..targets.base import Target

__all__ = ["Baseline", "BaselineFailed", "for_run", "extras_for_run"]


def for_run(device: Device, target: Target) -> list[Baseline]:
    """The baselines this device and target can time, best first."""
    if device.remote:  # a phone: baselines must run there too
        from .mnn_device import MNNOnDevice
        from .reference_kernel import ReferenceKernel

        return [MNNOnDevice(), ReferenceKernel()]
    if target.name == "mnn":  # a real MNN tree: its own build is the baseline
        from .mnn_tree import MNNTree

        return [MNNTree()]
    from .mnn_wheel import MNNWheel

    return [MNNWheel()]


def extras_for_run(device: Device, target: Target, settings: Settings, have_mnn: bool) -> list[Baseline]:
    """Arms timed beside the baseline, for information (PyTorch eager, on this machine only)."""
    want = settings.torch_baseline
    if device.remote or target.name != "lite" or not (want == "always" or (want == "auto" and not have_mnn)):
        return []
    from .torch_eager import TorchEager

    return [TorchEager()]
