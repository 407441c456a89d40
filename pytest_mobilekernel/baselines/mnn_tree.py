"""MNN's original kernel, built from the ``--mk-mnn-root`` checkout: the baseline of ``--mk-target=mnn``.

The same on-tree runner, the same protocol and the same op-level timing as the candidate: only the
swapped file differs. Its runner holds no generated code, so its own samples are trusted: the clock
check of the candidate reads the protocol's and the session's cost per call from it.
"""

from __future__ import annotations

from pathlib import Path

from .. import timing
from ..verify import verify_trials
from .base import Baseline, Measurement, guarded


class MNNTree(Baseline):
    label = "mnn-tree"
    arm_name = "mnn"
    title = "MNN"

    def __init__(self) -> None:
        self.work: Path | None = None

    def open(self, m: Measurement) -> timing.Arm | str:
        ev = m.ev
        base = ev.target.baseline(ev.toolchain(), ev.cache)  # type: ignore[attr-defined]
        self.work = m.scratch()
        arm = ev.runner_arm(self.arm_name, m.data, base, self.work, source=m.source, verify=False)
        arm.block = guarded(arm.block, "MNN's original kernel failed while timing")
        arm.trusted = True
        return arm

    def after(self, m: Measurement) -> None:
        """Does MNN's original kernel reproduce PyTorch? (its runner wrote the trials' outputs)"""
        if self.work is None:
            return
        data = m.data
        outputs = [[self.work / f"t{t}_out{k}.npy" for k in range(len(data.outputs))] for t in range(len(data.trials))]
        if not all(p.exists() for outs in outputs for p in outs):
            return
        verdict = verify_trials([(outs, [Path(r) for r in trial.references])
                                 for outs, trial in zip(outputs, data.trials)], data.atol, data.rtol)
        m.props.update(mnn_matches=verdict.ok,
                       mnn_max_abs_err=max((o.max_abs_err for o in verdict.outputs), default=0.0),
                       mnn_tree=str(m.ev.target.sdk_dir))
