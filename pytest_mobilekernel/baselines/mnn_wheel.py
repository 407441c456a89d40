"""MNN's own kernel through the ``mnn`` wheel, on this machine: the baseline of the host lite path.

The task's ONNX twin is converted by MNN's converter and run through the Session API in a worker
process (mnn.py) pinned to the timing CPU, one thread; the harness times each call.
"""

from __future__ import annotations

from .. import timing
from . import mnn
from .base import Baseline, Measurement, guarded


class MNNWheel(Baseline):
    label = "mnn"
    arm_name = "mnn"
    title = "MNN"

    def open(self, m: Measurement) -> timing.Arm | str:
        ev, data = m.ev, m.data
        conversion = mnn.convert(data, ev.cache)
        if not conversion.ok or conversion.model is None:
            return conversion.message
        try:
            session = mnn.open_session(data, conversion.model, ev.timing_cpu)
            m.stack.callback(session.close)
            matches, err = mnn.check_against_reference(data, session, m.scratch(), ev.cache)
            m.props.update(mnn_matches=matches, mnn_max_abs_err=err)
            session.load(data.trials[0].graph_inputs)
        except mnn.MNNUnavailable as exc:
            return f"MNN cannot run {data.op_type}: {exc}"
        block = guarded(timing.sampled(session.time), f"MNN failed while timing {data.op_type}")
        return timing.Arm(self.arm_name, block)
