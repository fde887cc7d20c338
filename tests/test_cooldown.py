"""Cooldowns branched from any step: fastlr.cooldown / Schedule.cooldown."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits

WSD_STABLE = fastlr.wsd(3e-4, 200, 10**12, 0)  # a WSD run still in its stable phase


@pytest.mark.parametrize("at", [0, 1, 150, 199, 200, 201, 5_000, 2**40])
@pytest.mark.parametrize("shape", ["1-sqrt", "linear", "cosine"])
def test_equals_the_parent_before_the_branch_and_decays_after(engine, at, shape):
    parent = engine.bind(fastlr.warmup_cosine(1e-3, 100, 10_000, end=1e-5))
    s = engine.bind(parent.cooldown(at, 400, shape, end=2e-6))
    before = np.arange(max(0, at - 50), at, dtype=np.int64)
    assert_same_bits(s.at(before), parent.at(before))
    v = parent(at)
    assert abs(s(at) - v) <= np.spacing(v)  # continuous at the branch
    for k in (0, 1, 7, 100, 399):
        p = k / 400
        c = {"1-sqrt": 1 - math.sqrt(p), "linear": 1 - p, "cosine": (1 + math.cos(math.pi * p)) / 2}[shape]
        assert abs(s(at + k) - (2e-6 + (v - 2e-6) * c)) <= 1e-14 * max(v, 2e-6)
    assert s(at + 400) == s(at + 401) == s(2**62) == 2e-6


def test_a_wsd_checkpoint_cooled_down_equals_the_wsd_run_with_that_decay(engine):
    for at, decay in [(200, 1000), (4321, 777), (10**9, 5)]:
        branched = engine.bind(WSD_STABLE.cooldown(at, decay, "1-sqrt", end=3e-6))
        planned = engine.bind(fastlr.wsd(3e-4, 200, at - 200, decay, end=3e-6, cooldown="1-sqrt"))
        steps = np.array([0, 1, 199, 200, at - 1, at, at + 1, at + decay // 2, at + decay - 1,
                          at + decay, at + decay + 10], dtype=np.int64)
        assert_same_bits(branched.at(steps), planned.at(steps))
        assert_same_bits(branched.table(3000, exact=True), planned.table(3000, exact=True))


def test_zero_steps_drops_to_end_at_the_branch(engine):
    s = engine.bind(fastlr.constant(0.5).cooldown(10, 0, end=0.1))
    assert [s(t) for t in (9, 10, 11)] == [0.5, 0.1, 0.1]


def test_records_its_parent_and_round_trips():
    parent = fastlr.cosine_restarts(1.0, 40)
    s = parent.cooldown(55, 17, "cosine", end=0.1)
    assert s == fastlr.cooldown(parent, 55, 17, shape="cosine", end=0.1)
    assert s.args["schedule"] == parent and s.name == "cooldown"
    assert repr(s) == ("fastlr.cooldown(schedule=fastlr.cosine_restarts(peak=1.0, period=40, end=0.0, "
                       "period_mult=1.0, decay=1.0), at=55, steps=17, shape='cosine', end=0.1)")
    assert eval(repr(s), {"fastlr": fastlr}) == s
    assert fastlr.from_dict(s.to_dict()) == s
    assert pickle.loads(pickle.dumps(s)) == s
    twice = s.cooldown(60, 3)
    assert twice.args["schedule"] is s and fastlr.from_dict(twice.to_dict()) == twice


@pytest.mark.parametrize("kwargs, error, message", [
    ({"at": -1, "steps": 5}, ValueError, "at must be a non-negative integer, got -1"),
    ({"at": 1.5, "steps": 5}, TypeError, "at must be an integer"),
    ({"at": 3, "steps": -2}, ValueError, "steps must be a non-negative integer, got -2"),
    ({"at": 3, "steps": 5, "shape": "exp"}, ValueError, "shape must be one of"),
    ({"at": 3, "steps": 5, "end": math.nan}, ValueError, "end must be finite"),
])
def test_bad_arguments_name_the_parameter(kwargs, error, message):
    with pytest.raises(error, match=message):
        fastlr.constant(1.0).cooldown(**kwargs)


def test_the_parent_must_be_a_schedule():
    with pytest.raises(TypeError, match="schedule must be a fastlr schedule"):
        fastlr.cooldown(0.1, 10, 10)
