"""Agents are found by name: built-ins register themselves; others come from the
``pytest_mobilekernel.agents`` entry-point group, so a new agent needs no change to the plugin."""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Callable
from typing import TypeVar

from ..errors import AgentError

_AGENTS: dict[str, type] = {}
BUILTIN_MODULES = ("pytest_mobilekernel.agents.replay", "pytest_mobilekernel.agents.oneshot",
                   "pytest_mobilekernel.agents.moka.agent")

T = TypeVar("T", bound=type)


def register(name: str) -> Callable[[T], T]:
    def deco(cls: T) -> T:
        cls.name = name  # type: ignore[attr-defined]
        _AGENTS[name] = cls
        return cls

    return deco


def available() -> dict[str, type]:
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    for ep in importlib.metadata.entry_points(group="pytest_mobilekernel.agents"):
        if ep.name not in _AGENTS:
            _AGENTS[ep.name] = ep.load()
    return dict(_AGENTS)


def get_agent_class(name: str) -> type:
    agents = available()
    if name not in agents:
        raise AgentError(f"unknown agent {name!r}: available agents are {', '.join(sorted(agents))}")
    return agents[name]
