"""Convert an ONNX twin to .mnn in a child process (python -m ... ONNX OUT).

Uses the wheel's C extension `_tools.mnnconvert`, never the `mnnconvert` console script or
`MNN.tools.mnnconvert` (that wrapper installs and calls a remote logging SDK).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
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
