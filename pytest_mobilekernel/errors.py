"""Errors that become one-line verdicts instead of tracebacks."""


class MobileKernelError(Exception):
    """A problem the user can act on; str() is the one line to show."""


class TaskError(MobileKernelError):
    """The task file cannot be used (import error, missing get_inputs, bad twin...)."""


class ToolchainError(MobileKernelError):
    """The compiler is missing or unusable."""


class DeviceError(MobileKernelError):
    """The device is unknown, unreachable or disappeared."""


class AgentError(MobileKernelError):
    """The agent could not produce a kernel."""


class DeviceLost(DeviceError):
    """The device went away while a kernel was on it: not the kernel's doing. The evaluator moves
    to another ``--mk-device`` and runs the stage again (or gives the item this one line)."""
