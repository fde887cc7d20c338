"""pytest-benchmark: per-step cost of the training-loop adapters.

    pytest benchmarks/test_bench_adapters.py                    # timings
    pytest benchmarks/test_bench_adapters.py --benchmark-disable   # CI: runs once, cannot rot

The ratios quoted in docs/adapters.md come from ``compare_adapters.py`` (one
run, interleaved rounds); these benchmarks track each path on its own.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import fastlr

PEAK = 1e-3
TOTAL = 1_000_000
WARMUP = TOTAL // 10
SCHEDULE = fastlr.warmup_cosine(peak=PEAK, warmup_steps=WARMUP, total_steps=TOTAL)
STEPS = 10_000  # scheduler steps per benchmark round


@pytest.fixture
def torch_opt():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    p = torch.nn.Parameter(torch.zeros(1))
    p.grad = torch.zeros(1)
    return torch.optim.SGD([p], lr=PEAK)


def _drive(step):
    def run():
        for _ in range(STEPS):
            step()
    return run


def test_torch_hand_set(benchmark, torch_opt):
    values = SCHEDULE.table(STEPS).tolist()

    def run():
        for i in range(STEPS):
            x = values[i]
            for g in torch_opt.param_groups:
                g["lr"] = x
    benchmark(run)


def test_torch_fastlr_step(benchmark, torch_opt):
    import fastlr.torch as ft
    sched = ft.LRScheduler(torch_opt, SCHEDULE)
    torch_opt.step()  # an update first, as in a loop (else step() warns about the order, as torch's does)
    benchmark(_drive(sched.step))
    assert torch_opt.param_groups[0]["lr"] == SCHEDULE(torch_opt.param_groups[0][ft.STEP_KEY])


def test_torch_fastlr_step_python_path(benchmark, torch_opt):
    import fastlr.torch as ft
    sched = ft.LRScheduler(torch_opt, SCHEDULE)
    torch_opt.step()
    vars(sched).pop("step", None)
    benchmark(_drive(sched.step))


def test_torch_lambda_lr_step(benchmark, torch_opt):
    import torch

    def lam(t):
        if t < WARMUP:
            return t / WARMUP
        return 0.5 * (1.0 + math.cos(math.pi * (t - WARMUP) / (TOTAL - WARMUP)))

    sched = torch.optim.lr_scheduler.LambdaLR(torch_opt, lam)
    torch_opt.step()  # after the scheduler wraps it: torch does not warn about the call order
    benchmark(_drive(sched.step))


def test_plain_loop_call(benchmark):
    s = SCHEDULE

    def run():
        for t in range(STEPS):
            s(t)
    benchmark(run)


def test_optax_jitted_update(benchmark):
    jax = pytest.importorskip("jax", reason="JAX is not installed")
    optax = pytest.importorskip("optax", reason="optax is not installed")
    import jax.numpy as jnp

    import fastlr.optax as fo

    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=fo.schedule(SCHEDULE))
    params = {"w": jnp.zeros(16)}
    state = tx.init(params)

    @jax.jit
    def update(params, state):
        updates, state = tx.update(jax.tree_util.tree_map(jnp.ones_like, params), state, params)
        return optax.apply_updates(params, updates), state

    def run():
        p, st = params, state
        for _ in range(100):
            p, st = update(p, st)
        jax.block_until_ready(p)
    benchmark(run)


def test_keras_schedule_call(benchmark):
    pytest.importorskip("keras", reason="Keras is not installed")
    import fastlr.keras as fk
    lr = fk.LearningRateSchedule(SCHEDULE)
    steps = np.arange(100)
    benchmark(lambda: [lr(int(t)) for t in steps])
