"""What machine and software produced a result: CPU model and ISA flags, compilers, library versions."""

from __future__ import annotations

import os
import platform
from typing import Any

ISA_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "amx_tile",
             "asimd", "asimddp", "fphp", "sve", "sve2", "i8mm", "bf16")


def cpu_info() -> dict[str, Any]:
    model, flags = platform.processor() or platform.machine(), set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key in ("model name", "Hardware", "CPU part") and model in ("", platform.machine()):
                    model = value.strip()
                elif key in ("flags", "Features"):
                    flags.update(value.split())
    except OSError:
        pass
    return {"model": model, "isa": sorted(f for f in ISA_FLAGS if f in flags), "cores": os.cpu_count()}


def describe(toolchain_identity: str = "") -> dict[str, Any]:
    from .tasks import dist_version

    return {
        "cpu": cpu_info(), "machine": platform.machine(), "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "compiler": toolchain_identity,
        "mnn": dist_version("mnn"), "torch": dist_version("torch"), "onnxruntime": dist_version("onnxruntime"),
        "pytest_mobilekernel": dist_version("pytest-mobilekernel"),
    }
