"""Quick checks that the installed package works: the smoke subset of other install paths."""

import numpy as np

import fastlr


def test_backend_flag_names_an_engine():
    assert fastlr.BACKEND in ("cython", "python")


def test_warmup_cosine_basic_values(engine):
    s = engine.bind(fastlr.warmup_cosine(peak=1e-3, warmup_steps=10, total_steps=110))
    assert s(0) == 0.0
    assert s(10) == 1e-3
    assert s(110) == 0.0
    assert s(5) == 1e-3 * 5 / 10
    out = s.fill(np.empty(200))
    assert out[60] == s(60)
