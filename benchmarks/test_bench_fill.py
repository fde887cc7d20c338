"""Bulk fills: fastlr (both engines) against NumPy's fastest form and peers, per schedule."""

from __future__ import annotations

import math

import numpy as np
import pytest

from _cases import PEAK
from conftest import CASES, N, bind

NAMES = sorted(CASES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("threads", [1, None], ids=["1thread", "auto"])
def test_fastlr_fill_f64(benchmark, name, engine_name, threads):
    s = bind(CASES[name].schedule, engine_name)
    out = np.ones(N)
    benchmark.group = f"fill-f64-{name}"
    result = benchmark(s.fill, out, threads=threads)
    assert result is out and np.isfinite(out).all()


@pytest.mark.parametrize("name", NAMES)
def test_fastlr_fill_f64_exact(benchmark, name, engine_name):
    s = bind(CASES[name].schedule, engine_name)
    out = np.ones(N)
    benchmark.group = f"fill-f64-{name}"
    benchmark(s.fill, out, exact=True, threads=1)
    assert out[N // 2] == s(N // 2)


@pytest.mark.parametrize("name", NAMES)
def test_numpy_forms_f64(benchmark, name, scratch64):
    case = CASES[name]
    out = np.ones(N)
    label = list(case.forms)[-1]  # the out= form (each case lists it last)
    benchmark.group = f"fill-f64-{name}"
    benchmark.extra_info["form"] = label
    benchmark(case.forms[label], scratch64, out)


@pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])
def test_fastlr_fill_f32_warmup_cosine(benchmark, engine_name, exact):
    s = bind(CASES["warmup_cosine"].schedule, engine_name)
    out = np.ones(N, np.float32)
    benchmark.group = "fill-f32-warmup_cosine"
    benchmark(s.fill, out, exact=exact, threads=1)
    assert abs(float(out[N // 2]) - s(N // 2)) <= 2 * np.spacing(np.float32(PEAK))


def test_numpy_out_f32_warmup_cosine(benchmark, scratch32):
    case = CASES["warmup_cosine"]
    out = np.ones(N, np.float32)
    benchmark.group = "fill-f32-warmup_cosine"
    benchmark(case.forms32["out= (preallocated)"], scratch32, out)


def test_pure_python_warmup_cosine(benchmark):
    n = min(N, 100_000)
    W = n // 10
    k, h, sl = math.pi / (n - W), 0.5 * PEAK, PEAK / W
    cos = math.cos
    benchmark.group = "fill-f64-warmup_cosine-pure-python-100k"
    values = benchmark(lambda: [sl * t if t < W else h * (1.0 + cos(k * (t - W))) for t in range(n)])
    assert len(values) == n


def test_jax_optax_warmup_cosine(benchmark):
    jax = pytest.importorskip("jax", reason="jax is an optional peer")
    optax = pytest.importorskip("optax", reason="optax is an optional peer")
    jax.config.update("jax_enable_x64", True)
    W = N // 10
    f = jax.jit(jax.vmap(optax.warmup_cosine_decay_schedule(0.0, PEAK, W, N, 0.0)))
    x = jax.numpy.arange(N, dtype=jax.numpy.float64)
    f(x).block_until_ready()
    benchmark.group = "fill-f64-warmup_cosine"
    benchmark(lambda: f(x).block_until_ready())
