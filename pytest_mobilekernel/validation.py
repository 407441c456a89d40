"""Checks made once, before any item, so a mistake is one usage line instead of a failure per task."""

from __future__ import annotations

import pytest

from .agents.llm import preflight
from .config import Settings
from .devices import options as device_options
from .errors import MobileKernelError

EMULATED_OR_LOCAL = ("host", "qemu-aarch64")  # the devices --mk-target=mnn can build for


def check_names(config: pytest.Config) -> None:
    """The agent, every device and the target exist, and go together."""
    from .agents import get_agent_class
    from .devices import get_device
    from .targets import TARGETS

    get_agent_class(config.getoption("agent"))
    specs = device_options.device_specs(config)
    for spec in specs:
        get_device(spec, **device_options.device_options(config).as_kwargs())
    target = config.getoption("mk_target")
    if target not in TARGETS:
        raise MobileKernelError(f"unknown target {target!r}: known targets are {', '.join(sorted(TARGETS))}")
    if target == "mnn" and any(spec not in EMULATED_OR_LOCAL for spec in specs):
        # the on-tree runner links the checkout's libMNN.so dynamically: on a phone that needs
        # MNN built with the NDK (bionic) and the library pushed beside the runner; not wired up
        raise MobileKernelError("--mk-target=mnn runs on --mk-device=host (all stages) and "
                                "--mk-device=qemu-aarch64 (compile and correctness on ARM) only; phones are not "
                                "wired up for it yet: use the lite target on adb devices")


def check_reachable(config: pytest.Config, settings: Settings) -> None:
    """In the controller: devices answer with the right ABI and a toolchain exists; an LLM agent's
    endpoint answers (not for --collect-only, which runs nothing)."""
    from .agents import get_agent_class

    device_options.check_devices(config)
    if getattr(get_agent_class(settings.agent), "needs_task_data", False) and not config.option.collectonly:
        preflight(settings.agent_options.llm)
