"""The real MNN source tree as a target (``--mk-target=mnn --mk-mnn-root PATH``).

A kernel is one C++ file of MNN's CPU backend. It replaces the file that registers its op type
(found through ``REGISTER_CPU_OP_CREATOR(..., OpType_X)``), or becomes a new file when no CPU
kernel registers that type. The swap is journalled and restored (mnntree/hotswap.py); MNN is rebuilt
incrementally in a build directory outside the tree; the library built is copied into the cache
beside a copy of the on-tree runner, so each kernel, and MNN's original (the baseline), is a
self-contained runner directory. Correctness and timing then run the task's converted model
through the Session API of that library, timing the operator alone (tree_runner.cpp).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..cache import Cache, content_key, tree_digest
from ..errors import MobileKernelError
from ..mnntree import view
from ..mnntree.build import LIBRARY, RUNNER, TreeBuild
from ..mnntree.checkout import CPU_DIR, REGISTER_FILE, Checkout, registrations_in
from ..mnntree.hotswap import TreeSwap
from ..toolchain import Toolchain
from .base import AgentView, BuildResult, RunPlan, Target
from .lite import default_sdk_dir, first_error, first_text_error, parse_gcc_json

KERNEL_NAME = "kernel.cpp"


class MNNTreeTarget(Target):
    name = "mnn"
    feeds_graph = True  # the runner feeds the converted model's graph inputs

    def __init__(self, mnn_root: str | Path | None = None, mnn_build_dir: str | Path | None = None,
                 mnn_force: bool = False, cache: Cache | None = None, **_: Any) -> None:
        if not mnn_root:
            raise MobileKernelError("--mk-target=mnn needs --mk-mnn-root PATH (an MNN checkout, e.g. tag 3.6.1)")
        self.checkout = Checkout.open(mnn_root)
        self.user_build_dir = Path(mnn_build_dir).expanduser().resolve() if mnn_build_dir else None
        self.force = mnn_force
        self._identity: str | None = None
        self._cache = cache

    # -- what agents see ---------------------------------------------------------------------
    @property
    def sdk_dir(self) -> Path:
        return self.checkout.root

    def agent_view(self, task: Any) -> AgentView:
        """The real checkout as MoKA sees it: its Repository Tree, the op's schema table and the
        files that register it now, and one of MNN's own CPU operators of the same category."""
        from ..baselines import mnn

        if self._cache is None:
            raise MobileKernelError("the MNN tree target needs the run's cache to read the converted model")
        conversion = mnn.convert(task, self._cache)
        if not conversion.ok or conversion.model is None:
            raise MobileKernelError(f"--mk-target=mnn runs MNN's converted model, and {conversion.message}")
        types = mnn.op_types(conversion.model, self._cache)
        # the op a kernel replaces: the only one, else the one named like the ONNX op (MNN may add
        # helpers such as ConvertTensor or Slice around it)
        names = list(types)
        op_type = names[0] if len(names) == 1 else next(
            (t for t in names if t.lower() == task.op_type.lower()), names[0] if names else task.op_type)
        return view.agent_view(self.checkout, task.category, op_type, types.get(op_type, ""))

    # -- places --------------------------------------------------------------------------------
    def _home(self, cache: Cache) -> Path:
        """Per checkout: the journal and backups (recovery must not depend on the toolchain)."""
        return cache.root / "mnntree" / content_key("mnn-root", str(self.checkout.root))[:16]

    def _swap(self, cache: Cache) -> TreeSwap:
        return TreeSwap(self.checkout.root, self._home(cache) / "state", force=self.force)

    def _tree_build(self, tc: Toolchain, cache: Cache) -> TreeBuild:
        build_dir = self.user_build_dir or self._home(cache) / content_key("mnn-build", tc.identity, tc.name)[:12]
        return TreeBuild(self.checkout.root, build_dir, tc)

    def _lock(self, cache: Cache) -> FileLock:
        home = self._home(cache)
        home.mkdir(parents=True, exist_ok=True)
        return FileLock(str(home / "build.lock"))  # one build (and swap) of this checkout at a time

    def recover(self, cache: Cache) -> list[str]:
        """Restore the tree from a journal a killed run left behind. Runs before anything else."""
        with self._lock(cache):
            return self._swap(cache).recover()

    # -- the original library (baseline) -----------------------------------------------------
    def baseline_key(self, tc: Toolchain, cache: Cache) -> str:
        if self._identity is None:
            self.recover(cache)  # the identity must be the tree's, not a half-swapped one
            self._identity = self.checkout.identity()
        return content_key("mnn-tree-baseline-v2", self._identity, tc.identity, str(self.checkout.root),
                           tree_digest(_runner_source().parents[1], (".hpp", ".cpp")))

    def baseline(self, tc: Toolchain, cache: Cache) -> BuildResult:
        """MNN's own kernels: built once per tree state and toolchain, then cached."""
        key = self.baseline_key(tc, cache)
        entry = cache.entry("mnnbaseline", key)
        cached = (entry / ".done").exists()

        def create(out: Path) -> None:
            start = time.perf_counter()
            with self._lock(cache):
                self._swap(cache).recover()
                build = self._tree_build(tc, cache)
                if not build.configured():
                    build.configure()
                build.check_compiler()
                proc = build.ninja()
                if not proc.ok:
                    raise MobileKernelError(f"the unmodified MNN tree does not build: {proc.describe()} "
                                            f"(build dir {build.build_dir})")
                build.build_runner(_runner_source(), out)
                shutil.copy2(build.library, out / LIBRARY)
            (out / "result.json").write_text(json.dumps({"ok": True, "message": "MNN's original kernels",
                                                         "seconds": time.perf_counter() - start}))

        entry = cache.get_or_create("mnnbaseline", key, create)
        result = json.loads((entry / "result.json").read_text())
        return BuildResult(True, key, result["message"], entry / RUNNER, seconds=result["seconds"], cached=cached)

    # -- a candidate ---------------------------------------------------------------------------
    def build(self, source: str, toolchain: Toolchain, cache: Cache) -> BuildResult:
        base = self.baseline(toolchain, cache)
        key = content_key("mnn-tree-build-v1", source, base.key)
        entry = cache.entry("mnnbuild", key)
        cached = (entry / ".done").exists()

        def create(out: Path) -> None:
            start = time.perf_counter()
            ok, message, diagnostics, log, file = self._swap_and_build(source, toolchain, cache, out)
            (out / "diagnostics.json").write_text(json.dumps(diagnostics, indent=1))
            (out / "build.log").write_text(log)
            (out / "result.json").write_text(json.dumps(
                {"ok": ok, "message": message, "seconds": time.perf_counter() - start, "file": file}))

        entry = cache.get_or_create("mnnbuild", key, create)
        result = json.loads((entry / "result.json").read_text())
        return BuildResult(ok=result["ok"], key=key, message=result["message"],
                           binary=entry / RUNNER if result["ok"] else None,
                           diagnostics=json.loads((entry / "diagnostics.json").read_text()),
                           log=(entry / "build.log").read_text(), seconds=result["seconds"], cached=cached)

    def placement(self, source: str) -> tuple[str, bool]:
        """Where the kernel goes in the tree: (relative path, whether it replaces an existing file)."""
        regs = registrations_in(source)
        if not regs:
            raise MobileKernelError("the kernel registers no CPU creator: end it with "
                                    "REGISTER_CPU_OP_CREATOR(YourCreator, OpType_X);")
        files = sorted({f for r in regs for f in self.checkout.files_registering(r.op_type)})
        if len(files) > 1:
            raise MobileKernelError(f"{', '.join(sorted({r.op_type for r in regs}))} are registered in several "
                                    f"files ({', '.join(files)}): a kernel replaces one file; register op types "
                                    "of one file only")
        if files:
            return files[0], True
        return f"{CPU_DIR}/MK{regs[0].op_type.removeprefix('OpType_')}.cpp", False

    def _swap_and_build(self, source: str, tc: Toolchain, cache: Cache,
                        out: Path) -> tuple[bool, str, list[dict[str, Any]], str, str]:
        try:
            rel, existed = self.placement(source)
        except MobileKernelError as exc:
            return False, str(exc), [], "", ""
        build = self._tree_build(tc, cache)
        before = self.checkout.registration_functions()
        log = ""
        with self._lock(cache):
            try:  # a dirty tree (HotSwapError) propagates: the compile stage says what to do
                with self._swap(cache).swapped({rel: source.encode()}) as swap:
                    if self.checkout.registration_functions() != before:
                        # the creator set changed: MNN's register.py rewrites CPUOPRegister.cpp
                        swap.write(REGISTER_FILE, (self.checkout.root / REGISTER_FILE).read_bytes())
                        self.checkout.regenerate_cpu_registry()
                    if not existed:
                        build.configure()  # MNN globs its sources: a new file needs a new configure
                    proc = build.ninja()
                    log = proc.stdout[-20000:] + proc.stderr[-5000:]
                    if proc.ok:
                        build.build_runner(_runner_source(), out)
                        shutil.copy2(build.library, out / LIBRARY)
                        ok, message, diagnostics = True, "built", []
                    else:
                        raw = build.diagnostics_for(rel)
                        diagnostics = _as_kernel(parse_gcc_json(raw), self.checkout.root / rel)
                        ok = False
                        message = (first_error(diagnostics) or first_text_error(proc.stdout)
                                   or "MNN build failed: " + proc.describe())
                        if "undefined reference" in proc.stdout:
                            message = "link failed: " + next(line.strip() for line in proc.stdout.splitlines()
                                                             if "undefined reference" in line)[:300]
            finally:
                if not existed:
                    build.configure()  # forget the new file again
        return ok, message, diagnostics, log, rel

    # -- running -------------------------------------------------------------------------------
    def write_spec(self, workdir: Path, plan: RunPlan) -> list[str]:
        spec: dict[str, Any] = {
            "model": plan.model, "input_names": plan.input_names, "output_names": plan.output_names,
            "op_types": plan.op_types, "threads": plan.threads,
            "feeds": [f or {"const": True} for f in plan.feeds],
            "outputs": [{"shape": d.shape, "dtype": d.dtype} for d in plan.outputs],
            "trials": [{"inputs": ins, "outputs": outs} for ins, outs in plan.trials],
            "timing": None if plan.iterations <= 0 else {
                "warmup": plan.warmup, "iterations": plan.iterations, "nonce": str(plan.nonce),
                "serve": int(plan.serve), "retention": plan.retention, "null": int(plan.null_block)},
        }
        (workdir / "spec.json").write_text(json.dumps(spec))
        return ["spec.json"]

    def timed_op_types(self, source: str) -> list[str]:
        return sorted({r.op_type.removeprefix("OpType_") for r in registrations_in(source)})


def _runner_source() -> Path:
    return default_sdk_dir() / "tree_runner" / "tree_runner.cpp"


def _as_kernel(diagnostics: list[dict[str, Any]], swapped: Path) -> list[dict[str, Any]]:
    """Diagnostics name the tree file the kernel was swapped into: call it kernel.cpp, as agents see it."""
    target = str(swapped.resolve())

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: fix(v) for k, v in node.items()}
            if "file" in out and isinstance(out["file"], str):
                try:
                    if str(Path(out["file"]).resolve()) == target:
                        out["file"] = KERNEL_NAME
                except OSError:
                    pass
            return out
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return fix(diagnostics)
