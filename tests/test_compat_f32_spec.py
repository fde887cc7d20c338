"""repr/eval and to_dict/from_dict round trips, and validation, of the float32 compat schedules."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import fastlr
import _golden
from fastlr.compat import keras, optax, tf_keras

CALLS = sorted({c["call"] for lib in ("keras", "tf_keras", "optax") for c in _golden.cases(lib)
                if "raises" not in c})
STEPS = np.array([0, 1, 2, 9, 10, 11, 99, 100, 101, 1000, 123_456, 2**31, 2**40 + 3])


def same_values(a: fastlr.Schedule, b: fastlr.Schedule) -> bool:
    x, y = a.at(STEPS), b.at(STEPS)
    return bool(np.all((x == y) | (np.isnan(x) & np.isnan(y))))


@pytest.mark.parametrize("call", CALLS)
def test_repr_evaluates_to_an_equal_schedule(call):
    s = eval(call, {"fastlr": fastlr})
    again = eval(repr(s), {"fastlr": fastlr})
    assert again == s and hash(again) == hash(s) and same_values(again, s)


@pytest.mark.parametrize("call", CALLS)
def test_to_dict_round_trips_through_json(call):
    s = eval(call, {"fastlr": fastlr})
    spec = json.loads(json.dumps(s.to_dict()))
    again = fastlr.from_dict(spec)
    assert again == s and same_values(again, s)


def test_optax_scales_dict_keeps_int_keys_through_json():
    s = optax.piecewise_constant_schedule(1.0, {20: 0.5, 100: 0.1})
    again = fastlr.from_dict(json.loads(json.dumps(s.to_dict())))
    assert again.args["boundaries_and_scales"].as_dict() == {20: 0.5, 100: 0.1}
    assert again(100) == s(100) == float(np.float32(np.float32(0.5) * np.float32(1.0)) * np.float32(0.1))


def test_int_and_float_exponents_survive_repr_and_json():
    # optax: a Python int power is jax.lax.integer_pow, a float is pow
    a = optax.polynomial_schedule(1.0, 0.0, 3, 10)
    b = optax.polynomial_schedule(1.0, 0.0, 3.0, 10)
    assert "power=3," in repr(a) and "power=3.0," in repr(b)
    assert not np.array_equal(a.program.params, b.program.params)
    for s in (a, b):
        for again in (eval(repr(s), {"fastlr": fastlr}), fastlr.from_dict(json.loads(json.dumps(s.to_dict())))):
            assert np.array_equal(again.program.params, s.program.params)


@pytest.mark.parametrize("make", [
    lambda: keras.ExponentialDecay(0.1, 0, 0.5),
    lambda: keras.PolynomialDecay(0.1, -1),
    lambda: keras.InverseTimeDecay(0.1, 0.0, 0.5),
    lambda: keras.CosineDecay(0.1, 0),
    lambda: keras.CosineDecayRestarts(0.1, -3),
    lambda: keras.PiecewiseConstantDecay([1, 2], [0.1]),
    lambda: keras.PiecewiseConstantDecay([], [0.1]),
    lambda: tf_keras.PiecewiseConstantDecay([20, 10], [0.1, 0.2, 0.3]),
    lambda: keras.ExponentialDecay(math.nan, 10, 0.5),
    lambda: keras.CosineDecay(0.1, 10, warmup_target=math.inf),
    lambda: optax.cosine_decay_schedule(0.1, 0),
    lambda: optax.warmup_cosine_decay_schedule(0.0, 1.0, 20, 20),
    lambda: optax.piecewise_constant_schedule(0.1, {10: -0.5}),
    lambda: optax.piecewise_interpolate_schedule("quadratic", 0.1),
    lambda: optax.piecewise_interpolate_schedule("linear", 0.1, {5: -1.0}),
    lambda: optax.linear_onecycle_schedule(0, 1.0),
    lambda: optax.cosine_onecycle_schedule(-5, 1.0),
    lambda: optax.join_schedules([], []),
    lambda: optax.sgdr_schedule([]),
])
def test_rejected_as_the_peer_rejects(make):
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize("make", [
    lambda: keras.ExponentialDecay("0.1", 10, 0.5),
    lambda: keras.ExponentialDecay(0.1, 10, 0.5, staircase="yes"),
    lambda: keras.PolynomialDecay(0.1, 10, cycle=None),
    lambda: keras.CosineDecay(0.1, 10, name=3),
    lambda: keras.PiecewiseConstantDecay(5, [0.1]),
    lambda: optax.linear_schedule(1.0, 0.0, 10.5),
    lambda: optax.exponential_decay(1.0, 10, 0.5, transition_begin=1.5),
    lambda: optax.piecewise_constant_schedule(0.1, [(10, 0.5)]),
    lambda: optax.piecewise_constant_schedule(0.1, {10.5: 0.5}),
    lambda: optax.join_schedules([fastlr.constant(0.1)], []),
    lambda: optax.join_schedules([optax.constant_schedule(0.1)], [1.5]),
    lambda: optax.sgdr_schedule([{"init_value": 0.0, "peak_value": 1.0, "decay_steps": 5}]),
    lambda: optax.sgdr_schedule([{"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 1,
                                  "decay_steps": 5, "bogus": 1}]),
])
def test_bad_types_are_type_errors(make):
    with pytest.raises(TypeError):
        make()


def test_messages_name_the_parameter():
    with pytest.raises(ValueError, match="decay_steps"):
        keras.CosineDecay(0.1, 0)
    with pytest.raises(ValueError, match="first_decay_steps"):
        keras.CosineDecayRestarts(0.1, 0)
    with pytest.raises(TypeError, match="transition_steps"):
        optax.linear_schedule(1.0, 0.0, 10.5)


def test_python_number_short_cuts_stay_float64():
    # optax returns the Python number it was given; in a join it becomes float32
    assert optax.constant_schedule(0.1)(5) == 0.1
    assert optax.exponential_decay(0.3, 0, 0.5)(7) == 0.3
    assert optax.warmup_constant_schedule(0.2, 1.0, 0)(99) == 0.2
    joined = optax.join_schedules([optax.constant_schedule(0.1), optax.constant_schedule(0.2)], [5])
    assert joined(0) == float(np.float32(0.1)) and joined(5) == float(np.float32(0.2))


def test_join_with_negative_and_decreasing_boundaries_follows_optax():
    a, b, c = (optax.linear_schedule(1.0, 0.0, 10), optax.cosine_decay_schedule(1.0, 40),
               optax.constant_schedule(0.5))
    neg = optax.join_schedules([a, b], [-5])
    assert [neg(k) for k in range(30)] == [b(k + 5) for k in range(30)]
    dec = optax.join_schedules([a, b, c], [30, 10])  # the last boundary reached wins
    assert [dec(k) for k in range(10)] == [a(k) for k in range(10)]
    assert {dec(k) for k in range(10, 60)} == {float(np.float32(0.5))}


def test_keras3_sums_overlapping_piecewise_intervals():
    s = keras.PiecewiseConstantDecay([20, 10], [0.5, 0.25, 0.125])
    # steps 11..20: both "step <= 20" and "step > 10" hold, Keras 3 adds both values
    assert s(5) == 0.5 and s(15) == 0.625 and s(25) == 0.125


@pytest.mark.parametrize("name", ["linear_onecycle_schedule", "cosine_onecycle_schedule"])
@pytest.mark.parametrize("bad", [{"div_factor": 0.0}, {"final_div_factor": 0.0}])
def test_onecycle_rejects_zero_factors(name, bad):
    with pytest.raises(ValueError, match="must be non-zero"):
        getattr(optax, name)(transition_steps=100, peak_value=1.0, **bad)


def test_parameters_beyond_float32_range_build_quietly(engine):
    """The peer rounds them to inf; flushing subnormals must not warn on inf (pytest turns warnings
    into errors)."""
    never = engine.bind(fastlr.compat.keras.ExponentialDecay(initial_learning_rate=0.1, decay_steps=1e308,
                                                              decay_rate=0.96))
    assert never(0) == never(10**6) == float(np.float32(0.1))  # step / inf = 0: no decay
    huge = engine.bind(fastlr.compat.optax.linear_schedule(init_value=1e308, end_value=0.0, transition_steps=100))
    assert huge(0) == math.inf  # optax: (inf - 0) * 1**1 + 0


def test_tf_keras_nonsense_decay_steps_is_reproduced():
    """tf_keras accepts decay_steps=0 (Keras 3 rejects it): its NaN/inf values are reproduced, not rejected."""
    nonsense = [c for c in _golden.cases("tf_keras") if "values" in c and _golden.is_nonsense(c)]
    assert len(nonsense) >= 5
    for case in nonsense:
        got = eval(case["call"], {"fastlr": fastlr}).at(np.array(case["steps"]))
        assert len(_golden.mismatches(case, got)) == 0, case["id"]
