"""The speed stage on a remote device (a phone over adb): every timed arm runs on that device.

The host path times MNN through the `mnn` wheel on this machine, which says nothing about a phone.
On a phone the baseline is, in this order:

``mnn-device``        MNN's own kernel on the phone, through a user-supplied MNN benchmark binary
                      built for it (``--mnn-runner PATH``, plus ``--mnn-lib PATH`` for libMNN*.so when
                      it is linked dynamically). Contract, run with cwd = a directory holding all files:

                          RUNNER model.mnn --warmup W --iterations N --threads T NAME=IN.npy [...]

                      loads the model (CPU backend, T threads), copies each .npy file into the
                      model input NAME (the ONNX twin's graph input names), runs W untimed
                      inferences, then N timed ones, and prints one JSON object
                      ``{"samples_ns": [t1, ..., tN]}`` (one integer per timed inference, ns) as its
                      last stdout line; exit 0. LD_LIBRARY_PATH points at that directory.
                      ``contrib/mnn_timer.cpp`` implements it against MNN's C++ API.
``reference-kernel``  without --mnn-runner (or when MNN cannot convert/run the op): the stored
                      reference kernel of the task (label ``reference``, resolved by kernels.py),
                      built with the same toolchain and timed on the same device, interleaved.
``none``              neither is available: the kernel's latency alone.

``baseline`` in the item's properties names the arm behind ``speedup``; only MNN baselines count
towards fast_p (a reference-kernel speedup is reported, labelled, and never counted as fast).
PyTorch eager is not timed: it would run on this machine, not on the phone.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import timing
from .errors import DeviceLost, MobileKernelError
from .kernels import KernelNotFound, kernel_source

if TYPE_CHECKING:
    from .evaluation import Evaluator, StageResult
    from .tasks import TaskData, TaskRef

REFERENCE_LABEL = "reference"
MNN_DEVICE = "mnn-device"
REFERENCE_KERNEL = "reference-kernel"


class BaselineFailed(MobileKernelError):
    """The baseline arm (not the candidate) failed; the stage goes on without it."""


def mnn_runner_block(ev: Evaluator, data: TaskData, runner: Path, work: Path, model: Path,
                     libs: list[Path]) -> Callable[[int, int], list[int]]:
    """A timing block of MNN on the device through the --mnn-runner contract (its samples)."""
    shutil.copyfile(model, work / "model.mnn")
    inputs = []
    for g, (input_name, src) in enumerate(zip(graph_input_names(data), data.trials[0].graph_inputs)):
        name = f"mnn_in{g}.npy"
        shutil.copyfile(src, work / name)
        inputs.append(f"{input_name}={name}")
    for lib in libs:
        shutil.copyfile(lib, work / lib.name)

    def block(warmup: int, iterations: int) -> list[int]:
        argv = ["model.mnn", "--warmup", str(warmup), "--iterations", str(iterations),
                "--threads", str(ev.settings.threads), *inputs]
        proc = ev.device.run(runner, work, argv, ev.limits)
        if not proc.ok:
            ev.device_gone(proc)
            raise BaselineFailed(f"MNN runner {runner.name} {proc.describe(ev.limits)}")
        samples = parse_samples(proc.stdout)
        if samples is None or len(samples) != iterations:
            raise BaselineFailed(f"MNN runner {runner.name} broke the contract: expected a last stdout line "
                                 f'{{"samples_ns": [{iterations} integers]}}, got {_tail(proc.stdout)!r}')
        return samples

    return block


def graph_input_names(data: TaskData) -> list[str]:
    """The twin's graph inputs (initializers aside), in order: MNN keeps these names."""
    import onnx

    proto = onnx.load(data.twin, load_external_data=False)
    init = {i.name for i in proto.graph.initializer}
    return [i.name for i in proto.graph.input if i.name not in init]


def parse_samples(stdout: str) -> list[int] | None:
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError:
            return None
        values = doc.get("samples_ns") if isinstance(doc, dict) else None
        if isinstance(values, list) and all(isinstance(v, (int, float)) and v >= 0 for v in values):
            return [int(v) for v in values]
        return None
    return None


def _tail(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1][:200] if lines else ""


def mnn_libs(option: str | None) -> list[Path]:
    if not option:
        return []
    path = Path(option)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and ".so" in p.name)
    return [path]


def reference_source(ev: Evaluator, ref: TaskRef) -> Path:
    return kernel_source(ev.settings.kernels_dir, REFERENCE_LABEL, ref).path


def _guard(block: timing.BlockFn) -> timing.BlockFn:
    """Failures of a baseline arm become BaselineFailed (the candidate's stay as they are)."""

    def guarded(warmup: int, iterations: int) -> timing.Block:
        try:
            return block(warmup, iterations)
        except (BaselineFailed, DeviceLost):
            raise
        except MobileKernelError as exc:
            raise BaselineFailed(f"reference kernel: {exc}") from None

    return guarded


