"""Compilers that turn a kernel into a runner binary for a device's architecture.

A Toolchain is a compiler command, its flags and an identity string (version plus what the
compile flags resolve to, plus the link flags) that goes into every build-cache key, so a cache
entry is never reused by a different compiler, CPU or link mode. Three of them:

- ``host-g++``      the machine's g++ (or $CXX), ``-O3 -march=native``: for the host device.
- ``aarch64-g++``   Debian's cross compiler ``aarch64-linux-gnu-g++`` (or $CXX_AARCH64),
                    ``-O3 -march=armv8-a`` (NEON/ASIMD is part of armv8-a), linked ``-static`` so the
                    binary needs no libraries on the device: runs under qemu-aarch64-static and,
                    as a static glibc binary, on Android phones.
- ``ndk-clang``     the Android NDK's clang (``$ANDROID_NDK_HOME``), ``--target=aarch64-linux-android<API>``,
                    PIE with libc++ linked statically. Chosen for adb devices when ANDROID_NDK_HOME
                    is set, or with ``--mk-toolchain=ndk``; NOT exercised by this project's CI (no NDK
                    is installable there).

``toolchain_for(arch, platform, choice)`` picks one; ``choice`` is ``--mk-toolchain``: ``auto``
(default), ``gnu`` or ``ndk[:API]``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform as _platform
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ToolchainError


@dataclass(frozen=True)
class Toolchain:
    name: str  # "host-g++", "aarch64-g++", "ndk-clang"
    arch: str  # matches Device.arch
    cxx: str  # absolute path of the compiler
    compile_flags: tuple[str, ...]
    link_flags: tuple[str, ...] = ("-pthread",)
    identity: str = field(default="", compare=False)

    @property
    def supports_json_diagnostics(self) -> bool:
        return "g++" in os.path.basename(self.cxx) or "gcc" in os.path.basename(self.cxx)

    @property
    def is_clang(self) -> bool:
        return "clang" in os.path.basename(self.cxx)

    @property
    def pch_suffix(self) -> str:
        """gcc looks for ``X.hpp.gch`` beside ``-include X.hpp``; clang for ``X.hpp.pch``."""
        return ".pch" if self.is_clang else ".gch"


HOST_FLAGS = ("-O3", "-march=native", "-std=c++17", "-pthread", "-fno-math-errno")
AARCH64_FLAGS = ("-O3", "-march=armv8-a", "-std=c++17", "-pthread", "-fno-math-errno")
AARCH64_LINK_FLAGS = ("-static", "-pthread")
AARCH64_GNU_CXX = "aarch64-linux-gnu-g++"
NDK_DEFAULT_API = 24  # Android 7.0: the oldest API level the NDK's libc++ still targets comfortably
NDK_FLAGS = ("-O3", "-march=armv8-a", "-std=c++17", "-pthread", "-fno-math-errno", "-fPIE")
NDK_LINK_FLAGS = ("-static-libstdc++", "-pie", "-pthread")

TOOLCHAIN_CHOICES = ("auto", "gnu", "ndk")


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


@functools.cache
def aarch64_gnu_toolchain(cxx: str | None = None) -> Toolchain:
    """Debian's aarch64 cross g++ (or $CXX_AARCH64), static binaries for qemu and phones."""
    wanted = cxx or os.environ.get("CXX_AARCH64") or AARCH64_GNU_CXX
    path = shutil.which(wanted)
    if path is None:
        raise ToolchainError(
            f"aarch64 cross compiler {wanted!r} not found on PATH: apt-get install g++-aarch64-linux-gnu "
            "(or set CXX_AARCH64; for a phone, ANDROID_NDK_HOME selects the NDK's clang)")
    return Toolchain(
        name="aarch64-g++",
        arch="aarch64",
        cxx=path,
        compile_flags=AARCH64_FLAGS,
        link_flags=AARCH64_LINK_FLAGS,
        identity=_identity(path, AARCH64_FLAGS, AARCH64_LINK_FLAGS),
    )


