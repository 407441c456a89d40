"""A child process that holds one MNN session (the `mnn` wheel's Session API, one thread).

MNN runs outside the pytest worker because converting or running an unsupported operator can
abort or segfault the process. Protocol: one JSON command per stdin line, one JSON reply per line
on the original stdout (MNN's own chatter on stdout is moved to stderr first).

    python -m pytest_mobilekernel.baselines.mnn_worker [MODEL.mnn '["input_0"]' '["output_0"]']
    {"cmd": "open", "model": "m.mnn", "inputs": [...], "outputs": [...]}  -> {"ok": true}  (switch model)
    {"cmd": "load", "inputs": ["a.npy"]}            -> {"ok": true}
    {"cmd": "run", "outputs": ["o.npy"]}             -> {"ok": true}
    {"cmd": "time", "warmup": 3, "iterations": 50}   -> {"ok": true, "samples_ns": [...]}
    {"cmd": "quit"}
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    reply_fd = os.dup(1)
    os.dup2(2, 1)  # MNN prints to stdout at import and while running
    replies = os.fdopen(reply_fd, "w", buffering=1)

    def reply(**kw: object) -> None:
        replies.write(json.dumps(kw) + "\n")

    import MNN
    import numpy as np

    interp = session = inputs = None
    in_names: list[str] = []
    out_names: list[str] = []

    def open_model(model: str, ins: list[str], outs: list[str]) -> None:
        nonlocal interp, session, inputs, in_names, out_names
        interp = session = inputs = None  # release the previous model first
        interp = MNN.Interpreter(model)
        interp.setSessionMode(1)  # release mode: no per-op debug overhead
        # Hint 3 = WINOGRAD_MEMORY_LEVEL: 0 disables Winograd when exact convolution is wanted.
        if os.environ.get("MK_MNN_NO_WINOGRAD") == "1":
            interp.setSessionHint(3, 0)
        session = interp.createSession({"backend": "CPU", "numThread": 1, "precision": "normal"})
        inputs = interp.getSessionInputAll(session)
        in_names, out_names = ins, outs

    if argv:
        open_model(argv[0], json.loads(argv[1]), json.loads(argv[2]))
    reply(ok=True, ready=True)

    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            if cmd["cmd"] == "open":
                open_model(cmd["model"], cmd["inputs"], cmd["outputs"])
                reply(ok=True)
            elif cmd["cmd"] == "load":
                for name, path in zip(in_names, cmd["inputs"]):
                    target = inputs[name]
                    host = MNN.Tensor(target, MNN.Tensor_DimensionType_Caffe)
                    arr = np.load(path)
                    want = np.asarray(host.getNumpyData()).dtype
                    if tuple(target.getShape()) != tuple(arr.shape):
                        interp.resizeTensor(target, tuple(arr.shape))
                        interp.resizeSession(session)
                        host = MNN.Tensor(target, MNN.Tensor_DimensionType_Caffe)
                    arr = np.ascontiguousarray(arr.astype(want))
                    # Tensor.fromNumpy rejects correctly sized arrays in 3.6.1; build a host tensor instead.
                    halide = {np.dtype(np.float32): MNN.Halide_Type_Float, np.dtype(np.int32): MNN.Halide_Type_Int,
                              np.dtype(np.int64): MNN.Halide_Type_Int64, np.dtype(np.uint8): MNN.Halide_Type_Uint8,
                              np.dtype(np.float64): MNN.Halide_Type_Double}[arr.dtype]
                    target.copyFrom(MNN.Tensor(arr.shape, halide, arr, MNN.Tensor_DimensionType_Caffe))
                reply(ok=True)
            elif cmd["cmd"] == "run":
                interp.runSession(session)
                outs = interp.getSessionOutputAll(session)
                for name, path in zip(out_names, cmd["outputs"]):
                    host = MNN.Tensor(outs[name], MNN.Tensor_DimensionType_Caffe)
                    outs[name].copyToHostTensor(host)
                    np.save(path, np.array(host.getNumpyData()))
                reply(ok=True)
            elif cmd["cmd"] == "time":
                run = interp.runSession
                for _ in range(int(cmd["warmup"])):
                    run(session)
                samples = []
                clock = time.perf_counter_ns
                for _ in range(int(cmd["iterations"])):
                    t0 = clock()
                    run(session)
                    samples.append(clock() - t0)
                reply(ok=True, samples_ns=samples)
            elif cmd["cmd"] == "quit":
                break
            else:
                reply(ok=False, error=f"unknown command {cmd['cmd']!r}")
        except Exception as exc:  # noqa: BLE001 - reported to the parent as a one-liner
            reply(ok=False, error=f"{type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
