"""fastlr.optax.schedule in real optax update loops under jax.jit."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax", reason="JAX is not installed (pip install 'fastlr-schedules[jax]')")
optax = pytest.importorskip("optax", reason="optax is not installed (pip install 'fastlr-schedules[jax]')")

import jax.numpy as jnp  # noqa: E402

import fastlr  # noqa: E402
import fastlr.optax as fo  # noqa: E402
from fastlr._lookup import constant_from  # noqa: E402

WARM = fastlr.warmup_cosine(peak=1e-2, warmup_steps=4, total_steps=20, end=1e-4)


def f32(x: float) -> np.float32:
    return np.float32(x)


def run(tx, steps: int):
    """Jitted SGD-style loop on loss sum(w) (gradient 1); the updates of every step."""
    params = {"w": jnp.zeros(2)}
    state = tx.init(params)

    @jax.jit
    def update(params, state):
        grads = jax.grad(lambda p: p["w"].sum())(params)
        updates, state = tx.update(grads, state, params)
        return optax.apply_updates(params, updates), state, updates

    history = []
    for _ in range(steps):
        params, state, updates = update(params, state)
        history.append((state, updates))
    return history


def test_inject_hyperparams_sees_s_of_n_minus_1(engine):
    s = engine.bind(WARM)
    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=fo.schedule(s))
    history = run(tx, 26)
    for n, (state, updates) in enumerate(history, start=1):
        lr = state.hyperparams["learning_rate"]
        assert lr.dtype == jnp.float32
        assert lr == f32(s(n - 1))
        assert np.array_equal(np.asarray(updates["w"]), np.full(2, -f32(s(n - 1))))


def test_every_hyperparameter_on_one_clock_through_inject_hyperparams(engine):
    """optax.inject_hyperparams takes a schedule for any numeric hyperparameter: weight decay and
    b1 follow their fastlr schedules on the optimizer's own count, like the learning rate."""
    lr, wd = engine.bind(WARM), engine.bind(fastlr.linear(0.1, 20, end=0.01))
    b1 = engine.bind(fastlr.cosine(0.95, 15, end=0.85))
    tx = optax.inject_hyperparams(optax.adamw)(learning_rate=fo.schedule(lr), weight_decay=fo.schedule(wd),
                                               b1=fo.schedule(b1))
    for n, (state, _) in enumerate(run(tx, 22), start=1):
        seen = state.hyperparams
        assert (seen["learning_rate"], seen["weight_decay"], seen["b1"]) == (f32(lr(n - 1)), f32(wd(n - 1)),
                                                                              f32(b1(n - 1)))


def test_inside_chain_with_scale_by_learning_rate():
    tx = optax.chain(optax.clip_by_global_norm(10.0), optax.scale_by_learning_rate(fo.schedule(WARM)))
    history = run(tx, 22)
    assert [float(u["w"][0]) for _, u in history] == [float(-f32(WARM(t))) for t in range(22)]


def test_adamw_accepts_it():
    tx = optax.adamw(learning_rate=fo.schedule(WARM), weight_decay=1e-2)
    history = run(tx, 5)
    assert all(np.isfinite(np.asarray(u["w"])).all() for _, u in history)


def test_table_and_past_the_end(engine):
    s = engine.bind(WARM)
    lr = fo.schedule(s)
    assert lr.table.shape == (21,)  # one past the start of the final constant phase (step 20)
    assert lr.holds
    jitted = jax.jit(lr)
    for t in (0, 3, 4, 19, 20, 21, 1000, 2**31 - 1):
        assert jitted(t) == f32(s(t)), t
    assert lr(7) == f32(s(7))  # eager call too


def test_never_constant_needs_num_steps():
    noam = fastlr.noam(d_model=64, warmup_steps=10)
    with pytest.raises(ValueError, match="num_steps is required .* never becomes constant"):
        fo.schedule(noam)
    lr = fo.schedule(noam, num_steps=50)
    jitted = jax.jit(lr)
    assert jitted(49) == f32(noam(49))
    assert np.isnan(jitted(50)) and np.isnan(jitted(10**6))


def test_short_table_of_a_constant_ending_schedule_does_not_hold():
    lr = jax.jit(fo.schedule(WARM, num_steps=10))
    assert lr(9) == f32(WARM(9))
    assert np.isnan(lr(10))


def test_longer_table_holds_the_constant():
    lr = fo.schedule(fastlr.piecewise_constant([5, 8], [1.0, 0.5, 0.25]), num_steps=100)
    assert lr.holds and jax.jit(lr)(5000) == 0.25


def test_constant_from_reads_the_last_segment():
    assert constant_from(WARM) == 20
    assert constant_from(fastlr.constant(0.1)) == 0
    assert constant_from(fastlr.multistep(1.0, [3, 9])) == 9
    assert constant_from(fastlr.wsd(1.0, 2, 3, 4)) == 9
    assert constant_from(fastlr.exponential(1.0, 0.5, 10)) is None
    assert constant_from(fastlr.cosine_restarts(1.0, 10)) is None
    assert constant_from(fastlr.noam(64, 10)) is None


def test_float64_needs_x64():
    if jax.config.jax_enable_x64:
        pytest.skip("this process runs jax with x64 enabled")
    with pytest.raises(ValueError, match="jax_enable_x64"):
        fo.schedule(WARM, dtype=jnp.float64)


def test_bad_arguments():
    with pytest.raises(TypeError, match="schedule must be a fastlr schedule"):
        fo.schedule(lambda t: 0.1)
    with pytest.raises(ValueError, match="num_steps must be a positive integer, got 0"):
        fo.schedule(WARM, num_steps=0)
    with pytest.raises(TypeError, match="num_steps must be an integer"):
        fo.schedule(WARM, num_steps=10.0)
    with pytest.raises(TypeError, match="dtype must be float32 or float64"):
        fo.schedule(WARM, dtype=jnp.int32)
