from __future__ import annotations

import numpy as np

from pytest_mobilekernel.verify import check_output, verify_trials


def _save(tmp_path, name, arr):
    p = tmp_path / name
    np.save(p, arr)
    return p


def test_match_within_tolerance(tmp_path) -> None:
    ref = np.linspace(-1, 1, 100, dtype=np.float32)
    c = check_output(0, _save(tmp_path, "g.npy", ref + 5e-5), _save(tmp_path, "r.npy", ref), 1e-4, 1e-4)
    assert c.ok and c.max_abs_err < 1e-4


def test_nan_poison_counts_as_unwritten(tmp_path) -> None:
    ref = np.ones((4, 4), np.float32)
    got = ref.copy()
    got[2:] = np.nan
    c = check_output(0, _save(tmp_path, "g.npy", got), _save(tmp_path, "r.npy", ref), 1e-4, 1e-4)
    assert not c.ok and c.n_unwritten == 8 and c.first_bad_index == [2, 0]
    assert "8 never written" in c.summary()


def test_nan_in_reference_must_be_matched(tmp_path) -> None:
    ref = np.array([1.0, np.nan], np.float32)
    ok = check_output(0, _save(tmp_path, "g.npy", ref.copy()), _save(tmp_path, "r.npy", ref), 1e-4, 1e-4)
    bad = check_output(0, _save(tmp_path, "g2.npy", np.array([1.0, 0.0], np.float32)),
                       _save(tmp_path, "r.npy", ref), 1e-4, 1e-4)
    assert ok.ok and not bad.ok


def test_bool_poison_and_exact_ints(tmp_path) -> None:
    ref = np.array([True, False, True])
    raw = np.array([1, 0xAB, 1], np.uint8).view(np.bool_)
    c = check_output(0, _save(tmp_path, "g.npy", raw), _save(tmp_path, "r.npy", ref), 1e-4, 1e-4)
    assert not c.ok and c.n_unwritten == 1
    ints = np.arange(10, dtype=np.int64)
    c2 = check_output(0, _save(tmp_path, "gi.npy", ints + (ints == 7)), _save(tmp_path, "ri.npy", ints), 1, 1)
    assert not c2.ok and c2.n_bad == 1  # integers compare exactly whatever the tolerance


def test_shape_dtype_and_missing_file(tmp_path) -> None:
    ref = _save(tmp_path, "r.npy", np.zeros((2, 3), np.float32))
    assert "shape" in check_output(0, _save(tmp_path, "s.npy", np.zeros((3, 2), np.float32)), ref, 1, 1).problem
    assert "dtype" in check_output(0, _save(tmp_path, "d.npy", np.zeros((2, 3), np.float64)), ref, 1, 1).problem
    assert "no output file" in check_output(0, tmp_path / "none.npy", ref, 1, 1).problem


def test_first_failing_trial_is_reported(tmp_path) -> None:
    ref = _save(tmp_path, "r.npy", np.ones(4, np.float32))
    good = _save(tmp_path, "g.npy", np.ones(4, np.float32))
    bad = _save(tmp_path, "b.npy", np.zeros(4, np.float32))
    v = verify_trials([([good], [ref]), ([bad], [ref]), ([good], [ref])], 1e-4, 1e-4)
    assert not v.ok and v.outputs[0].n_bad == 4 and "4 of 4 elements wrong" in v.summary()
