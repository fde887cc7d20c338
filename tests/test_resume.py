"""fastlr.resume: explicit policies for resuming with a changed schedule (both engines)."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import fastlr
from _reference import value as reference
from conftest import assert_same_bits

SAVED = fastlr.warmup_cosine(1e-3, 100, 10_000, end=1e-5)
LONGER = fastlr.warmup_cosine(1e-3, 100, 20_000, end=1e-5)
SHORTER = fastlr.warmup_cosine(1e-3, 100, 6_000, end=1e-5)


def _all_paths(s, n):
    """s(t) for t < n through every call path, checked equal."""
    calls = np.array([s(t) for t in range(n)])
    assert_same_bits(s.at(np.arange(n)), calls)
    assert_same_bits(s.table(n, exact=True), calls)
    assert_same_bits(s.table(n, np.float32, exact=True), calls.astype(np.float32))
    fast = s.table(n)  # warped segments fill exactly; the others within their vector bound
    assert np.max(np.abs(fast - calls)) <= 4 * np.spacing(np.max(np.abs(calls)))
    return calls


@pytest.mark.parametrize("new, k", [(LONGER, 4_000), (SHORTER, 4_000), (LONGER, 50), (LONGER, 100),
                                    (SHORTER, 5_999), (LONGER, 0)])
def test_retarget_stretches_the_rest_of_the_run_to_the_new_end(engine, new, k):
    r = engine.bind(fastlr.resume(SAVED, new, k, "retarget"))
    end, new_end = 10_000, new.boundaries[-1]
    values = _all_paths(r, new_end + 10)
    assert_same_bits(values[:k], engine.bind(SAVED).at(np.arange(k)))
    rho = (end - k) / (new_end - k)
    for t in sorted({k, k + 1, (k + new_end) // 2, new_end - 1} | set(range(k, new_end, 997))):
        x = k + (t - k) * rho  # the saved run's (fractional) step shown at t
        want = reference(SAVED, x)
        assert abs(values[t] - want) <= 4e-16 * max(1.0, t) * 1e-3 + 1e-18, (t, x)
    assert values[new_end] == values[-1] == 1e-5 and values[new_end - 1] > 1e-5


def test_retarget_to_the_same_end_is_the_saved_run_bit_for_bit(engine):
    same_end = fastlr.warmup_cosine(1e-3, 100, 10_000, end=1e-5, start=0.0) .cooldown(10_000, 0, end=1e-5)
    r = engine.bind(fastlr.resume(SAVED, same_end, 3_333, "retarget"))
    assert_same_bits(r.table(12_000, exact=True), engine.bind(SAVED).table(12_000, exact=True))


def test_keep_is_the_new_schedule_at_absolute_steps(engine):
    r = engine.bind(fastlr.resume(SAVED, LONGER, 4_000, "keep"))
    values = _all_paths(r, 21_000)
    assert_same_bits(values[:4_000], engine.bind(SAVED).table(4_000, exact=True))
    assert_same_bits(values[4_000:], engine.bind(LONGER).at(np.arange(4_000, 21_000)))


def test_continue_goes_from_the_current_value_into_the_new_shape(engine):
    new = fastlr.warmup_linear(2e-3, 100, 20_000, end=0.0)  # another shape and peak
    r = engine.bind(fastlr.resume(SAVED, new, 4_000, "continue"))
    values = _all_paths(r, 21_000)
    v = SAVED(4_000)
    assert values[4_000] == v
    for t in (4_001, 10_000, 19_999):  # a straight line from v to the new end at the new end
        assert math.isclose(values[t], v + (0.0 - v) * (t - 4_000) / 16_000, rel_tol=1e-13)
    assert values[20_000] == 0.0


def test_continue_needs_a_ramp_at_the_resume_step():
    with pytest.raises(ValueError, match="policy 'continue' needs .* a ramp .* it is EXPONENTIAL"):
        fastlr.resume(SAVED, fastlr.exponential(1e-3, 0.5, 100), 50, "continue")


def test_error_lists_what_changed_and_equal_schedules_resume_as_saved():
    with pytest.raises(ValueError, match=r"(?s)at step 7.*args\.total_steps: 10000 -> 20000.*choose a resume policy"):
        fastlr.resume(SAVED, LONGER, 7)
    for policy in ("error", "keep", "retarget", "continue"):
        assert fastlr.resume(SAVED, fastlr.warmup_cosine(1e-3, 100, 10_000, end=1e-5), 7, policy) is SAVED


@pytest.mark.parametrize("saved, new, k, message", [
    (fastlr.noam(512), LONGER, 5, "needs the saved schedule to end"),
    (SAVED, fastlr.noam(512), 5, "needs the new schedule to end"),
    (SAVED, LONGER, 10_000, "ended at step 10000 <= step 10000"),
    (SAVED, fastlr.warmup_cosine(1e-3, 10, 20), 30, "the new schedule ends at step 20 <= step 30"),
])
def test_retarget_errors_say_why(saved, new, k, message):
    with pytest.raises(ValueError, match=message):
        fastlr.resume(saved, new, k, "retarget")


def test_arguments_are_validated():
    with pytest.raises(ValueError, match="policy must be one of"):
        fastlr.resume(SAVED, LONGER, 1, "stretch")
    with pytest.raises(ValueError, match="step must be a non-negative integer"):
        fastlr.resume(SAVED, LONGER, -1, "keep")
    with pytest.raises(TypeError, match="new must be a fastlr schedule"):
        fastlr.resume(SAVED, 0.1, 1, "keep")


def test_resumes_compose_and_round_trip(engine):
    once = fastlr.resume(SAVED, LONGER, 4_000, "retarget")
    twice = fastlr.resume(once, fastlr.warmup_cosine(1e-3, 100, 30_000, end=1e-5), 12_000, "retarget")
    for s in (once, twice):
        assert fastlr.from_dict(s.to_dict()) == s and eval(repr(s), {"fastlr": fastlr}) == s
        assert pickle.loads(pickle.dumps(s)) == s
        assert fastlr.fingerprint(fastlr.from_dict(s.to_dict())) == fastlr.fingerprint(s)
    b = engine.bind(twice)
    values = _all_paths(b, 31_000)
    assert_same_bits(values[:12_000], engine.bind(once).table(12_000, exact=True))
    assert values[29_999] > 1e-5 and values[30_000] == 1e-5
    assert abs(values[12_000] - once(12_000)) <= 1e-18


def test_fingerprints_tell_specs_apart():
    assert fastlr.fingerprint(SAVED) == fastlr.fingerprint(fastlr.from_dict(SAVED.to_dict()))
    assert fastlr.fingerprint(SAVED) != fastlr.fingerprint(LONGER)
    assert fastlr.fingerprint(fastlr.polynomial(1.0, 10, power=3)) != fastlr.fingerprint(
        fastlr.polynomial(1.0, 10, power=3.0))
    assert len(fastlr.fingerprint(SAVED)) == 16