def ndk_clang_path(ndk_home: str | os.PathLike[str]) -> Path:
    """``<NDK>/toolchains/llvm/prebuilt/<host>/bin/clang++`` for this host."""
    system = _platform.system().lower()
    prebuilt = Path(ndk_home) / "toolchains" / "llvm" / "prebuilt"
    for tag in (f"{system}-x86_64", f"{system}-{_platform.machine()}"):
        candidate = prebuilt / tag / "bin" / "clang++"
        if candidate.exists():
            return candidate
    found = sorted(prebuilt.glob("*/bin/clang++"))
    if found:
        return found[0]
    raise ToolchainError(f"no clang++ under {prebuilt}: is ANDROID_NDK_HOME ({ndk_home}) an Android NDK (r21+)?")


@functools.cache
def ndk_toolchain(ndk_home: str | None = None, api: int | None = None) -> Toolchain:
    """The Android NDK's clang for aarch64 phones (untested in this project's CI: no NDK there)."""
    home = ndk_home or os.environ.get("ANDROID_NDK_HOME") or os.environ.get("ANDROID_NDK_ROOT")
    if not home:
        raise ToolchainError("--mk-toolchain=ndk needs the Android NDK: set ANDROID_NDK_HOME to its directory")
    clang = ndk_clang_path(home)
    api = api or NDK_DEFAULT_API
    flags = (f"--target=aarch64-linux-android{api}", *NDK_FLAGS)
    link = (f"--target=aarch64-linux-android{api}", *NDK_LINK_FLAGS)
    return Toolchain(
        name="ndk-clang",
        arch="aarch64",
        cxx=str(clang),
        compile_flags=flags,
        link_flags=link,
        identity=_identity(str(clang), flags, link),
    )


def parse_choice(choice: str | None) -> tuple[str, int | None]:
    """``auto`` | ``gnu`` | ``ndk`` | ``ndk:API`` -> (kind, api)."""
    text = (choice or "auto").strip().lower()
    kind, _, api = text.partition(":")
    if kind not in TOOLCHAIN_CHOICES:
        raise ToolchainError(f"unknown --mk-toolchain {choice!r}: use auto, gnu or ndk[:API]")
    if api and (kind != "ndk" or not api.isdigit()):
        raise ToolchainError(f"bad --mk-toolchain {choice!r}: only ndk takes an API level (ndk:29)")
    return kind, int(api) if api else None


def toolchain_for(arch: str, platform: str = "linux", choice: str | None = "auto") -> Toolchain:
    """The toolchain whose binaries run on a device of this arch/platform.

    host -> host g++. aarch64 -> the NDK's clang with ``--mk-toolchain=ndk``, or by default on an
    Android device when ANDROID_NDK_HOME is set; otherwise the static cross g++ (which also runs
    on Android). qemu-aarch64 runs Linux binaries: the NDK (bionic) cannot serve it.
    """
    kind, api = parse_choice(choice)
    if arch == "host":
        if kind == "ndk":
            raise ToolchainError("--mk-toolchain=ndk builds for aarch64 phones, not for the host device")
        return host_toolchain()
    if arch != "aarch64":
        raise ToolchainError(f"no toolchain for architecture {arch!r}")
    if kind == "ndk":
        if platform != "android":
            raise ToolchainError("--mk-toolchain=ndk builds Android (bionic) binaries; they do not run on "
                                 "qemu-aarch64 (Linux user emulation): use --mk-toolchain=gnu there")
        return ndk_toolchain(api=api)
    if kind == "auto" and platform == "android" and os.environ.get("ANDROID_NDK_HOME"):
        return ndk_toolchain(api=api)
    return aarch64_gnu_toolchain()


def _identity(cxx: str, flags: tuple[str, ...], link_flags: tuple[str, ...] = ()) -> str:
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
    # gcc: the cc1plus command line; clang: its "-cc1" line
    cc1 = [_without_cwd(ln) for ln in expanded.splitlines() if "cc1plus" in ln or " -cc1 " in ln]
    if link_flags:  # static vs dynamic, PIE...: a different binary from the same objects
        cc1.append("link: " + " ".join(link_flags))
    digest = hashlib.sha256("\n".join(cc1).encode()).hexdigest()[:16]
    first = version.splitlines()[0] if version else cxx
    return f"{first} [{digest}]"


def _without_cwd(line: str) -> str:
    """clang's -cc1 line names the working directory; that must not split the cache."""
    if "compilation-dir" not in line:
        return line
    return " ".join(tok for tok in line.split() if "compilation-dir" not in tok)


def compiler_version(tc: Toolchain) -> str:
    return tc.identity.split(" [")[0]
