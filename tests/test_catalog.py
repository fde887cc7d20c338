"""Every native schedule against its independent reference, on both engines, at every edge."""

from __future__ import annotations

import math

import numpy as np
import pytest

import fastlr
from _catalog import CATALOG, DIVERGENT, NATIVE_FACTORIES
from _reference import REFERENCES, value
from conftest import FAR_STEPS, assert_same_bits, edge_steps
from fastlr import schedules

IDS = sorted(CATALOG)
# Cross-engine bound (ulp) per kind family: formulas with only + - * / floor
# sqrt and cos are bit-identical (NumPy's float64 cos is libm's); pow, exp and
# log may differ by an ulp where NumPy uses its own SIMD code (AVX-512), and
# that ulp can be amplified a little by the surrounding arithmetic.
POW_KINDS = {"POLYNOMIAL", "EXPONENTIAL", "INVERSE_POWER", "NOAM", "COSINE_RESTARTS", "CYCLIC"}
CROSS_ENGINE_ULP = {"exact": 0, "pow": 8}


def _scale(s: fastlr.Schedule) -> float:
    probe = s.table(5000)
    return float(np.max(np.abs(probe[np.isfinite(probe)]))) or 1.0


def _check_against_reference(s, steps, rtol=1e-13):
    scale = _scale(s)
    for t in steps:
        want = value(s, t)
        got = s(t)
        if math.isinf(want):
            assert got == want, f"{s!r} at step {t}: {got!r} != reference {want!r}"
        else:
            assert abs(got - want) <= rtol * scale, f"{s!r} at step {t}: {got!r} != reference {want!r}"


def test_catalog_covers_every_native_factory():
    assert set(NATIVE_FACTORIES) == set(schedules.__all__) == set(REFERENCES) - {"step"} | {"step"}


@pytest.mark.parametrize("name", IDS)
def test_matches_reference_at_edges(engine, name):
    s = engine.bind(CATALOG[name])
    _check_against_reference(s, edge_steps(s))


@pytest.mark.parametrize("name", IDS)
def test_matches_reference_on_a_dense_range(engine, name):
    s = engine.bind(CATALOG[name])
    top = max(s.boundaries, default=50)
    steps = range(0, min(top + 60, 3000))
    _check_against_reference(s, steps)


@pytest.mark.parametrize("name", IDS)
def test_call_fill_at_table_agree_bit_for_bit(engine, name):
    s = engine.bind(CATALOG[name])
    steps = edge_steps(s)
    n = min(max(s.boundaries, default=100) + 50, 50_000)
    table = s.table(n, exact=True)
    assert table.dtype == np.float64 and table.shape == (n,)
    per_step = np.array([s(t) for t in range(n)])
    assert_same_bits(table, per_step)
    assert_same_bits(s.at(np.arange(n)), table)
    assert_same_bits(s.at(steps), [s(t) for t in steps])
    for t in steps:  # fills that start at each edge, crossing boundaries
        window = s.fill(np.empty(7), start=t, exact=True)
        assert_same_bits(window, [s(t + j) for j in range(7)])


@pytest.mark.parametrize("name", IDS)
def test_float32_fill_rounds_the_float64_value_once(engine, name):
    s = engine.bind(CATALOG[name])
    n = min(max(s.boundaries, default=100) + 50, 50_000)
    f32 = s.table(n, dtype=np.float32, exact=True)
    assert f32.dtype == np.float32
    assert_same_bits(f32.astype(np.float64),
                     s.table(n, exact=True).astype(np.float32).astype(np.float64))


@pytest.mark.parametrize("name", IDS)
def test_far_steps_are_finite_and_agree(engine, name):
    s = engine.bind(CATALOG[name])
    got = s.at(FAR_STEPS)
    assert_same_bits(got, [s(t) for t in FAR_STEPS])
    tail = s.fill(np.empty(3), start=2**63 - 3, exact=True)
    assert_same_bits(tail, [s(2**63 - 3), s(2**63 - 2), s(2**63 - 1)])
    assert np.all(np.isfinite(got)) or name in DIVERGENT


