"""Hypothesis strategies for native schedules (used by tests and tools/fuzz.py)."""

from __future__ import annotations

from hypothesis import strategies as st

import fastlr

lr = st.floats(min_value=1e-8, max_value=10.0)
length = st.integers(min_value=0, max_value=5000)
positive = st.integers(min_value=1, max_value=5000)


@st.composite
def schedules(draw):
    kind = draw(st.sampled_from(["warmup_cosine", "warmup_linear", "polynomial", "exponential",
                                 "cosine_restarts", "cyclic", "one_cycle", "wsd", "noam",
                                 "warmup_inverse", "piecewise_constant", "piecewise_linear"]))
    if kind in ("warmup_cosine", "warmup_linear"):
        total = draw(length)
        return getattr(fastlr, kind)(draw(lr), draw(st.integers(0, total)), total,
                                     start=draw(lr), end=draw(lr))
    if kind == "polynomial":
        return fastlr.polynomial(draw(lr), draw(length), end=draw(lr),
                                 power=draw(st.floats(0.1, 4.0)))
    if kind == "exponential":
        return fastlr.exponential(draw(lr), draw(st.floats(0.01, 1.0)), draw(positive),
                                  staircase=draw(st.booleans()), floor=draw(st.floats(0.0, 1e-6)))
    if kind == "cosine_restarts":
        return fastlr.cosine_restarts(draw(lr), draw(positive), end=draw(st.floats(0.0, 1e-8)),
                                      period_mult=draw(st.sampled_from([1.0, 1.5, 2.0, 3.0])),
                                      decay=draw(st.floats(0.1, 1.0)))
    if kind == "cyclic":
        low = draw(lr)
        return fastlr.cyclic(low, low + draw(lr), draw(positive), step_size_down=draw(positive),
                             mode=draw(st.sampled_from(["triangular", "triangular2", "exp_range"])),
                             gamma=draw(st.floats(0.9, 1.0)))
    if kind == "one_cycle":
        three = draw(st.booleans())
        return fastlr.one_cycle(draw(lr), draw(positive), pct_start=draw(st.floats(0.0, 0.5 if three else 1.0)),
                                anneal=draw(st.sampled_from(["cos", "linear"])), three_phase=three)
    if kind == "wsd":
        return fastlr.wsd(draw(lr), draw(length), draw(length), draw(length), start=draw(lr), end=draw(lr),
                          cooldown=draw(st.sampled_from(["linear", "cosine", "1-sqrt"])))
    if kind == "noam":
        return fastlr.noam(draw(st.integers(1, 4096)), warmup_steps=draw(positive), scale=draw(lr))
    if kind == "warmup_inverse":
        return fastlr.warmup_inverse(draw(lr), draw(positive), power=draw(st.floats(0.1, 2.0)))
    marks = sorted(draw(st.sets(st.integers(1, 10_000), min_size=1, max_size=6)))
    if kind == "piecewise_constant":
        return fastlr.piecewise_constant(marks, draw(st.lists(lr, min_size=len(marks) + 1, max_size=len(marks) + 1)))
    return fastlr.piecewise_linear(marks, draw(st.lists(lr, min_size=len(marks), max_size=len(marks))))


steps = st.one_of(st.integers(0, 20_000), st.integers(0, 2**63 - 1))
