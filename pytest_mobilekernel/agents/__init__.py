"""Kernel-producing agents (replay today; oneshot and moka register the same way)."""

from .base import Agent, AgentSettings, KernelCandidate
from .registry import available, get_agent_class, register

__all__ = ["Agent", "AgentSettings", "KernelCandidate", "available", "get_agent_class", "register"]
