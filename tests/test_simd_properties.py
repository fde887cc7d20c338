"""Random exponential, cosine, restarts and cyclic schedules: the vector fills keep their bounds.

The exponential's vector kernel is exp(e * log(rate)) in double-double
(fastlr/_vecmath.h), not pow: its error must not grow with e * log(rate), for
decays and growth rates alike, up to overflow. The float32 cosine kernels
compute in float32 on an argument reduced in double. Bounds: _kinds.REGISTRY
(float64, ulps of the schedule's peak), F32_FAST_ULPS (float32), and for the
exponential 4 ulps of each value where rate ** e is a normal number.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis", reason="property tests need hypothesis (the test extra)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fastlr  # noqa: E402
from conftest import assert_same_bits  # noqa: E402
from fastlr._kinds import F32_FAST_ULPS, REGISTRY, Kind  # noqa: E402

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
N = 4000

rates = st.one_of(st.floats(1e-6, 0.9999), st.floats(1.0001, 1e4))
starts = st.floats(1e-30, 1e30)
step_counts = st.integers(1, 10**6)
first_steps = st.one_of(st.integers(0, 10**6), st.integers(0, 2**53 - N))


def _window(s, start, dtype):
    return (s.fill(np.empty(N, dtype), start=start, exact=True), s.fill(np.empty(N, dtype), start=start))


@SETTINGS
@given(start=starts, rate=rates, steps=step_counts, staircase=st.booleans(), first=first_steps)
def test_exponential_fills_stay_within_ulps_of_each_value(engine, start, rate, steps, staircase, first):
    s = engine.bind(fastlr.exponential(start, rate, steps, staircase=staircase))
    exact, fast = _window(s, first, np.float64)
    finite = np.isfinite(exact)
    assert_same_bits(fast[~finite], exact[~finite])  # overflow lands on the same steps
    e = np.arange(first, first + N, dtype=np.float64) / steps
    if staircase:
        e = np.floor(e)
    normal = finite & (np.abs(e * math.log(rate)) < 700)  # rate ** e a normal number
    if normal.any():
        np.testing.assert_array_max_ulp(fast[normal], exact[normal], maxulp=4)
        peak = np.max(np.abs(exact[finite]))
        err = np.max(np.abs(fast[finite] - exact[finite])) / np.spacing(peak)
        assert err <= REGISTRY[Kind.EXPONENTIAL].fast_ulps
    exact32, fast32 = _window(s, first, np.float32)
    fin32 = np.isfinite(exact32)
    assert_same_bits(fast32[~fin32], exact32[~fin32])
    if fin32.any():
        peak32 = np.max(np.abs(exact32[fin32]))
        err32 = np.max(np.abs(fast32[fin32].astype(np.float64) - exact32[fin32])) / np.spacing(peak32)
        assert err32 <= F32_FAST_ULPS


@SETTINGS
@given(peak=st.floats(1e-20, 1e20), end_ratio=st.one_of(st.just(0.0), st.floats(-2.0, 2.0)),
       steps=st.integers(1, 2**52), where=st.floats(0.0, 1.0), past=st.integers(0, 2**40))
def test_cosine_fills_stay_within_bounds_of_the_peak(engine, peak, end_ratio, steps, where, past):
    end = peak * end_ratio
    s = engine.bind(fastlr.cosine(peak, steps, end=end))  # a COSINE segment, then the end value
    first = min(int(where * steps), 2**53 - N)
    top = max(abs(peak), abs(end))
    for dtype, bound in ((np.float64, REGISTRY[Kind.COSINE].fast_ulps), (np.float32, F32_FAST_ULPS)):
        exact, fast = _window(s, first, dtype)
        err = np.max(np.abs(fast.astype(np.float64) - exact)) / np.spacing(dtype(top))
        assert err <= bound, (dtype, err)


@SETTINGS
@given(period=st.integers(1, 10**6), mult=st.one_of(st.just(1.0), st.floats(1.0, 4.0)),
       decay=st.floats(0.05, 1.0), first=st.integers(0, 2**45))
def test_cosine_restarts_fills_stay_within_bounds_of_the_peak(engine, period, mult, decay, first):
    s = engine.bind(fastlr.cosine_restarts(1.0, period, period_mult=mult, decay=decay))
    for dtype, bound in ((np.float64, REGISTRY[Kind.COSINE_RESTARTS].fast_ulps), (np.float32, F32_FAST_ULPS)):
        exact, fast = _window(s, first, dtype)
        err = np.max(np.abs(fast.astype(np.float64) - exact)) / np.spacing(dtype(1.0))
        assert err <= bound, (dtype, err)


@SETTINGS
@given(low=st.floats(0.0, 1.0), span=st.floats(1e-3, 1e3), up=st.integers(1, 10**5),
       down=st.integers(1, 10**5), mode=st.sampled_from(["triangular", "triangular2", "exp_range"]),
       gamma=st.one_of(st.floats(0.9, 0.99999999), st.floats(1.0, 1.00001)),
       first=st.one_of(st.integers(0, 10**7), st.integers(0, 2**45)))
def test_cyclic_fills_stay_within_bounds_of_the_peak(engine, low, span, up, down, mode, gamma, first):
    # the vector fills take every mode's factor as one power (0.5 ** (cycle - 1) or
    # gamma ** u, fastlr/_vecmath.h), the exact ones libm's pow
    s = engine.bind(fastlr.cyclic(low, low + span, up, down, mode=mode, gamma=gamma))
    for dtype, bound in ((np.float64, REGISTRY[Kind.CYCLIC].fast_ulps), (np.float32, F32_FAST_ULPS)):
        exact, fast = _window(s, first, dtype)
        finite = np.isfinite(exact)
        assert_same_bits(fast[~finite], exact[~finite])
        if finite.any():
            peak = np.max(np.abs(exact[finite]))
            err = np.max(np.abs(fast[finite].astype(np.float64) - exact[finite])) / np.spacing(dtype(peak))
            assert err <= bound, (dtype, err)
