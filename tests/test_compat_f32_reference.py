"""The float32 compat kinds against an independent scalar reference, for random parameters.

tests/_f32_reference.py re-implements the peers' float32 pipelines from their
source with struct-based float32 rounding and math's transcendentals; fastlr
must agree bit for bit on both engines, per step and in bulk, for parameter
values the golden tables do not hold.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings, strategies as st

import _f32_reference as ref
from fastlr.compat import keras, optax, tf_keras

RATES = st.floats(0.05, 2.5)
LRS = st.floats(1e-6, 10.0)
STEPS = st.lists(st.integers(0, 3_000_000), min_size=1, max_size=40)
SMALL_STEPS = st.lists(st.integers(0, 400), min_size=1, max_size=40)
SETTINGS = settings(max_examples=60, deadline=None)


def agree(schedule, reference, steps, engine) -> None:
    s = engine.bind(schedule)
    want = np.array([reference(k) for k in steps], dtype=np.float64)
    arr = np.array(steps, dtype=np.int64)
    for how, got in (("at", s.at(arr)), ("call", np.array([s(int(k)) for k in steps]))):
        same = (got == want) | (np.isnan(got) & np.isnan(want))
        assert same.all(), (how, arr[~same][:3], got[~same][:3], want[~same][:3])
    # a short float32 fill starting at each step (bulk path, any start)
    table = np.array([s.fill(np.empty(2, dtype=np.float32), int(k))[0] for k in arr])
    want = want.astype(np.float32)  # the identity for float32 values; rounds a Python number
    same = (table == want) | (np.isnan(table) & np.isnan(want))
    assert same.all(), ("fill", arr[~same][:3], table[~same][:3], want[~same][:3])


@SETTINGS
@given(lr=LRS, decay_steps=st.one_of(st.integers(1, 100_000), st.floats(0.5, 1e5)), rate=RATES,
       staircase=st.booleans(), steps=STEPS)
def test_exponential_and_inverse_time(engine, lr, decay_steps, rate, staircase, steps):
    agree(keras.ExponentialDecay(lr, decay_steps, rate, staircase),
          ref.keras_exponential(lr, decay_steps, rate, staircase), steps, engine)
    agree(tf_keras.InverseTimeDecay(lr, decay_steps, rate, staircase),
          ref.keras_exponential(lr, decay_steps, rate, staircase, inverse=True), steps, engine)


@SETTINGS
@given(lr=LRS, end=st.floats(0.0, 1.0), decay_steps=st.integers(1, 50_000),
       power=st.floats(0.1, 4.0), cycle=st.booleans(), steps=STEPS)
def test_polynomial(engine, lr, end, decay_steps, power, cycle, steps):
    agree(keras.PolynomialDecay(lr, decay_steps, end, power, cycle),
          ref.keras_polynomial(lr, decay_steps, end, power, cycle), steps, engine)


@SETTINGS
@given(lr=LRS, decay_steps=st.integers(1, 100_000), alpha=st.floats(0.0, 1.0),
       target=st.one_of(st.none(), LRS), warmup=st.integers(0, 5_000), steps=STEPS)
def test_cosine(engine, lr, decay_steps, alpha, target, warmup, steps):
    agree(keras.CosineDecay(lr, decay_steps, alpha, warmup_target=target, warmup_steps=warmup),
          ref.keras_cosine(lr, decay_steps, alpha, warmup_target=target, warmup_steps=warmup),
          steps, engine)


@SETTINGS
@given(lr=LRS, first=st.integers(1, 2_000), t_mul=st.one_of(st.just(1.0), st.floats(0.5, 3.0)),
       m_mul=st.floats(0.1, 1.5), alpha=st.floats(0.0, 0.5), steps=STEPS)
def test_cosine_restarts(engine, lr, first, t_mul, m_mul, alpha, steps):
    agree(tf_keras.CosineDecayRestarts(lr, first, t_mul, m_mul, alpha),
          ref.keras_restarts(lr, first, t_mul, m_mul, alpha), steps, engine)


@SETTINGS
@given(data=st.data(), n=st.integers(1, 5), steps=SMALL_STEPS, summed=st.booleans())
def test_piecewise_constant(engine, data, n, steps, summed):
    bounds = sorted(data.draw(st.lists(st.integers(-5, 300), min_size=n, max_size=n, unique=True)))
    if summed:  # Keras 3 also takes them unsorted
        bounds = data.draw(st.permutations(bounds))
    values = data.draw(st.lists(LRS, min_size=n + 1, max_size=n + 1))
    make = keras.PiecewiseConstantDecay if summed else tf_keras.PiecewiseConstantDecay
    agree(make(bounds, values), ref.keras_piecewise(bounds, values, summed=summed), steps, engine)


POWERS = st.one_of(st.integers(-3, 7), st.floats(0.1, 4.0))


@SETTINGS
@given(init=st.floats(-1.0, 2.0), end=st.floats(0.0, 1.0), power=POWERS,
       transition=st.integers(-2, 10_000), begin=st.integers(-50, 500), steps=STEPS)
def test_optax_polynomial(engine, init, end, power, transition, begin, steps):
    agree(optax.polynomial_schedule(init, end, power, transition, begin),
          ref.optax_polynomial(init, end, power, transition, begin), steps, engine)


@SETTINGS
@given(init=LRS, transition=st.integers(-1, 10_000), rate=st.one_of(st.just(0.0), RATES),
       begin=st.integers(-50, 500), staircase=st.booleans(),
       end=st.one_of(st.none(), st.floats(1e-6, 5.0)), steps=STEPS)
def test_optax_exponential(engine, init, transition, rate, begin, staircase, end, steps):
    agree(optax.exponential_decay(init, transition, rate, begin, staircase, end),
          ref.optax_exponential(init, transition, rate, begin, staircase, end), steps, engine)


@SETTINGS
@given(init=LRS, decay=st.integers(1, 1_000_000), alpha=st.floats(0.0, 1.0), exponent=POWERS,
       steps=STEPS)
def test_optax_cosine(engine, init, decay, alpha, exponent, steps):
    agree(optax.cosine_decay_schedule(init, decay, alpha, exponent),
          ref.optax_cosine(init, decay, alpha, exponent), steps, engine)


@SETTINGS
@given(kind=st.sampled_from(["linear", "cosine"]), init=LRS,
       scales=st.dictionaries(st.integers(-20, 300), st.floats(0.0, 3.0), max_size=4),
       steps=SMALL_STEPS)
def test_optax_piecewise_interpolate(engine, kind, init, scales, steps):
    agree(optax.piecewise_interpolate_schedule(kind, init, scales),
          ref.optax_interpolate(kind, init, scales), steps, engine)


@SETTINGS
@given(init=st.floats(0.0, 1.0), peak=LRS, warmup=st.integers(0, 100), extra=st.integers(1, 300),
       end=st.floats(0.0, 1e-3), exponent=POWERS, boundary=st.integers(-30, 200), steps=SMALL_STEPS)
def test_optax_joins(engine, init, peak, warmup, extra, end, exponent, boundary, steps):
    agree(optax.warmup_cosine_decay_schedule(init, peak, warmup, warmup + extra, end, exponent),
          ref.optax_warmup_cosine(init, peak, warmup, warmup + extra, end, exponent), steps, engine)
    first = optax.exponential_decay(peak, 7, 0.5, staircase=True)
    second = optax.warmup_cosine_decay_schedule(init, peak, warmup, warmup + extra, end, exponent)
    agree(optax.join_schedules([first, second], [boundary]),
          ref.optax_join([ref.optax_exponential(peak, 7, 0.5, staircase=True),
                          ref.optax_warmup_cosine(init, peak, warmup, warmup + extra, end, exponent)],
                         [boundary]), steps, engine)


def test_reference_is_not_trivially_fastlr():
    """The reference disagrees with a float64 closed form where float32 matters (sanity)."""
    f = ref.keras_cosine(0.1, 1000)
    closed = [0.1 * 0.5 * (1 + math.cos(math.pi * k / 1000)) for k in range(990, 1001)]
    assert any(ref.r32(c) != f(k) for k, c in zip(range(990, 1001), closed))