def speed_on_device(ev: Evaluator, ref: TaskRef, props: dict[str, Any]) -> StageResult:
    from .evaluation import StageResult

    data = ev.task_data(ref)
    _, build = ev.build(ref)
    assert build.binary is not None
    opts = ev.settings.device_options
    info = ev.device.describe()
    props.update({f"device_{k}": v for k, v in info.items() if k not in ("device",) and v})
    reasons: list[str] = []
    with ExitStack() as stack:
        work = stack.enter_context(ev.scratch(ref))
        kernel = ev.kernel_arm("kernel", data, build, work, ref=ref)
        arms = [kernel]
        baseline = _mnn_arm(ev, ref, data, opts, stack, reasons) or _reference_arm(ev, ref, data, build, stack, reasons)
        if baseline is not None:
            arms.append(baseline)
        try:
            with ev.lock.shared():
                timing.start(arms)
            with ev.lock.exclusive():
                try:
                    timing.interleave(arms, ev.settings.blocks, ev.settings.block_ms)
                except BaselineFailed as exc:
                    # the baseline died mid-measurement: measure the kernel again alone
                    reasons.append(str(exc))
                    arms = arms[:1]
                    arms[0].blocks.clear()
                    timing.interleave(arms, ev.settings.blocks, ev.settings.block_ms)
        except DeviceLost:
            raise
        except MobileKernelError as exc:
            return StageResult("speed", "failed", str(exc), props)
    base = arms[1] if len(arms) > 1 else None
    result = timing.compare(kernel, base)
    if result.clock:
        props["failure"] = result.clock
        return StageResult("speed", "failed", f"timing rejected: {result.clock}", props)
    kernel_us = result.latency_us
    props.update(latency_us=round(kernel_us, 4), blocks=ev.settings.blocks, iterations=result.iterations)
    parts = [f"kernel {kernel_us:.1f} us on {ev.device.name}"]
    if base is not None and result.speedup is not None:
        s, base_us = result.speedup, round(result.base_us or 0.0, 4)
        props.update(speedup=round(s, 4), speedup_ci_low=round(result.ci_low or 0.0, 4),
                     speedup_ci_high=round(result.ci_high or 0.0, 4))
        if base.name == "mnn":
            props.update(baseline=MNN_DEVICE, mnn_us=base_us)
            parts.insert(0, f"{s:.2f}x vs MNN on the device [95% CI {result.ci_low:.2f}-{result.ci_high:.2f}]")
            parts.append(f"MNN {base_us:.1f} us")
        else:
            props.update(baseline=REFERENCE_KERNEL, reference_us=base_us)
            parts.insert(0, f"{s:.2f}x vs the reference kernel (baseline: reference-kernel)")
            parts.append(f"reference {base_us:.1f} us")
    else:
        props.update(baseline="none")
        parts.insert(0, "no baseline")
    if props["baseline"] != MNN_DEVICE:
        props["no_mnn_baseline"] = "; ".join(reasons) or "no MNN baseline on the device"
        parts.append(f"no MNN baseline: {props['no_mnn_baseline']}")
    samples_path = ev.settings.session_dir / "samples" / ref.category / f"{ref.name}.json"
    samples_path.parent.mkdir(parents=True, exist_ok=True)
    samples_path.write_text(json.dumps({a.name: a.samples for a in arms}))
    return StageResult("speed", "passed", ", ".join(parts), props)


def _mnn_arm(ev: Evaluator, ref: TaskRef, data: TaskData, opts: dict[str, Any], stack: ExitStack,
             reasons: list[str]) -> timing.Arm | None:
    runner = opts.get("mnn_runner")
    if not runner:
        reasons.append(f"MNN is not built for {ev.device.name} (give --mnn-runner, see README)")
        return None
    from .baselines import mnn

    with ev.lock.shared():
        conversion = mnn.convert(data, ev.cache)
    if not conversion.ok:
        reasons.append(conversion.message)
        return None
    work = stack.enter_context(ev.scratch(ref))
    block = mnn_runner_block(ev, data, Path(runner), work, conversion.model,  # type: ignore[arg-type]
                             mnn_libs(opts.get("mnn_lib")))
    try:
        block(0, 1)  # does the runner run here and keep the contract?
    except BaselineFailed as exc:
        reasons.append(str(exc))
        return None
    return timing.Arm("mnn", timing.sampled(block))


def _reference_arm(ev: Evaluator, ref: TaskRef, data: TaskData, build: Any, stack: ExitStack,
                   reasons: list[str]) -> timing.Arm | None:
    try:
        source = reference_source(ev, ref)
    except KernelNotFound as exc:
        reasons.append(f"no reference kernel: {exc}")
        return None
    ref_build = ev.target.build(source.read_text(), ev.toolchain(), ev.cache)
    if not ref_build.ok:
        reasons.append(f"reference kernel does not build: {ref_build.message}")
        return None
    work = stack.enter_context(ev.scratch(ref))
    arm = ev.kernel_arm("reference", data, ref_build, work, ref=ref)
    arm.block = _guard(arm.block)
    return arm
