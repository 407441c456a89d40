"""Single-thread PyTorch eager on this machine: timed beside MNN for information, never the baseline
(``--mk-torch-baseline``: auto = only where MNN gives none)."""

from __future__ import annotations

import os
import time

from .. import timing
from ..tasks import build_model, load_module, make_inputs
from .base import Baseline, Measurement, guarded


class TorchEager(Baseline):
    label = "torch"
    arm_name = "torch"
    title = "torch eager"
    mnn = False

    def open(self, m: Measurement) -> timing.Arm | str:
        import torch

        ev, ref = m.ev, m.ref
        module = load_module(ref)
        model = build_model(ref, module)
        inputs = make_inputs(ref, module, m.data.trials[0].seed)
        threads, cpu = ev.settings.threads, ev.timing_cpu

        def block(warmup: int, iterations: int) -> list[int]:
            previous = torch.get_num_threads()
            torch.set_num_threads(threads)
            affinity = os.sched_getaffinity(0) if cpu is not None else None
            if cpu is not None:
                os.sched_setaffinity(0, {cpu})
            try:
                with torch.no_grad():
                    for _ in range(warmup):
                        model(*inputs)
                    samples = []
                    clock = time.perf_counter_ns
                    for _ in range(iterations):
                        t0 = clock()
                        model(*inputs)
                        samples.append(clock() - t0)
            finally:
                torch.set_num_threads(previous)
                if affinity is not None:
                    os.sched_setaffinity(0, affinity)
            return samples

        return timing.Arm(self.arm_name, guarded(timing.sampled(block), "PyTorch eager failed while timing"))
