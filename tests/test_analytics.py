"""Analytics from tables: S1, S2 (Tissue et al. 2024), sums of powers, AdamW's timescale.

References: exact sums (math.fsum, fractions), mpmath recurrences at 50 digits, and closed forms
written here with math; error bounds as stated in fastlr/analytics.py.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import pytest

import fastlr
from fastlr import analytics

mpmath = pytest.importorskip("mpmath")
U = 2.0 ** -53


def random_tables():
    rng = np.random.default_rng(16)
    yield "positive", rng.uniform(0, 1e-3, 3000)
    yield "mixed", rng.normal(0, 1, 2500) * 10.0 ** rng.integers(-8, 3, 2500)
    yield "cosine", np.array([fastlr.warmup_cosine(3e-4, 100, 2000, end=3e-5)(t) for t in range(2100)])
    yield "steps", np.repeat([1e-3, 5e-4, 1e-4, 2e-5], 400)


TABLES = list(random_tables())


@pytest.mark.parametrize("name, x", TABLES, ids=[t[0] for t in TABLES])
def test_lr_area_within_its_bound_of_the_exact_prefix_sums(name, x):
    got = fastlr.lr_area(x)
    exact = [math.fsum(x[: t + 1]) for t in range(x.shape[0])]  # correctly rounded prefix sums
    scale = np.cumsum(np.abs(x))
    bound = math.ceil(math.log2(x.shape[0])) * U * scale * 1.001 + np.abs(exact) * U
    assert np.all(np.abs(got - exact) <= bound)
    assert got.dtype == np.float64 and got.shape == x.shape


def mp_annealing(x, decay):
    """S2 and the matching error scale sum_i sum_k decay^(i-k) |drop_k|, at 50 digits."""
    with mpmath.workdps(50):
        lam = mpmath.mpf(decay)
        m = a = s2 = scale = mpmath.mpf(0)
        s2s, scales = [mpmath.mpf(0)], [mpmath.mpf(0)]
        for i in range(1, len(x)):
            drop = mpmath.mpf(float(x[i - 1])) - mpmath.mpf(float(x[i]))
            m = lam * m + drop
            a = lam * a + abs(drop)
            s2 += m
            scale += a
            s2s.append(s2)
            scales.append(scale)
        return [float(v) for v in s2s], [float(v) for v in scales]


@pytest.mark.parametrize("decay", [0.999, 0.9, 0.5, 0.0, 1.0])
@pytest.mark.parametrize("name, x", TABLES[:3], ids=[t[0] for t in TABLES[:3]])
def test_annealing_area_within_its_bound_of_an_mpmath_recurrence(name, x, decay):
    x = x[:1500]
    got = fastlr.annealing_area(x, decay=decay)
    want, scale = mp_annealing(x, decay)
    bound = 6 * math.ceil(math.log2(x.shape[0])) * U * np.array(scale) + np.abs(want) * U
    assert got[0] == 0.0
    assert np.all(np.abs(got - want) <= bound)


def test_annealing_area_small_example_by_hand():
    # drops 0, 1, 1, 0; m = 0, 1, 0.5 + 1, 0.75; S2 = 0, 1, 2.5, 3.25
    assert fastlr.annealing_area([3.0, 2.0, 1.0, 1.0], decay=0.5).tolist() == [0.0, 1.0, 2.5, 3.25]
    assert fastlr.annealing_area([5.0]).tolist() == [0.0] and fastlr.annealing_area([]).shape == (0,)


def test_annealing_area_of_one_drop_has_a_closed_form(engine):
    # one drop D at step b: m_i = D decay^(i-b) for i >= b, S2(t) = D (1 - decay^(t-b+1)) / (1 - decay)
    s = engine.bind(fastlr.piecewise_constant([300], [1e-3, 2.5e-4]))
    got = fastlr.annealing_area(s, 2000, decay=0.99)
    want = [0.0 if t < 300 else 7.5e-4 * (1 - 0.99 ** (t - 299)) / (1 - 0.99) for t in range(2000)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-18)
    assert fastlr.annealing_area(engine.bind(fastlr.constant(0.1)), 50).tolist() == [0.0] * 50


def test_schedules_and_tables_give_the_same_analytics(engine):
    s = engine.bind(fastlr.wsd(1e-3, 100, 500, 300, end=1e-5, cooldown="cosine"))
    table = [s(t) for t in range(1000)]  # exact per-step values
    for f in (fastlr.lr_area, fastlr.annealing_area, fastlr.lr_power_sum):
        assert f(s, 1000).tolist() == f(table).tolist()
    area = fastlr.lr_area(s, 1000)
    # closed form of the area: warmup 1e-3 * sum(t/100, t<100) + 500 steps at 1e-3 + the cooldown
    warm = 1e-3 * sum(t / 100 for t in range(100))
    cool = math.fsum(1e-5 + (1e-3 - 1e-5) * (1 + math.cos(math.pi * k / 300)) / 2 for k in range(300))
    assert area[-1] == pytest.approx(warm + 500e-3 + cool + 100 * 1e-5, rel=1e-13)


@pytest.mark.parametrize("power", [2.0, 0.5, -1.0, 3])
def test_lr_power_sum_against_mpmath(power):
    x = np.random.default_rng(3).uniform(1e-6, 1e-2, 2000)
    got = fastlr.lr_power_sum(x, power=power)
    with mpmath.workdps(50):
        terms = [mpmath.mpf(float(v)) ** power for v in x]
        want = [float(v) for v in np.cumsum(np.array(terms, dtype=object))]
    bound = (math.ceil(math.log2(2000)) + 4) * U * np.array(want)  # all terms positive
    assert np.all(np.abs(got - want) <= bound)


def test_adamw_timescale_is_one_over_lr_times_weight_decay(engine):
    s = engine.bind(fastlr.warmup_linear(1e-3, 10, 100))
    tau = fastlr.adamw_timescale(s, 101, weight_decay=0.1)
    for t in range(1, 100):
        exact = 1 / (Fraction(s(t)) * Fraction(0.1))
        assert abs(Fraction(float(tau[t])) - exact) <= 2 * Fraction(math.ulp(float(exact))), t
    assert tau[0] == math.inf and tau[100] == math.inf  # zero learning rate: no forgetting
    per_epoch = fastlr.adamw_timescale(s, 101, weight_decay=0.1, steps_per_epoch=7)
    np.testing.assert_allclose(per_epoch[1:100], tau[1:100] / 7, rtol=4 * U)


@pytest.mark.parametrize("call, error, words", [
    (lambda: fastlr.lr_area(fastlr.constant(1.0)), TypeError, "steps is required with a schedule"),
    (lambda: fastlr.lr_area([1.0], 3), TypeError, "steps applies to a schedule only"),
    (lambda: fastlr.lr_area(fastlr.constant(1.0), -1), ValueError, "steps must be a non-negative integer"),
    (lambda: fastlr.lr_area(fastlr.constant(1.0), 2.0), TypeError, "steps must be an integer"),
    (lambda: fastlr.lr_area("1,2"), TypeError, "source must be a fastlr schedule or a table"),
    (lambda: fastlr.lr_area(None), TypeError, "source must be a fastlr schedule or a table"),
    (lambda: fastlr.lr_area([[1.0, 2.0]]), ValueError, "table must be one-dimensional"),
    (lambda: fastlr.lr_area([True, False]), TypeError, "table must hold real numbers"),
    (lambda: fastlr.lr_area([1.0, [2.0]]), ValueError, "table must be a 1-D sequence"),
    (lambda: fastlr.lr_area([1.0, float("nan")]), ValueError, "must be finite, got nan at step 1"),
    (lambda: fastlr.lr_area(fastlr.exponential(1.0, 1e300, 1), 3), ValueError, "must be finite, got inf"),
    (lambda: fastlr.annealing_area([1.0], decay=1.5), ValueError, "decay must be >= 0.0 and <= 1.0"),
    (lambda: fastlr.lr_power_sum([1.0], power=float("inf")), ValueError, "power must be finite"),
    (lambda: fastlr.lr_power_sum([1.0, -1.0], power=0.5), ValueError, r"-1.0 \*\* 0.5 at step 1"),
    (lambda: fastlr.lr_power_sum([0.0], power=-1), ValueError, "lr \\*\\* power must be a finite real"),
    (lambda: fastlr.adamw_timescale([1.0], weight_decay=0.0), ValueError, "weight_decay must be > 0.0"),
    (lambda: fastlr.adamw_timescale([1.0]), TypeError, "weight_decay"),
    (lambda: fastlr.adamw_timescale([-1.0], weight_decay=0.1), ValueError, "must be >= 0 for a timescale"),
    (lambda: fastlr.adamw_timescale([1.0], weight_decay=0.1, steps_per_epoch=0), ValueError,
     "steps_per_epoch must be a positive integer"),
])
def test_analytics_reject_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_totals_carry_across_chunks():
    s = fastlr.warmup_cosine(1.0, 1000, 2_500_000, end=0.01)  # three chunks of the table
    n = 2_600_000
    s1, squares, s2, last = analytics._totals(s, n, 0.999)
    assert s1 == pytest.approx(fastlr.lr_area(s, n)[-1], rel=1e-12)
    assert s2 == pytest.approx(fastlr.annealing_area(s, n)[-1], rel=1e-9)
    assert squares == pytest.approx(fastlr.lr_power_sum(s, n, power=2)[-1], rel=1e-12) and last == 0.01


def test_summary_lines_show_the_totals():
    s = fastlr.piecewise_constant([10], [1.0, 0.5])
    lines = analytics.summary_lines(s, 20, decay=0.5, weight_decay=0.1)
    text = "\n".join(lines)
    assert all(line.startswith("  ") for line in lines) and len(lines) == 4
    assert re.search(r"S1 = 15 .*20 steps; mean 0\.75", text)  # 10 * 1 + 10 * 0.5
    assert "sum lr^2   12.5" in text
    # one drop of 0.5 at step 10, decay 0.5: S2 = 0.5 * (1 - 0.5**10) / 0.5
    assert f"S2 = {0.5 * (1 - 0.5 ** 10) / 0.5:.6g}" in text
    assert "1/(lr*wd) = 20 steps at step 19" in text
    assert "not finite" in analytics.summary_lines(fastlr.exponential(1.0, 1e300, 1), 5)[0]
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        analytics.summary_lines(s, 0)
    with pytest.raises(TypeError, match="schedule must be a fastlr schedule"):
        analytics.summary_lines([1.0], 3)
