"""threads= on fill/table: validation, the split, and identical results for any thread count."""

from __future__ import annotations

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits
from fastlr import _threads

S = fastlr.join([fastlr.warmup_cosine(1.0, 1000, 300_000), fastlr.noam(256)], [300_000])


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_same_bits_whatever_the_thread_count(engine, exact, dtype):
    s = engine.bind(S)
    n = 700_001
    one = s.table(n, dtype, exact=exact, threads=1)
    for threads in (2, 3, 64, None):
        assert_same_bits(s.table(n, dtype, exact=exact, threads=threads), one)
    out = np.empty(n - 5, dtype)
    assert_same_bits(s.fill(out, start=5, exact=exact, threads=2), one[5:])


@pytest.mark.parametrize("threads, error", [(0, ValueError), (-2, ValueError), (True, TypeError),
                                            (1.5, TypeError), ("2", TypeError)])
def test_bad_thread_counts_are_rejected_before_writing(engine, threads, error, sentinel):
    out = np.full(10, sentinel)
    with pytest.raises(error, match="threads"):
        engine.bind(S).fill(out, threads=threads)
    assert np.all(out == sentinel)
    with pytest.raises(error, match="threads"):
        engine.bind(S).table(10, threads=threads)


@pytest.mark.parametrize("exact", ["yes", 1, None])
def test_exact_must_be_a_bool(engine, exact):
    with pytest.raises(TypeError, match="exact"):
        engine.bind(S).table(10, exact=exact)


def test_plan_never_oversubscribes(monkeypatch):
    monkeypatch.setattr(_threads, "cores", lambda: 2)
    assert _threads.plan(10, None) == 1
    assert _threads.plan(_threads.MIN_STEPS_PER_THREAD * 2, None) == 2
    assert _threads.plan(10**9, None) == 2
    assert _threads.plan(10**9, 8) == 2
    assert _threads.plan(10**9, 1) == 1
    assert _threads.plan(100, 2) == 1  # fewer steps than one aligned chunk


@pytest.mark.parametrize("n, parts", [(1, 1), (1000, 2), (10**6 + 3, 3), (513, 2), (5000, 7)])
def test_chunks_cover_the_range_in_aligned_pieces(n, parts):
    pieces = _threads.chunks(n, parts)
    assert sum(count for _, count in pieces) == n
    assert [offset for offset, _ in pieces] == sorted(offset for offset, _ in pieces)
    assert all(offset % _threads.ALIGN == 0 for offset, _ in pieces)
    assert all(a + c == b for (a, c), (b, _) in zip(pieces, pieces[1:]))


def test_errors_in_a_worker_reach_the_caller():
    def boom():
        raise RuntimeError("worker failed")
    with pytest.raises(RuntimeError, match="worker failed"):
        _threads.run([lambda: None, boom])
