"""The twins shipped beside the task files (``<Task>.onnx``): write them, or check they are current.

    python -m pytest_mobilekernel.shipped_twins [--check] [-k SUBSTR] TASKS_DIR
"""

from __future__ import annotations

from pathlib import Path

from .tasks import DEFAULT_OPSET, DEFAULT_SEEDS, build_model, discover, load_module, make_inputs
from .twin import canonical, make, single_node


def main(argv: list[str] | None = None) -> int:
    """Write (or --check) the shipped twins: ``python -m pytest_mobilekernel.shipped_twins [--check] TASKS_DIR``."""
    import argparse
    import sys

    import onnx
    import torch

    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("tasks_dir", type=Path)
    ap.add_argument("--check", action="store_true", help="fail if a shipped twin is missing or stale")
    ap.add_argument("-k", default="", help="only tasks whose id contains this")
    args = ap.parse_args(argv)
    stale = []
    for ref in discover(args.tasks_dir):
        if args.k not in ref.id:
            continue
        module = load_module(ref)
        model = build_model(ref, module)
        inputs = make_inputs(ref, module, DEFAULT_SEEDS[0])
        with torch.no_grad():
            result = model(*inputs)
        n_out = len(result) if isinstance(result, (tuple, list)) else 1
        proto = make(ref.id, module, model, inputs, n_out, int(getattr(module, "OPSET", DEFAULT_OPSET)))
        single_node(proto, getattr(module, "ONNX_OP", None), ref.id)
        if args.check:
            if not ref.shipped_twin.exists() or canonical(onnx.load(str(ref.shipped_twin))) != canonical(proto):
                stale.append(ref.id)
        else:
            onnx.save(proto, str(ref.shipped_twin))
            print(f"wrote {ref.shipped_twin}")
    if stale:
        print("missing or stale twins (regenerate: python -m pytest_mobilekernel.shipped_twins DIR): "
              + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