@pytest.mark.parametrize("name", IDS)
def test_engines_agree(engines, name):
    s = CATALOG[name]
    n = min(max(s.boundaries, default=100) + 50, 50_000)
    results = [(e.name, e.bind(s).table(n, exact=True), e.bind(s).at(FAR_STEPS)) for e in engines]
    kinds = {seg.kind.name for seg in s.segments()}
    bound = CROSS_ENGINE_ULP["pow" if kinds & POW_KINDS else "exact"]
    for name_a, table_a, far_a in results[1:]:
        name_b, table_b, far_b = results[0]
        if bound == 0:
            assert_same_bits(table_a, table_b)
            assert_same_bits(far_a, far_b)
        else:
            np.testing.assert_array_max_ulp(table_a, table_b, maxulp=bound)


def test_warmup_cosine_equals_its_composition(engine):
    for peak, warm, total, start, end in [(1e-3, 4000, 40000, 0.0, 0.0), (1.0, 3, 10, 0.1, 0.01),
                                          (0.5, 0, 7, 0.0, 0.1)]:
        direct = engine.bind(fastlr.warmup_cosine(peak, warm, total, start=start, end=end))
        composed = engine.bind(fastlr.warmup(fastlr.cosine(peak, total - warm, end=end), warm, start=start))
        assert_same_bits(direct.table(total + 20), composed.table(total + 20))


def test_warmup_inverse_special_case_of_noam(engine):
    d_model, warm = 512, 4000
    a = engine.bind(fastlr.noam(d_model, warmup_steps=warm))
    b = engine.bind(fastlr.warmup_inverse(d_model ** -0.5 * warm ** -0.5, warm))
    np.testing.assert_allclose(a.table(20000), b.table(20000), rtol=1e-14, atol=0)


def test_seed_schedules_reach_their_documented_values(engine):
    noam = engine.bind(fastlr.noam(128))
    assert noam(0) == 0.0
    assert noam(4000) == pytest.approx(128 ** -0.5 * 4000 ** -0.5, rel=1e-15)
    assert int(np.argmax(noam.table(40000))) == 4000
    custom = engine.bind(fastlr.warmup_inverse(1e-3, 4000, power=1.0))
    assert custom(4000) == 1e-3 and custom(8000) == 5e-4 and custom(2000) == 5e-4


def test_restart_boundaries_are_exact(engine):
    s = engine.bind(fastlr.cosine_restarts(1.0, 10, period_mult=2.0))
    starts = [0, 10, 30, 70, 150, 310]
    for b in starts:
        assert s(b) == 1.0, b
        if b:
            assert s(b - 1) < 0.05
    s2 = engine.bind(fastlr.cosine_restarts(1.0, 1, period_mult=2.0))
    for i in (40, 50, 52, 53):  # restarts at 2**i - 1 (steps exact as float64 up to 2**53)
        assert s2(2**i - 1) == 1.0 and s2(2**i - 2) < 1e-20, i
    s3 = engine.bind(fastlr.cosine_restarts(1.0, 1, period_mult=3.0))
    for i in range(30):
        begin = (3**i - 1) // 2
        assert s3(begin) == 1.0, i


@pytest.mark.parametrize("start", [0.0, -0.0])
@pytest.mark.parametrize("make", [lambda a: fastlr.exponential(a, 4.5, 1), lambda a: fastlr.step(a, 1, 100.0),
                                  lambda a: fastlr.exponential(a, 1e300, 2, staircase=True)])
def test_a_zero_start_stays_zero_where_the_growth_overflows(engine, start, make):
    s = engine.bind(make(start))
    steps = [0, 1, 154, 155, 646, 10**6, 2**53 + 1, 2**63 - 1]  # 100**155 and 4.5**646 overflow
    want = np.full(len(steps), start)
    for got in ([s(t) for t in steps], s.at(steps)):
        assert np.array_equal(np.copysign(1.0, got), np.copysign(1.0, want)) and np.array_equal(got, want)
    for exact in (True, False):
        for dtype in (np.float64, np.float32):
            table = s.fill(np.full(3000, np.nan, dtype=dtype), start=10**6 - 1500, exact=exact)
            assert np.array_equal(table, np.zeros(3000)) and np.all(np.signbit(table) == np.signbit(start))


def test_cyclic_matches_the_triangle(engine):
    s = engine.bind(fastlr.cyclic(0.0, 1.0, 4))
    assert list(s.table(9)) == [0.0, 0.25, 0.5, 0.75, 1.0, 0.75, 0.5, 0.25, 0.0]


def test_values_hold_after_the_end(engine):
    s = engine.bind(fastlr.warmup_cosine(1e-3, 10, 100, end=1e-5))
    assert s(100) == s(10**12) == s(2**63 - 1) == 1e-5
    assert 1e-5 < s(99) < 1.05e-5
