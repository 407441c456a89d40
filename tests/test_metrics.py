from __future__ import annotations

import math

import pytest

from pytest_mobilekernel.reporting.metrics import TaskOutcome, by_category, compute, geomean, pass_at_k


def test_pass_at_k_matches_the_combinatorial_definition() -> None:
    assert pass_at_k(10, 0, 1) == 0.0
    assert pass_at_k(10, 10, 5) == 1.0
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)
    # 1 - C(7,2)/C(10,2) = 1 - 21/45
    assert pass_at_k(10, 3, 2) == pytest.approx(1 - 21 / 45)
    assert pass_at_k(5, 4, 2) == 1.0  # fewer than k failures: some k-subset always passes
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 3)


def _o(task, cat, compiled, correct, speedup=None, torch=None, nob=""):
    return TaskOutcome(task=task, category=cat, compiled=compiled, correct=correct, speedup=speedup,
                       speedup_torch=torch, no_mnn_baseline=nob)


def test_csr_fcr_fast_p() -> None:
    outcomes = [
        _o("A/a", "A", True, True, 2.0, 3.0),
        _o("A/b", "A", True, True, 0.8, 1.0),
        _o("B/c", "B", True, False),
        _o("B/d", "B", False, False),
        _o("B/e", "B", True, True, None, 2.0, nob="MNN cannot convert X"),
    ]
    m = compute(outcomes)
    assert m.csr == pytest.approx(4 / 5)
    assert m.fcr == pytest.approx(3 / 5)
    assert m.fast[0.5] == pytest.approx(2 / 5)
    assert m.fast[1.0] == pytest.approx(1 / 5)
    assert m.fast[1.5] == pytest.approx(1 / 5)
    assert m.geomean_speedup == pytest.approx(math.sqrt(2.0 * 0.8))
    assert m.no_baseline == 1
    cats = by_category(outcomes)
    assert cats["A"].fcr == 1.0 and cats["B"].fcr == pytest.approx(1 / 3)


def test_unknown_stages_are_not_reported_as_zero() -> None:
    m = compute([TaskOutcome(task="A/a", category="A", compiled=True)])
    assert m.csr == 1.0 and m.fcr is None and m.fast[1.0] is None


def test_geomean_ignores_missing() -> None:
    assert geomean([]) is None
    assert geomean([4.0, None, 1.0]) == pytest.approx(2.0)  # type: ignore[list-item]
