"""A user's MNN checkout: its version, its identity, and which CPU files register which op types."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..cache import content_key, tree_digest
from ..errors import MobileKernelError

CPU_DIR = "source/backend/cpu"
REGISTER_FILE = f"{CPU_DIR}/CPUOPRegister.cpp"
# MNN's macro, as tools/script/register.py reads it (one registration per line, at file scope)
REGISTRATION = re.compile(
    r"^\s*REGISTER_CPU_OP_CREATOR(_OLD|_RENDER|_TRANSFORMER)?\s*\(\s*(\w+)\s*,\s*(OpType_\w+)\s*\)", re.M)


@dataclass(frozen=True)
class Registration:
    creator: str
    op_type: str  # "OpType_LayerNorm"
    variant: str = ""  # "", "_OLD", "_RENDER", "_TRANSFORMER"

    @property
    def function(self) -> str:
        """The function the macro defines and CPUOPRegister.cpp calls."""
        return f"___{self.creator}__{self.op_type}__"


def registrations_in(source: str) -> list[Registration]:
    return [Registration(m.group(2), m.group(3), m.group(1) or "") for m in REGISTRATION.finditer(source)]


@dataclass(frozen=True)
class Checkout:
    root: Path
    version: str

    @classmethod
    def open(cls, root: str | Path) -> Checkout:
        path = Path(root).expanduser().resolve()
        define = path / "include" / "MNN" / "MNNDefine.h"
        if not (path / "CMakeLists.txt").exists() or not define.exists() or not (path / CPU_DIR).is_dir():
            raise MobileKernelError(f"--mk-mnn-root {root}: not an MNN checkout (expected CMakeLists.txt, "
                                    f"include/MNN/MNNDefine.h and {CPU_DIR}/); clone alibaba/MNN and pass its path")
        text = define.read_text(errors="replace")
        parts = [re.search(rf"#define\s+MNN_VERSION_{p}\s+(\d+)", text) for p in ("MAJOR", "MINOR", "PATCH")]
        if not all(parts):
            raise MobileKernelError(f"--mk-mnn-root {root}: cannot read the MNN version from {define}")
        return cls(path, ".".join(m.group(1) for m in parts if m))

    # -- registrations -----------------------------------------------------------------------
    def cpu_files(self) -> list[Path]:
        cpu = self.root / CPU_DIR
        return sorted([*cpu.glob("*.cpp"), *(cpu / "render").glob("*.cpp")])

    def registrations(self) -> dict[str, list[Registration]]:
        """relative path -> the registrations it holds, over the CPU backend's files."""
        out: dict[str, list[Registration]] = {}
        for f in self.cpu_files():
            regs = registrations_in(f.read_text(errors="replace"))
            if regs:
                out[str(f.relative_to(self.root))] = regs
        return out

    def files_registering(self, op_type: str) -> list[str]:
        return [rel for rel, regs in self.registrations().items() if any(r.op_type == op_type for r in regs)]

    def registration_functions(self) -> set[str]:
        return {r.function for regs in self.registrations().values() for r in regs}

    def regenerate_cpu_registry(self) -> None:
        """Rewrite CPUOPRegister.cpp with MNN's own tools/script/register.py (its CPU part only:
        the script's other generators would rewrite registries of backends we do not touch)."""
        script = self.root / "tools" / "script" / "register.py"
        if not script.exists():
            raise MobileKernelError(f"{script} is missing: cannot regenerate {REGISTER_FILE}")
        src = script.read_text()
        defs = src.split("\nimport sys\n")[0]  # the function definitions; the tail runs them all
        code = ("import sys\nns = {}\nexec(compile(open(sys.argv[1]).read().split('\\nimport sys\\n')[0], "
                "sys.argv[1], 'exec'), ns)\nns['generateCPUFile'](sys.argv[2])\n")
        if "def generateCPUFile" not in defs:
            raise MobileKernelError(f"{script} has no generateCPUFile(): this MNN version registers CPU ops "
                                    "differently; regenerate CPUOPRegister.cpp by hand")
        proc = subprocess.run([sys.executable, "-c", code, str(script), str(self.root)], capture_output=True,
                              text=True, timeout=120)
        if proc.returncode != 0:
            raise MobileKernelError(f"register.py failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}")

    # -- identity ----------------------------------------------------------------------------
    def identity(self) -> str:
        """What the original library is built from: HEAD and any local changes (git), else contents."""
        try:
            head = subprocess.run(["git", "-C", str(self.root), "rev-parse", "HEAD"], capture_output=True,
                                  text=True, timeout=30)
            if head.returncode == 0:
                diff = subprocess.run(["git", "-C", str(self.root), "diff", "HEAD", "--binary"],
                                      capture_output=True, timeout=120)
                return content_key("mnn-tree-git", head.stdout.strip(), diff.stdout.decode("latin-1"))
        except (OSError, subprocess.SubprocessError):
            pass
        parts = [tree_digest(self.root / d, (".cpp", ".hpp", ".h", ".c", ".fbs", ".txt", ".cmake"))
                 for d in ("include", "source", "schema", "cmake", "express")]
        return content_key("mnn-tree-files", *parts, (self.root / "CMakeLists.txt").read_text())
