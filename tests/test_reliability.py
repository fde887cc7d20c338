"""Threads, the GIL and memory: what a long training job relies on."""

from __future__ import annotations

import gc
import sys
import threading
import tracemalloc

import numpy as np
import pytest

import fastlr
from _catalog import CATALOG
from conftest import assert_same_bits, compiled_engine

SHARED = fastlr.join([fastlr.warmup_cosine(1.0, 100, 5000, end=0.01),
                      fastlr.cosine_restarts(0.5, 300, period_mult=1.5)], [6000])


def test_eight_threads_sharing_a_schedule_get_single_threaded_results(engine):
    s = engine.bind(SHARED)
    n = 20_000
    expected = s.table(n)  # fast fills: the same bits whatever the start, thread or split
    exact = s.table(n, exact=True)  # what s(t) gives
    rng = np.random.default_rng(7)
    probes = rng.integers(0, n, size=2000)
    results: dict[int, list] = {}
    barrier = threading.Barrier(8)

    def work(k: int) -> None:
        barrier.wait()
        mine = []
        for j in range(5):
            start = int(rng.integers(0, n // 2)) if k % 2 else 0
            out = s.fill(np.empty(n - start), start=start)
            mine.append(("fill", start, out))
            mine.append(("calls", None, np.array([s(int(t)) for t in probes[j::5]])))
        results[k] = mine

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    for mine in results.values():
        for what, start, values in mine:
            if what == "fill":
                assert_same_bits(values, expected[start:])
    calls = [m for mine in results.values() for m in mine if m[0] == "calls"]
    for j, (_, _, values) in enumerate(calls):
        assert_same_bits(values, exact[probes[(j % 5)::5]])


@pytest.mark.compiled
def test_fills_release_the_gil():
    engine = compiled_engine()
    s = engine.bind(fastlr.cosine_restarts(1.0, 7, period_mult=1.5))
    out = np.empty(20_000_000, dtype=np.float32)
    counter = [0]
    done = threading.Event()
    marks = {}

    def spin() -> None:
        while not done.is_set():
            counter[0] += 1

    def fill() -> None:
        marks["before"] = counter[0]
        s.fill(out)
        marks["after"] = counter[0]
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(1.0)  # with the GIL held, the spinner would not get a turn
    try:
        spinner = threading.Thread(target=spin)
        spinner.start()
        filler = threading.Thread(target=fill)
        filler.start()
        filler.join()
        spinner.join()
    finally:
        sys.setswitchinterval(old)
    assert marks["after"] - marks["before"] > 10_000, marks


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")


@linux_only
def test_per_step_calls_do_not_grow_memory(engine):
    s = engine.bind(SHARED)
    calls = 10_000_000 if engine.name == "cython" else 10_000  # the NumPy engine is ~1000x slower
    for t in range(20_000):  # warm up allocator pools
        s(t % 10_000)
    before = _rss_bytes()
    for t in range(calls):
        s(t)
    assert _rss_bytes() - before < 2 * 2**20


def _churn(engine, rounds: int) -> None:
    for k in range(rounds):
        engine.bind(SHARED).table(1000, dtype=np.float32 if k % 2 else np.float64)
        fastlr.warmup_cosine(1e-3, k % 50, 100 + k)
        fastlr.from_dict(CATALOG["join_nested"].to_dict())


@linux_only
def test_ten_thousand_tables_and_constructions_keep_rss_flat(engine):
    _churn(engine, 300)
    gc.collect()
    before = _rss_bytes()
    _churn(engine, 10_000)
    gc.collect()
    assert _rss_bytes() - before < 4 * 2**20


def test_tables_and_constructions_leave_no_python_objects_behind(engine):
    _churn(engine, 200)
    gc.collect()
    tracemalloc.start()
    try:
        first, _ = tracemalloc.get_traced_memory()
        _churn(engine, 500)
        gc.collect()
        second, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert second - first < 64 * 1024
