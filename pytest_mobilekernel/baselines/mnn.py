"""Real MNN as the baseline: convert the task's ONNX twin with the `mnn` wheel and run it, one thread.

Conversion is cached per twin content and MNN version. Running happens in a child process
(`mnn_worker`) so an operator MNN cannot handle kills a child, not the pytest worker.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..cache import Cache, content_key
from ..tasks import TaskData, dist_version


class MNNUnavailable(Exception):
    """MNN cannot convert or run this operator; str() says which and why."""


@dataclass
class Conversion:
    ok: bool
    model: Path | None
    message: str


def mnn_version() -> str:
    return dist_version("mnn")


def convert(task: TaskData, cache: Cache, timeout: float = 120.0) -> Conversion:
    twin = Path(task.twin)
    key = content_key("mnn-convert-v2", twin.read_bytes(), mnn_version())

    def create(out: Path) -> None:
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "pytest_mobilekernel.baselines.mnn_convert", str(twin), str(out / "model.mnn")],
                capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
            log, rc = proc.stderr, proc.returncode
        except subprocess.TimeoutExpired:
            log, rc = "conversion timed out", -1
        ok = rc == 0 and (out / "model.mnn").exists()
        message = "converted" if ok else _conversion_error(task.op_type, rc, log)
        (out / "convert.log").write_text(log)
        (out / "result.json").write_text(json.dumps({"ok": ok, "message": message}))

    entry = cache.get_or_create("mnn", key, create)
    result = json.loads((entry / "result.json").read_text())
    return Conversion(result["ok"], entry / "model.mnn" if result["ok"] else None, result["message"])


def op_types(model: Path, cache: Cache, timeout: float = 120.0) -> dict[str, str]:
    """MNN's op types in a converted model and their parameter tables (``{"Softmax": "Axis"}``): what
    a kernel for it registers, and what ``op->main_as_<table>()`` it reads."""
    key = content_key("mnn-op-types-v2", model.read_bytes(), mnn_version())

    def create(out: Path) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest_mobilekernel.baselines.mnn_convert", "--ops", str(model),
             str(out / "ops.json")], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if proc.returncode != 0 or not (out / "ops.json").exists():
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            raise MNNUnavailable(f"MNN could not read back its converted model {model}: {last[:200]}")

    return json.loads((cache.get_or_create("mnnops", key, create) / "ops.json").read_text())


def _conversion_error(op: str, rc: int, log: str) -> str:
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    flagged = [ln for ln in lines if "not support" in ln.lower() or "error" in ln.lower()]
    hint = flagged[0] if flagged else (lines[-1] if lines else "")
    return f"MNN cannot convert {op} (exit {rc}): {hint[:200]}"


class _Worker:
    """The MNN child process, kept for the whole pytest process and switched between models:
    starting Python and MNN for every task would cost more than timing it."""

    def __init__(self, cpu: int | None, timeout: float) -> None:
        self.timeout = timeout
        self.cpu = cpu
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pytest_mobilekernel.baselines.mnn_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True)
        if cpu is not None:  # the same core as the candidate: same caches, same clock
            os.sched_setaffinity(self.proc.pid, {cpu})
        self.reply()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def reply(self) -> dict:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            rc = self.proc.poll()
            self.kill()
            if not ready:
                raise MNNUnavailable(f"MNN did not answer within {self.timeout:g}s")
            raise MNNUnavailable(f"MNN crashed (exit {rc})" if rc else "MNN worker ended unexpectedly")
        reply = json.loads(line)
        if not reply.get("ok"):
            raise MNNUnavailable(f"MNN failed: {reply.get('error')}")
        return reply

    def call(self, **cmd: object) -> dict:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(cmd) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.kill()
            raise MNNUnavailable(f"MNN crashed (exit {self.proc.poll()})") from None
        return self.reply()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


_WORKERS: dict[int | None, _Worker] = {}


@atexit.register
def _stop_workers() -> None:
    for w in _WORKERS.values():
        w.kill()


class MNNSession:
    """One model in the shared MNN child process; every call has a timeout and a clear failure."""

    def __init__(self, model: Path, input_names: list[str], output_names: list[str], timeout: float = 60.0,
                 cpu: int | None = None) -> None:
        worker = _WORKERS.get(cpu)
        if worker is None or not worker.alive():
            worker = _WORKERS[cpu] = _Worker(cpu, timeout)
        self.worker = worker
        self.model = model
        self.worker.call(cmd="open", model=str(model), inputs=input_names, outputs=output_names)

    def load(self, inputs: list[str]) -> None:
        self.worker.call(cmd="load", inputs=inputs)

    def run(self, outputs: list[str]) -> None:
        self.worker.call(cmd="run", outputs=outputs)

    def time(self, warmup: int, iterations: int) -> list[int]:
        return self.worker.call(cmd="time", warmup=warmup, iterations=iterations)["samples_ns"]

    def close(self) -> None:
        """The worker stays for the next task (a crashed one is replaced on the next open)."""

    def __enter__(self) -> MNNSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def graph_names(task: TaskData) -> tuple[list[str], list[str]]:
    """The twin graph's fed inputs (initializers excluded) and outputs: the converted model's names."""
    import onnx

    from ..twin import graph_input_names

    proto = onnx.load(task.twin, load_external_data=False)
    return graph_input_names(proto), [o.name for o in proto.graph.output]


def open_session(task: TaskData, model: Path, cpu: int | None = None) -> MNNSession:
    ins, outs = graph_names(task)
    return MNNSession(model, ins, outs, cpu=cpu)


def check_against_reference(task: TaskData, session: MNNSession, workdir: Path,
                            cache: Cache | None = None) -> tuple[bool, float]:
    """Does MNN reproduce PyTorch on the task's trials? (ok within task tolerance, max abs err).

    With a cache, the answer per trial is kept: trials are content-addressed (their files' paths
    name their content), so only a seed not seen before (the run's random one) is computed again.
    """
    worst, ok = 0.0, True
    for t, trial in enumerate(task.trials):
        if cache is None:
            trial_ok, trial_worst = _check_trial(task, t, session, workdir)
        else:
            key = content_key("mnn-check-v1", str(session.model), *trial.graph_inputs, *trial.references,
                              repr((task.atol, task.rtol)))

            def create(out: Path, t: int = t) -> None:
                good, err = _check_trial(task, t, session, workdir)
                (out / "check.json").write_text(json.dumps({"ok": good, "worst": err}))

            result = json.loads((cache.get_or_create("mnncheck", key, create) / "check.json").read_text())
            trial_ok, trial_worst = result["ok"], result["worst"]
        ok, worst = ok and trial_ok, max(worst, trial_worst)
    return ok, worst


def _check_trial(task: TaskData, t: int, session: MNNSession, workdir: Path) -> tuple[bool, float]:
    import numpy as np

    trial = task.trials[t]
    worst, ok = 0.0, True
    outs = [str(workdir / f"mnn_t{t}_o{k}.npy") for k in range(len(trial.references))]
    session.load(trial.graph_inputs)
    session.run(outs)
    for got_path, ref_path in zip(outs, trial.references):
        ref = np.load(ref_path)
        got = np.load(got_path)
        if got.size != ref.size:
            # not a numerical difference: MNN did not compute this operator (e.g. "not resized")
            raise MNNUnavailable(f"MNN produced {got.size} output elements where {ref.size} are expected")
        got = got.reshape(ref.shape).astype(np.float64)
        r = ref.astype(np.float64)
        err = np.abs(got - r)
        worst = max(worst, float(np.nanmax(err)) if err.size else 0.0)
        ok = ok and bool(np.all(err <= task.atol + task.rtol * np.abs(r)))
    return ok, worst
