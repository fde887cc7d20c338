"""s(t): the compiled engine's vectorcall entry reaches C with no Python frame, same behaviour."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import fastlr
from fastlr import _spec

S = fastlr.join([fastlr.warmup_cosine(1.0, 10, 100), fastlr.noam(64)], [100])


@pytest.mark.compiled
def test_schedule_type_takes_the_vectorcall_path(engines):
    from fastlr import _engine_c
    s = engines[0].bind(S)
    assert _engine_c.uses_vectorcall(type(s))
    assert type(s).__call__ is _engine_c.Engine.__call__  # no Python-level override in between


@pytest.mark.compiled
def test_calling_a_schedule_runs_no_python_frame(engines):
    s = engines[0].bind(S)
    events = []
    sys.setprofile(lambda frame, event, arg: events.append((event, frame.f_code.co_name)))
    try:
        s(50)
        s(5000)
    finally:
        sys.setprofile(None)
    assert [e for e in events if e[0] == "call"] == []


@pytest.mark.compiled
def test_a_python_override_of_call_is_respected(engines):
    base = _spec.schedule_type(engines[0].module.Engine)

    class Doubled(base):
        __slots__ = ()

        def __call__(self, step):
            return 2 * super().__call__(step)

    s = Doubled(S.program, S.spec)
    assert s(5) == 2 * engines[0].bind(S)(5)


def test_every_way_of_passing_a_step(engine):
    s = engine.bind(S)
    want = s(57)
    assert s(np.int64(57)) == s(np.uint16(57)) == s(step=57) == want
    assert s(*[57]) == s(**{"step": 57}) == want
    assert s(2**63 - 1) == s(np.int64(2**63 - 1))


@pytest.mark.parametrize("call, error", [
    (lambda s: s(), TypeError),
    (lambda s: s(1, 2), TypeError),
    (lambda s: s(1, step=2), TypeError),
    (lambda s: s(stp=2), TypeError),
    (lambda s: s(-1), ValueError),
    (lambda s: s(2**63), ValueError),
    (lambda s: s(-(2**70)), ValueError),
    (lambda s: s(1.0), TypeError),
    (lambda s: s(True), TypeError),
    (lambda s: s(None), TypeError),
    (lambda s: s("3"), TypeError),
])
def test_bad_calls_raise(engine, call, error):
    with pytest.raises(error):
        call(engine.bind(S))


def test_an_int_subclass_is_a_step(engine):
    class Step(int):
        pass
    assert engine.bind(S)(Step(57)) == engine.bind(S)(57)


@pytest.mark.parametrize("t", [0, 1, 2**15 - 1, 2**15, 2**30 - 1, 2**30, 2**30 + 1, 2**31, 2**60 + 5,
                               2**63 - 1])
def test_int_steps_on_both_sides_of_a_digit_agree_with_at(engine, t):
    s = engine.bind(S)
    assert s(t) == s.at([t])[0] == s(np.int64(t))
