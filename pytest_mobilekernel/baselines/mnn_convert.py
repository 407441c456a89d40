"""Convert an ONNX twin to .mnn in a child process (python -m ... ONNX OUT), or list the MNN op
types of a converted model (python -m ... --ops MODEL.mnn OUT.json).

Uses the wheel's C extension `_tools.mnnconvert`, never the `mnnconvert` console script or
`MNN.tools.mnnconvert` (that wrapper installs and calls a remote logging SDK).
"""

from __future__ import annotations

import os
import sys


def op_types(model_path: str, out_path: str) -> int:
    """The op types of a .mnn model as MNN names them (``OpType_<name>``), with their parameter tables."""
    import json
    import tempfile

    import _tools

    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, "model.json")
        if not _tools.mnnconvert(["mnnconvert", "-f", "MNN", "--modelFile", model_path, "--JsonFile", dump]):
            return 1
        ops = json.load(open(dump))["oplists"]
    # op type -> its parameter table (flatbuffers union member, e.g. Softmax -> "Axis"), Inputs left out
    types = {op["type"]: op.get("main_type") or "" for op in ops if op.get("type") not in ("Input", "Const")}
    with open(out_path, "w") as f:
        json.dump(dict(sorted(types.items())), f)
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "--ops":
        os.dup2(2, 1)
        return op_types(argv[1], argv[2])
    onnx_path, out_path = argv
    os.dup2(2, 1)  # converter logs go to stderr; the parent keeps them as the conversion log
    import _tools

    # --useOriginRNNImpl: MNN's own LSTM/RNN kernels; the default rewrites them into a While
    # subgraph that the Session API cannot run.
    ok = _tools.mnnconvert(["mnnconvert", "-f", "ONNX", "--modelFile", onnx_path, "--MNNModel", out_path,
                            "--bizCode", "mk", "--useOriginRNNImpl"])
    return 0 if ok and os.path.exists(out_path) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
