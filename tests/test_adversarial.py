"""Kernels that try to game the benchmark (KernelBench's adversarial cases and more): each rejected,
with the reason. Fixtures in tests/data/kernels/cheat_*/ and the broken kernels beside them."""

from __future__ import annotations

import pytest

from pytest_mobilekernel import timing

CASES = [
    # label, stage that must fail, words of the verdict
    ("cheat_reuse", "speed", "outputs of the timed calls are wrong"),
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


def test_timer_cross_check_catches_a_lying_clock() -> None:
    # (iterations, CPU s, reported ns, wall s)
    honest = [(3, 0.010, 300_000, 0.02), *[(1000, 0.110, 100_000_000, 0.4)] * 5]  # 100 us/call, busy machine
    assert timing.timer_check(honest) == ""
    noisy_tiny = [(3, 0.051, 12_000, 0.06), (500, 0.025, 1_500_000, 0.03), (500, 0.039, 1_500_000, 0.04)]
    assert timing.timer_check(noisy_tiny) == ""
    lying = [(3, 0.010, 3_000, 0.02), *[(1000, 0.110, 1_000_000, 0.12)] * 5]  # reports 1 us per call
    assert "timer interposition" in timing.timer_check(lying)
    impossible = [(3, 0.010, 3_000, 0.02), (500, 0.060, 90_000_000, 0.07)]
    assert "reported" in timing.timer_check(impossible)
