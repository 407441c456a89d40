"""Compilers that turn a kernel into a runner binary for a device's architecture.

A Toolchain is a compiler command, its flags and an identity string (version plus what
``-march=native`` resolves to) that goes into every build-cache key, so a cache entry is never
reused by a different compiler or CPU.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field

from .errors import ToolchainError


@dataclass(frozen=True)
class Toolchain:
    name: str  # "host-g++"
    arch: str  # matches Device.arch
    cxx: str  # absolute path of the compiler
    compile_flags: tuple[str, ...]
    link_flags: tuple[str, ...] = ("-pthread",)
    identity: str = field(default="", compare=False)

    @property
    def supports_json_diagnostics(self) -> bool:
        return "g++" in os.path.basename(self.cxx) or "gcc" in os.path.basename(self.cxx)


HOST_FLAGS = ("-O3", "-march=native", "-std=c++17", "-pthread", "-fno-math-errno")


@functools.cache
def host_toolchain(cxx: str | None = None) -> Toolchain:
    """The host's g++ (or $CXX); raises ToolchainError with the fix when it is missing."""
    wanted = cxx or os.environ.get("CXX") or "g++"
    path = shutil.which(wanted)
    if path is None:
        raise ToolchainError(
            f"C++ compiler {wanted!r} not found on PATH: install g++ (apt-get install g++) or set CXX"
        )
    return Toolchain(
        name="host-g++",
        arch="host",
        cxx=path,
        compile_flags=HOST_FLAGS,
        identity=_identity(path, HOST_FLAGS),
    )


def _identity(cxx: str, flags: tuple[str, ...]) -> str:
    try:
        version = subprocess.run([cxx, "--version"], capture_output=True, text=True, timeout=30).stdout
        # What -march=native expands to on this CPU: same compiler, different CPU => different binary.
        expanded = subprocess.run(
            [cxx, *flags, "-E", "-v", "-x", "c++", "-"],
            input="",
            capture_output=True,
            text=True,
            timeout=30,
        ).stderr
    except (OSError, subprocess.SubprocessError) as exc:
        raise ToolchainError(f"C++ compiler {cxx} does not run: {exc}") from exc
    cc1 = [ln for ln in expanded.splitlines() if "cc1plus" in ln]
    digest = hashlib.sha256("\n".join(cc1).encode()).hexdigest()[:16]
    first = version.splitlines()[0] if version else cxx
    return f"{first} [{digest}]"


def compiler_version(tc: Toolchain) -> str:
    return tc.identity.split(" [")[0]
