"""Clocked schedules: first-class specs (repr, to_dict, pickle, SPEC text) that lower to ordinary ones."""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits, edge_steps
from fastlr._specparse import parse_spec

CLOCK = fastlr.Clock(batch_size=8, grad_accum=4, world_size=8, dataset_size=1_000_000, seq_len=2048,
                     total=fastlr.epochs(3))
# hand conversions (256 samples per step, 3,907 steps per epoch):
WARM = 3815  # 2e9 tokens = 976,562.5 -> 976,563 samples -> ceil(976,563 / 256) steps
TOTAL = 11_721  # 3 epochs of 3,907 steps


def token_schedule() -> fastlr.Schedule:
    return fastlr.clocked(CLOCK, fastlr.warmup_cosine, peak=3e-4, warmup_steps=fastlr.tokens(2e9),
                          total_steps=fastlr.fraction(1.0), end=3e-5)


def reference(t: int) -> float:
    """warmup_cosine's formula with the hand-converted boundaries."""
    if t < WARM:
        return 3e-4 * t / WARM
    if t < TOTAL:
        return 3e-5 + (3e-4 - 3e-5) * (1 + math.cos(math.pi * (t - WARM) / (TOTAL - WARM))) / 2
    return 3e-5


def test_clocked_lowers_to_the_converted_schedule(engine):
    s = engine.bind(token_schedule())
    plain = engine.bind(fastlr.warmup_cosine(3e-4, WARM, TOTAL, end=3e-5))
    assert s.boundaries == (WARM, TOTAL)
    steps = edge_steps(s, TOTAL)
    assert [s(t) for t in steps] == [plain(t) for t in steps]
    for t in steps:
        assert s(t) == pytest.approx(reference(t), rel=1e-12, abs=1e-18), t
    assert_same_bits(s.table(TOTAL + 5, exact=True), plain.table(TOTAL + 5, exact=True))
    assert_same_bits(s.at(np.array(steps)), np.array([plain(t) for t in steps]))


def test_clocked_spec_keeps_the_units():
    s = token_schedule()
    text = repr(s)
    assert text.startswith("fastlr.clocked(clock=fastlr.Clock(batch_size=8, ")
    assert "'warmup_steps': fastlr.tokens(2000000000.0)" in text and "fastlr.fraction(1.0)" in text
    assert str(WARM) not in text
    assert eval(text, {"fastlr": fastlr}) == s
    d = s.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["args"]["schedule"] == "warmup_cosine"
    assert ["warmup_steps", {"type": "tokens", "args": {"amount": 2e9}}] in d["args"]["args"]["items"]
    assert fastlr.from_dict(json.loads(json.dumps(d))) == s
    assert pickle.loads(pickle.dumps(s)) == s
    assert parse_spec(text) == s and parse_spec(text.removeprefix("fastlr.")) == s
    assert s.args["clock"] == CLOCK and s.name == "clocked"
    assert s != fastlr.warmup_cosine(3e-4, WARM, TOTAL, end=3e-5)  # same values, another spec


def test_clocked_call_forms_agree():
    by_keywords = token_schedule()
    by_mapping = fastlr.clocked(CLOCK, "warmup_cosine", {"peak": 3e-4, "warmup_steps": fastlr.tokens(2e9),
                                                         "total_steps": fastlr.fraction(1.0), "end": 3e-5})
    again = fastlr.clocked(**by_keywords.args)
    assert by_keywords == by_mapping == again
    assert hash(by_keywords) == hash(by_mapping)


def test_clocked_composes_with_combinators_and_compat(engine):
    clock = fastlr.Clock(steps_per_epoch=100)
    joined = fastlr.clocked(clock, fastlr.join, schedules=[fastlr.constant(1.0), fastlr.cosine(1.0, 200)],
                            boundaries=[fastlr.epochs(1.5)])
    assert joined.boundaries[0] == 150
    warmed = fastlr.clocked(clock, "warmup", {"schedule": fastlr.cosine(1.0, 100), "steps": fastlr.epochs(0.5)})
    assert engine.bind(warmed)(49) == pytest.approx(49 / 50) and engine.bind(warmed)(50) == 1.0
    torch_like = fastlr.clocked(clock, "compat.torch.StepLR", base_lr=0.1, step_size=fastlr.epochs(1))
    same = fastlr.compat.torch.StepLR(base_lr=0.1, step_size=100)
    assert [engine.bind(torch_like)(t) for t in (0, 99, 100, 250)] == [engine.bind(same)(t) for t in (0, 99, 100, 250)]
    outer = fastlr.warmup(joined, 10)
    assert outer(10) == joined(0) and eval(repr(outer), {"fastlr": fastlr}) == outer


@pytest.mark.parametrize("call, error, words", [
    (lambda: fastlr.clocked("clock", fastlr.constant, value=1.0), TypeError, "clock must be a fastlr.Clock"),
    (lambda: fastlr.clocked(CLOCK, "nope", value=1.0), ValueError, "schedule names no fastlr schedule"),
    (lambda: fastlr.clocked(CLOCK, print, value=1.0), TypeError, "schedule must be a fastlr factory"),
    (lambda: fastlr.clocked(CLOCK, "constant", {"value": 1.0}, value=2.0), TypeError, "not both"),
    (lambda: fastlr.clocked(CLOCK, "constant", [1.0]), TypeError, "args must be a dict"),
    (lambda: fastlr.clocked(fastlr.Clock(batch_size=2), "linear", start=1.0, steps=fastlr.tokens(5)),
     ValueError, r"args\['steps'\]: tokens need seq_len"),
    (lambda: fastlr.clocked(CLOCK, "warmup_cosine", peak=1.0, warmup_steps=fastlr.epochs(2),
                            total_steps=fastlr.epochs(1)), ValueError, "warmup_steps must be <= total_steps"),
])
def test_clocked_rejects_bad_calls(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_clocked_spec_errors_name_the_key():
    d = token_schedule().to_dict()
    d["args"]["clock"]["args"]["seq_len"] = -1
    with pytest.raises(ValueError, match="seq_len must be a positive integer"):
        fastlr.from_dict(d)
    d = token_schedule().to_dict()
    d["args"]["clock"]["type"] = 3
    with pytest.raises(TypeError, match=r"spec\['args'\]\['clock'\]\['type'\] must be a string"):
        fastlr.from_dict(d)
