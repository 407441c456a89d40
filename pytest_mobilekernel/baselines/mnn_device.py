"""MNN's own kernel on a phone, through a user-supplied MNN benchmark binary built for it.

``--mk-mnn-runner PATH`` (plus ``--mk-mnn-lib PATH`` for libMNN*.so when it is linked dynamically).
Contract, run with cwd = a directory holding all files::

    RUNNER model.mnn --warmup W --iterations N --threads T NAME=IN.npy [...]

loads the model (CPU backend, T threads), copies each .npy file into the model input NAME (the ONNX
twin's graph input names), runs W untimed inferences, then N timed ones, and prints one JSON object
``{"samples_ns": [t1, ..., tN]}`` (one integer per timed inference, ns) as its last stdout line;
exit 0. LD_LIBRARY_PATH points at that directory. ``contrib/mnn_timer.cpp`` implements it against
MNN's C++ API. The runner is the user's MNN, not generated code: its samples are its figure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .. import timing
from ..process_output import last_json_line, last_line
from . import mnn
from .base import Baseline, BaselineFailed, Measurement, guarded


def parse_samples(stdout: str) -> list[int] | None:
    """The runner's samples, or None when its last JSON line is not ``{"samples_ns": [ints >= 0]}``."""
    doc = last_json_line(stdout)
    values = doc.get("samples_ns") if isinstance(doc, dict) else None
    if isinstance(values, list) and all(isinstance(v, (int, float)) and v >= 0 for v in values):
        return [int(v) for v in values]
    return None


def mnn_libs(option: str | None) -> list[Path]:
    if not option:
        return []
    path = Path(option)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and ".so" in p.name)
    return [path]


class MNNOnDevice(Baseline):
    label = "mnn-device"
    arm_name = "mnn"
    title = "MNN on the device"

    def open(self, m: Measurement) -> timing.Arm | str:
        ev, data = m.ev, m.data
        runner = ev.settings.device_options.mnn_runner
        if not runner:
            return f"MNN is not built for {ev.device.name} (give --mk-mnn-runner, see README)"
        conversion = mnn.convert(data, ev.cache)
        if not conversion.ok or conversion.model is None:
            return conversion.message
        work = m.scratch()
        shutil.copyfile(conversion.model, work / "model.mnn")
        inputs = []
        for g, (input_name, src) in enumerate(zip(mnn.graph_names(data)[0], data.trials[0].graph_inputs)):
            name = f"mnn_in{g}.npy"
            shutil.copyfile(src, work / name)
            inputs.append(f"{input_name}={name}")
        for lib in mnn_libs(ev.settings.device_options.mnn_lib):
            shutil.copyfile(lib, work / lib.name)
        binary = Path(runner)

        def block(warmup: int, iterations: int) -> list[int]:
            argv = ["model.mnn", "--warmup", str(warmup), "--iterations", str(iterations),
                    "--threads", str(ev.settings.threads), *inputs]
            proc = ev.device.run(binary, work, argv, ev.limits)
            if not proc.ok:
                ev.device_gone(proc)
                raise BaselineFailed(f"MNN runner {binary.name} {proc.describe(ev.limits)}")
            samples = parse_samples(proc.stdout)
            if samples is None or len(samples) != iterations:
                raise BaselineFailed(f"MNN runner {binary.name} broke the contract: expected a last stdout line "
                                     f'{{"samples_ns": [{iterations} integers]}}, got {last_line(proc.stdout, 200)!r}')
            return samples

        try:
            block(0, 1)  # does the runner run here and keep the contract?
        except BaselineFailed as exc:
            return str(exc)
        return timing.Arm(self.arm_name, guarded(timing.sampled(block), "MNN on the device"))
