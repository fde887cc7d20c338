"""Property-based checks: random parameters and steps, both engines, every call path."""

from __future__ import annotations

import math

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis", reason="property tests need hypothesis (the test extra)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fastlr  # noqa: E402
from _reference import value  # noqa: E402
from _strategies import schedules, steps  # noqa: E402
from conftest import assert_same_bits  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(s=schedules(), ts=st.lists(steps, min_size=1, max_size=20))
def test_random_schedules_match_the_reference(engine, s, ts):
    b = engine.bind(s)
    probe = b.table(2000)
    scale = float(np.max(np.abs(probe))) or 1.0
    for t in ts:
        want = value(s, t)
        assert math.isclose(b(t), want, rel_tol=0, abs_tol=1e-12 * scale), (s, t, b(t), want)


@SETTINGS
@given(s=schedules(), start=steps, n=st.integers(0, 300), f32=st.booleans())
def test_random_fills_agree_with_calls_and_across_engines(engines, s, start, n, f32):
    start = min(start, 2**63 - 1 - n)
    dtype = np.float32 if f32 else np.float64
    results = []
    for e in engines:
        b = e.bind(s)
        out = b.fill(np.empty(n, dtype=dtype), start=start, exact=True)
        per_step = np.array([b(start + j) for j in range(n)], dtype=np.float64)
        assert_same_bits(out, per_step.astype(dtype))
        assert_same_bits(b.at(np.arange(n, dtype=np.int64) + start), per_step)
        results.append(out)
    for other in results[1:]:
        np.testing.assert_array_max_ulp(other, results[0], maxulp=8)


@SETTINGS
@given(bad=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.none(),
                     st.booleans(), st.integers(max_value=-1), st.integers(min_value=2**63, max_value=2**80)))
def test_random_bad_steps_fail_the_same_way_on_every_engine(engines, bad):
    errors = []
    for e in engines:
        with pytest.raises((TypeError, ValueError)) as info:
            e.bind(fastlr.constant(1.0))(bad)
        errors.append((type(info.value), str(info.value)))
    assert len(set(errors)) == 1


@SETTINGS
@given(peak=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5), st.text(max_size=2)),
       warm=st.one_of(st.integers(-10, 10), st.floats(-5, 5), st.none()),
       total=st.one_of(st.integers(-10, 10), st.booleans()))
def test_random_factory_arguments_either_build_or_raise_clearly(peak, warm, total):
    try:
        s = fastlr.warmup_cosine(peak, warm, total)
    except (TypeError, ValueError) as exc:
        assert any(name in str(exc) for name in ("peak", "warmup_steps", "total_steps"))
    else:
        assert math.isfinite(s(0)) and math.isfinite(s(2**63 - 1))
