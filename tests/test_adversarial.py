"""Kernels that try to game the benchmark (KernelBench's adversarial cases and more): each rejected,
with the reason. Fixtures in tests/data/kernels/cheat_*/ and the broken kernels beside them."""

from __future__ import annotations

import pytest

CASES = [
    # label, stage that must fail, words of the verdict
    ("cheat_reuse", "correctness", "wrong output"),  # honest for 3 calls: the 4th seed (secret) shows it
    ("cheat_zero", "correctness", "wrong output"),
    ("partial", "correctness", "never written"),
    ("cheat_first_call_only", "correctness", "never written"),
    ("cheat_input_mutation", "correctness", "kernel modified input 0"),
    ("cheat_timer_override", "compile", 'extern "C" definition (interposition on the C library)'),
    ("cheat_timer_asm_label", "compile", "rejected by the static screen"),
    ("hang", "correctness", "timed out"),
    ("oom", "correctness", "out of memory"),
    ("cheat_read_files", "compile", "fopen() (file access)"),
    ("cheat_spawn", "compile", "system() (process spawning)"),
]


@pytest.mark.parametrize(("label", "stage", "expect"), CASES, ids=[c[0] for c in CASES])
def test_cheating_kernel_is_rejected(run_bench, label: str, stage: str, expect: str) -> None:
    run = run_bench("-k", "Activation and Relu", "--mk-timeout=5", "--mk-blocks=3", "--mk-block-ms=3",
                    "--mk-torch-baseline=never", label=label)
    items = run.items()
    record = items[f"Activation/Relu::{stage}"]
    assert record["status"] == "failed", (record, items)
    assert expect in record["message"], record["message"]
    earlier = {"compile": [], "correctness": ["compile"], "speed": ["compile", "correctness"]}[stage]
    for s in earlier:  # the cheat got through the earlier stages, which is the point
        assert items[f"Activation/Relu::{s}"]["status"] == "passed"
    assert run.results["metrics"]["fast"]["fast_1"] in (0.0, None)
