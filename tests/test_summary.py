"""Where a schedule ends (``_lookup.constant_from``) and the default ranges built on it."""

from __future__ import annotations

import numpy as np
import pytest

import fastlr
import fastlr.compat.keras
import fastlr.compat.optax
import fastlr.compat.tf_keras
from _catalog import CATALOG
from test_simd import COMPAT
from fastlr import _summary, _tables
from fastlr._kinds import Kind
from fastlr._lookup import FLAT_FROM, constant_from


# every catalog schedule and every golden compat schedule (test_simd gathers the latter)
SCHEDULES = {**{f"catalog-{name}": s for name, s in CATALOG.items()},
             **{name: s for name, (s, _) in COMPAT.items()}}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_constant_from_is_never_early(engine, name):
    s = engine.bind(SCHEDULES[name])
    flat = constant_from(s)
    if flat is None:
        return
    probes = [flat + k for k in (0, 1, 2, 17, 999, 10**6, 2**40) if flat + k <= 2**63 - 1]
    values = s.at(np.array(probes, dtype=np.int64))
    same = (values == values[0]) | (np.isnan(values) & np.isnan(values[0]))
    assert same.all(), (flat, probes, values)


def test_every_golden_float32_clamp_kind_reports_an_end():
    """Each float32 kind with a rule ends in a golden case; cycling PolynomialDecay does not."""
    ended = {s.segments()[-1].kind for s in SCHEDULES.values() if constant_from(s) is not None}
    assert {Kind.F32_TF_POLYNOMIAL, Kind.F32_TF_COSINE, Kind.F32_OPTAX_POLYNOMIAL,
            Kind.F32_OPTAX_COSINE} <= ended <= set(FLAT_FROM)
    cycling = fastlr.compat.keras.PolynomialDecay(initial_learning_rate=0.1, decay_steps=100, cycle=True)
    assert constant_from(cycling) is None
    assert cycling(150) != cycling(199)  # it does keep changing


@pytest.mark.parametrize("s, end", [
    (fastlr.compat.optax.cosine_decay_schedule(init_value=1.0, decay_steps=300), 300),
    (fastlr.compat.optax.polynomial_schedule(init_value=1.0, end_value=0.5, power=2, transition_steps=40,
                                             transition_begin=7), 47),
    (fastlr.compat.optax.sgdr_schedule([dict(init_value=0.0, peak_value=1.0, warmup_steps=5, decay_steps=50),
                                        dict(init_value=0.0, peak_value=0.5, warmup_steps=5, decay_steps=30)]),
     80),
    (fastlr.compat.keras.CosineDecay(initial_learning_rate=1.0, decay_steps=123, alpha=0.1), 123),
    (fastlr.compat.tf_keras.CosineDecay(initial_learning_rate=0.0, decay_steps=100, warmup_target=1.0,
                                        warmup_steps=20), 120),
    (fastlr.compat.keras.PolynomialDecay(initial_learning_rate=1.0, decay_steps=64, power=0.5), 64),
])
def test_constant_from_is_the_peers_end(engine, s, end):
    """The first step past the peer's decay (decay_steps, warmup + decay, begin + transition)."""
    b = engine.bind(s)
    assert constant_from(b) == end
    assert b(end - 1) != b(end) == b(end + 1) == b(10 * end)


def test_constant_from_refuses_local_steps_beyond_two_to_the_53():
    s = fastlr.compat.optax.cosine_decay_schedule(init_value=1.0, decay_steps=2**60)
    assert constant_from(s) is None


@pytest.mark.parametrize("s, steps, why", [
    (fastlr.cosine(1.0, 1000), 1100, "where it becomes constant"),
    (fastlr.compat.optax.cosine_decay_schedule(init_value=1.0, decay_steps=1000), 1100,
     "where it becomes constant"),
    (fastlr.warmup_inverse(1.0, 4000), 4400, "its last phase boundary"),
    (fastlr.noam(512), _summary.DEFAULT_STEPS, None),
    (fastlr.constant(1.0), _summary.DEFAULT_STEPS, None),
    (fastlr.cosine(1.0, 5), 6, "where it becomes constant"),  # at least one step past the end
])
def test_default_steps(s, steps, why):
    assert _summary.default_steps(s) == steps
    end = _summary.end_of(s)
    assert (end is None) == (why is None) and (end is None or end[1] == why)


def test_default_steps_of_several_takes_the_longest():
    assert _summary.default_steps(fastlr.cosine(1.0, 100), fastlr.cosine(1.0, 1000)) == 1100
    assert _summary.default_steps(fastlr.cosine(1.0, 100), fastlr.noam(8)) == _summary.DEFAULT_STEPS


def test_summary_columns_hold_each_columns_extremes(engine, monkeypatch):
    monkeypatch.setattr(_tables, "NPY_CHUNK", 64)  # chunks end inside columns
    s = engine.bind(fastlr.cosine_restarts(1.0, 150))
    info = _summary.summarize(s, 1000, start=13, width=9)  # uneven columns, restarts inside them
    values = s.at(np.arange(13, 1013))
    edges = [j * 1000 // 9 for j in range(10)]
    assert info.highs == [float(values[a:b].max()) for a, b in zip(edges, edges[1:])]
    assert info.lows == [float(values[a:b].min()) for a, b in zip(edges, edges[1:])]


def test_a_nan_column_is_marked():
    s = fastlr.compat.tf_keras.CosineDecay(initial_learning_rate=0.1, decay_steps=0)  # 0/0 at every step
    info = _summary.summarize(s, 100, width=10)
    assert info.nans == 100 and _summary.sparklines(info) == ["?" * 10]
