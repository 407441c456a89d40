"""Configuring and building a user's MNN checkout, CPU only, out of tree.

The build directory lives in the cache (or where ``--mk-mnn-build-dir`` says), never in the checkout.
It is configured once with only what the on-tree runner needs (the CPU backend, shared libMNN, no
tools, converter, tests or demos); later builds are ninja's incremental rebuilds after a hot-swap.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import MobileKernelError
from ..sandbox import Limits, ProcessResult, run_limited
from ..toolchain import Toolchain

CMAKE_OPTIONS = (
    "-DCMAKE_BUILD_TYPE=Release", "-DMNN_BUILD_SHARED_LIBS=ON", "-DMNN_SEP_BUILD=OFF", "-DMNN_BUILD_TOOLS=OFF",
    "-DMNN_BUILD_CONVERTER=OFF", "-DMNN_BUILD_TEST=OFF", "-DMNN_BUILD_BENCHMARK=OFF", "-DMNN_BUILD_DEMO=OFF",
    "-DMNN_BUILD_PROTOBUFFER=OFF", "-DMNN_KLEIDIAI=OFF", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
)
# A full first build takes minutes (about 6 with two cores); an incremental one seconds.
# The build profile: the kernel swapped into the tree is untrusted source, so the compilers read
# the system, the checkout and the toolchain only, and write the build directory.
FULL_BUILD = Limits(wall_seconds=3600, cpu_seconds=14400, memory_mb=8192, max_open_files=1024,
                    isolate_network=False, profile="build")
LIBRARY = "libMNN.so"
RUNNER = "mk-tree-runner"


def _tools_env(tmp: Path) -> dict[str, str]:
    # run_limited empties the environment; cmake and ninja need HOME-less defaults only. The
    # compilers' temporary files go to ``tmp`` (writable under the build profile; /tmp is not)
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TMPDIR": str(tmp)}


def _cc_for(cxx: str) -> str:
    name = Path(cxx).name
    for cpp, c in (("clang++", "clang"), ("g++", "gcc"), ("c++", "cc")):
        if name.endswith(cpp):
            candidate = Path(cxx).with_name(name[: -len(cpp)] + c)
            if candidate.exists():
                return str(candidate)
    return cxx


def toolchain_options(tc: Toolchain) -> list[str]:
    """cmake options for a toolchain: host g++, the aarch64 cross g++ or the Android NDK."""
    if tc.name == "ndk-clang":
        ndk = Path(tc.cxx).parents[4]  # <NDK>/toolchains/llvm/prebuilt/<host>/bin/clang++
        api = next((f.rsplit("android", 1)[1] for f in tc.compile_flags if f.startswith("--target=")), "29")
        return [f"-DCMAKE_TOOLCHAIN_FILE={ndk / 'build' / 'cmake' / 'android.toolchain.cmake'}",
                "-DANDROID_ABI=arm64-v8a", f"-DANDROID_PLATFORM=android-{api}", "-DMNN_USE_LOGCAT=OFF"]
    opts = [f"-DCMAKE_CXX_COMPILER={tc.cxx}", f"-DCMAKE_C_COMPILER={_cc_for(tc.cxx)}"]
    if tc.arch == "aarch64":
        opts += ["-DCMAKE_SYSTEM_NAME=Linux", "-DCMAKE_SYSTEM_PROCESSOR=aarch64"]
    return opts


@dataclass
class TreeBuild:
    root: Path
    build_dir: Path
    toolchain: Toolchain

    def _run(self, argv: list[str], limits: Limits = FULL_BUILD) -> ProcessResult:
        self.build_dir.mkdir(parents=True, exist_ok=True)
        return run_limited(argv, cwd=self.build_dir, limits=self.confined(limits), env=_tools_env(self.build_dir))

    def confined(self, limits: Limits) -> Limits:
        """``limits`` reading the checkout and the toolchain (an NDK lives outside /usr)."""
        prefix = Path(os.path.realpath(shutil.which(self.toolchain.cxx) or self.toolchain.cxx)).parents[1]
        ndk = os.environ.get("ANDROID_NDK_HOME")
        readable = (*limits.readable, str(self.root), str(prefix), *([ndk] if ndk else []))
        return dataclasses.replace(limits, readable=readable)

    def configured(self) -> bool:
        return (self.build_dir / "build.ninja").exists() and (self.build_dir / "compile_commands.json").exists()

    def configure(self) -> None:
        for tool in ("cmake", "ninja"):
            if shutil.which(tool) is None:
                raise MobileKernelError(f"--mk-target=mnn needs {tool} on PATH to build the MNN checkout "
                                        f"(apt-get install {'cmake' if tool == 'cmake' else 'ninja-build'})")
        proc = self._run(["cmake", "-S", str(self.root), "-B", str(self.build_dir), "-G", "Ninja",
                          *CMAKE_OPTIONS, *toolchain_options(self.toolchain)])
        if not proc.ok:
            raise MobileKernelError(f"cmake could not configure {self.root}: {proc.describe()} "
                                    f"(log: {self.build_dir}/CMakeFiles/CMakeOutput.log)")

    def check_compiler(self) -> None:
        """A configured build directory compiles with one compiler for good: refuse another one
        (``--mk-mnn-build-dir`` of a host build given to an aarch64 run, say) instead of linking
        objects of two architectures."""
        try:
            cache = (self.build_dir / "CMakeCache.txt").read_text(errors="replace")
        except OSError:
            return
        for line in cache.splitlines():
            if line.startswith("CMAKE_CXX_COMPILER:"):
                configured = line.split("=", 1)[1].strip()
                if configured and os.path.realpath(configured) != os.path.realpath(self.toolchain.cxx):
                    raise MobileKernelError(
                        f"MNN build directory {self.build_dir} is configured for {configured}, and this run builds "
                        f"with {self.toolchain.cxx} ({self.toolchain.name}): give a build directory of its own "
                        "(--mk-mnn-build-dir) or none (one per toolchain is kept in the cache)")
                return

    def ninja(self, target: str = "MNN") -> ProcessResult:
        return self._run(["ninja", "-j", str(os.cpu_count() or 2), target])

    @property
    def library(self) -> Path:
        return self.build_dir / LIBRARY

    def compile_command(self, rel_source: str) -> list[str] | None:
        """The compiler command ninja uses for one source file (from compile_commands.json)."""
        path = str((self.root / rel_source).resolve())
        try:
            entries = json.loads((self.build_dir / "compile_commands.json").read_text())
        except (OSError, json.JSONDecodeError):
            return None
        for e in entries:
            if str(Path(e["directory"], e["file"]).resolve()) == path:
                return e["arguments"] if "arguments" in e else shlex.split(e["command"])
        return None

    def diagnostics_for(self, rel_source: str) -> str:
        """gcc's JSON diagnostics for one file, by re-running its own compile command (syntax only)."""
        cmd = self.compile_command(rel_source)
        if not cmd or not self.toolchain.supports_json_diagnostics:
            return ""
        if "-o" in cmd:  # drop the output: -fsyntax-only writes nothing
            i = cmd.index("-o")
            cmd = cmd[:i] + cmd[i + 2:]
        proc = run_limited([*cmd, "-fsyntax-only", "-fdiagnostics-format=json"], cwd=self.build_dir,
                           limits=self.confined(FULL_BUILD), env=_tools_env(self.build_dir))
        return proc.stderr

    def build_runner(self, runner_source: Path, out: Path) -> None:
        """The on-tree runner, linked against this build's libMNN and loading the one beside it."""
        tc = self.toolchain
        cmd = [tc.cxx, "-O2", "-std=c++17", *[f for f in tc.compile_flags if f.startswith("--target=")],
               "-I", str(self.root / "include"), str(runner_source), "-o", str(out / RUNNER),
               "-L", str(self.build_dir), "-lMNN", "-Wl,-rpath,$ORIGIN", "-pthread"]
        # readable: mnn_ext/, for the headers the runner shares with the lite runner (../runner/)
        proc = self._run(cmd, dataclasses.replace(FULL_BUILD, readable=(str(runner_source.parents[1]),),
                                                  writable=(str(out),)))
        if not proc.ok:
            raise MobileKernelError(f"the on-tree runner does not build against {self.root}: "
                                    f"{proc.describe()}\n{proc.stderr[-2000:]}")
