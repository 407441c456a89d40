"""Protocol v2's arithmetic and checks, harness side (the runner's side is exercised end to end by
every speed item: a mismatch in the mixing would fail every verified block)."""

from __future__ import annotations

import numpy as np

from pytest_mobilekernel import protocol
from pytest_mobilekernel.targets.base import TensorDesc
from pytest_mobilekernel.verify import check_arrays, close_enough


def test_splitmix_matches_the_reference_vectors() -> None:
    # splitmix64 seeded with 0 (Vigna's reference): the first outputs of the generator
    state = np.array([0], dtype=np.uint64)
    outs = []
    for _ in range(2):
        outs.append(int(protocol.splitmix(state)[0]))
        state = state + np.uint64(0x9E3779B97F4A7C15)
    assert outs == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4]


def test_feeds_mix_floats_pick_the_rest_keep_constants() -> None:
    inputs = [TensorDesc([64, 8], "float32"), TensorDesc([3], "float32"), TensorDesc([64], "int64"),
              TensorDesc([4, 4], "float32"), None]
    feeds = protocol.feeds(["graph:0", "graph:1", "graph:2", "const0.npy", None], inputs, graph_fed=False)
    assert feeds == [{"mix": 0}, {"pick": 1}, {"pick": 2}, {"const": True}, None]
    assert protocol.graph_feeds(feeds, 3) == {0: "mix", 1: "pick", 2: "pick"}


def test_every_call_gets_new_inputs_from_the_trials_values() -> None:
    rng = np.random.default_rng(0)
    bases = [[rng.standard_normal((33, 100)).astype(np.float32), np.array([t], dtype=np.int64)] for t in range(4)]
    kinds = {0: "mix", 1: "pick"}
    calls = [protocol.call_inputs(bases, kinds, nonce=12345, call=i) for i in range(200)]
    firsts = {c[0].tobytes() for c in calls}
    assert len(firsts) == 200  # no two calls share an input: nothing to reuse
    pool = np.stack([b[0] for b in bases])
    for c in calls[:20]:
        assert ((c[0][None] == pool).any(axis=0)).all()  # every value is one a trial had there
        assert c[1][0] in range(4)
    assert np.array_equal(protocol.call_inputs(bases, kinds, 12345, 7)[0], calls[7][0])  # reproducible
    assert not np.array_equal(protocol.call_inputs(bases, kinds, 54321, 7)[0], calls[7][0])  # nonce decides


def test_retention_layout_is_64_byte_aligned() -> None:
    layout = protocol.Layout([[3, 5], [7]], ["float32", "int64"])
    assert layout.sizes == [60, 56] and layout.slot_bytes == 128
    area = bytearray(layout.slot_bytes * 2)
    np.frombuffer(area, np.float32, 15, offset=128)[:] = np.arange(15)
    np.frombuffer(area, np.int64, 7, offset=192)[:] = 9
    a, b = layout.outputs(area, 1)
    assert a.shape == (3, 5) and a[2, 4] == 14 and (b == 9).all()
    assert protocol.choose_calls(np.random.default_rng(1), 10)[-1] == 9  # the last call always


def test_non_finite_references_are_compared_exactly() -> None:
    expect = np.array([np.inf, -np.inf, np.nan, 1.0], dtype=np.float32)
    assert close_enough(expect.copy(), expect, 1e-4, 1e-4).all()
    garbage = np.array([3e38, -3e38, 0.0, 1.0], dtype=np.float32)  # finite where inf/NaN is due
    assert not close_enough(garbage, expect, 1e-4, 1e-4)[:3].any()
    assert not check_arrays(0, garbage, expect, 1e-4, 1e-4).ok
    assert not close_enough(np.array([np.inf], np.float32), np.array([1.0], np.float32), 1e-4, 1e-4)[0]
