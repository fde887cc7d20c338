"""WSD-S and the power scheduler: the shapes, their edges, their errors (values against
tests/_reference.py run in test_catalog.py)."""

from __future__ import annotations

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits


def test_wsd_s_restarts_each_period_at_its_peak_without_rewarm(engine):
    s = engine.bind(fastlr.wsd_s(1.0, 10, [100, 50, 60], [20, 10, 30], end=0.01, multipliers=[1, 0.8, 0.6]))
    ends = [100, 150, 210]
    assert s(9) < s(10) == 1.0
    for e, top, nxt in zip(ends, [1.0, 0.8, 0.6], [0.8, 0.6, 0.01]):
        assert s(e - 1) < top and s(e) == nxt  # decayed just before, the next peak (or end) at e
    assert s(10**12) == 0.01
    assert s(100 - 20 - 1) == s(100 - 20) == 1.0  # the decay starts at its first step


def test_power_law_is_horizon_free_until_its_tail(engine):
    free = engine.bind(fastlr.power_law(3e-3, 200, exponent=-0.5))
    tailed = engine.bind(fastlr.power_law(3e-3, 200, exponent=-0.5, total_steps=10_000, decay_steps=1_000))
    assert_same_bits(tailed.table(9_000, exact=True), free.table(9_000, exact=True))
    assert tailed(9_000) == free(9_000) and tailed(10_000) == tailed(10**15) == 0.0
    assert free(800) == pytest.approx(3e-3 * (800 / 200) ** -0.5, rel=1e-15)
    assert free(200) == 3e-3 and free(100) == 1.5e-3


def test_power_law_then_cooldown_from_any_step(engine):
    run = engine.bind(fastlr.power_law(1e-3, 100))
    branched = engine.bind(run.cooldown(5_000, 500))
    direct = engine.bind(fastlr.power_law(1e-3, 100, total_steps=5_500, decay_steps=500, cooldown="1-sqrt"))
    steps = np.arange(0, 6_000, 7, dtype=np.int64)
    assert_same_bits(branched.at(steps), direct.at(steps))


@pytest.mark.parametrize("call, error, message", [
    (lambda: fastlr.wsd_s(1.0, 0, [], 1), ValueError, "periods must have at least one item"),
    (lambda: fastlr.wsd_s(1.0, 0, [10, 0], 1), ValueError, r"periods\[1\] must be a positive integer"),
    (lambda: fastlr.wsd_s(1.0, 5, [10], 6), ValueError,
     r"decay_steps of period 0 must be <= periods\[0\] - warmup_steps = 5, got 6"),
    (lambda: fastlr.wsd_s(1.0, 0, [10, 5], [2, 6]), ValueError, r"decay_steps of period 1 must be <= periods\[1\]"),
    (lambda: fastlr.wsd_s(1.0, 0, [10, 5], [2]), ValueError, r"decay_steps must have one item per period \(2\)"),
    (lambda: fastlr.wsd_s(1.0, 0, [10], 2, multipliers=[0.0]), ValueError, r"multipliers\[0\] must be > 0"),
    (lambda: fastlr.wsd_s(1.0, 0, [10], 2, multipliers=[1.0, 1.0]), ValueError, "one item per period"),
    (lambda: fastlr.wsd_s(1.0, 0, [10], 2, cooldown="exp"), ValueError, "cooldown must be one of"),
    (lambda: fastlr.power_law(1.0, 0), ValueError, "warmup_steps must be a positive integer, got 0"),
    (lambda: fastlr.power_law(1.0, 10, exponent=0.0), ValueError, "exponent must be < 0.0"),
    (lambda: fastlr.power_law(1.0, 10, decay_steps=5), ValueError, "decay_steps needs total_steps"),
    (lambda: fastlr.power_law(1.0, 10, total_steps=20, decay_steps=11), ValueError,
     "decay_steps must be <= total_steps - warmup_steps = 10, got 11"),
])
def test_bad_arguments_name_the_parameter_and_the_rule(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_round_trips():
    for s in (fastlr.wsd_s(1.0, 3, [10, 20], [2, 4], multipliers=[1.0, 0.5]), fastlr.power_law(1.0, 3, -0.6, 90, 9)):
        assert fastlr.from_dict(s.to_dict()) == s and eval(repr(s), {"fastlr": fastlr}) == s
