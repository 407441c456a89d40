"""What a runner binary is built for, read from its ELF headers with pyelftools.

The architecture decides whether a device can run it (a binary of another one is refused before it
is pushed); a PT_INTERP segment says it needs a dynamic loader (qemu then needs a sysroot).
"""

from __future__ import annotations

from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

MACHINES = {"EM_386": "x86", "EM_ARM": "arm", "EM_X86_64": "x86-64", "EM_AARCH64": "aarch64", "EM_RISCV": "riscv"}


def machine(path: Path) -> str | None:
    """'aarch64', 'x86-64', ... (None when the file is not ELF)."""
    try:
        with open(path, "rb") as f:
            e_machine = ELFFile(f).header["e_machine"]
    except (OSError, ELFError):
        return None
    return MACHINES.get(e_machine, f"machine {e_machine}")


def needs_loader(path: Path) -> bool:
    """Is it dynamically linked (a PT_INTERP segment naming its loader)?"""
    try:
        with open(path, "rb") as f:
            return any(segment["p_type"] == "PT_INTERP" for segment in ELFFile(f).iter_segments())
    except (OSError, ELFError):
        return False
