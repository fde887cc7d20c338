"""fastlr.compat.olmo against OLMo-core 3.0.0's golden values and OLMo-core itself; engine parity of its kinds."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fastlr
from fastlr.compat import olmo as M

from _compat_checks import check_engines_agree
from _golden import mismatches
from _peers import peer

# ------------------------------------------------------------- quirks, from the formulas by hand

def test_inclusive_and_exclusive_warmups():
    inclusive = M.WSD(base_lr=1.0, max_steps=100, warmup=10, decay_fraction=0.5)
    exclusive = M.CosWithWarmup(base_lr=1.0, max_steps=110, warmup=10, alpha_f=0.0)
    assert inclusive(10) == 10 / 10 and inclusive(11) == 1.0
    assert exclusive(9) == 9 / 10 and exclusive(10) == 1.0
    assert exclusive(60) == 0.0 + 1.0 * (1 + math.cos(math.pi * 50 / 100)) / 2


def test_wsd_decay_goes_on_below_the_minimum_past_max_steps():
    s = M.WSD(base_lr=1.0, max_steps=100, warmup=0, decay_fraction=0.2, decay_min_lr=0.1)
    assert s(80) == 0.1 + 0.9 * 20 / 20 and s(100) == 0.1 + 0.9 * 0 / 20
    assert s(120) == 0.1 + 0.9 * -20 / 20 < 0


def test_decay_with_decay_fraction_is_never_both_and_decay_alone_works():
    with pytest.raises(ValueError, match="Never both"):
        M.WSD(base_lr=1.0, max_steps=100, warmup=10, decay=20, decay_fraction=0.1)
    alone = M.WSD(base_lr=1.0, max_steps=100, warmup=10, decay=20)  # OLMo-core: "Never both" (default 0.1)
    assert alone(90) == 0.5 and alone == M.WSD(base_lr=1.0, max_steps=100, warmup=10, decay=20, decay_fraction=None)
    assert eval(repr(alone), {"fastlr": fastlr}) == alone


def test_power_lr_phases():
    s = M.PowerLR(base_lr=0.02, max_steps=1000, b=-0.5, warmup=100, decay_fraction=0.1)
    assert s(400) == 0.02 * (400 / 100) ** -0.5
    top = 0.02 * (900 / 100) ** -0.5
    assert s(950) == 0.0 + (top - 0.0) * 50 / 100


def test_sequential_hands_over_the_last_value_and_restarts_at_count_one():
    s = M.SequentialScheduler(base_lr=1.0, max_steps=300, schedulers_max=[100], schedulers=[
        {"name": "LinearWithWarmup", "args": {"warmup": 0, "alpha_f": 0.5}},
        {"name": "CosWithWarmup", "args": {"warmup": 0, "alpha_f": 0.0}}])
    assert s(100) == 1.0 - (1.0 - 0.5) * (100 / 100) == 0.5  # first scheduler at its own max
    assert s(101) == 0.5 * (1 + math.cos(math.pi * 1 / 200)) / 2  # the second at count 1 of t_max 200
    assert s(300) == 0.0


def test_wsds_later_periods_start_at_count_one():
    s = M.WSDS(base_lr=1.0, max_steps=0, period_lengths=[10, 10], period_lr_multipliers=[1.0, 0.5],
               warmup=0, decay=2)
    assert [s(k) for k in (7, 8, 9, 10)] == [1.0, 1.0, 0.5, 0.0]  # decay over counts 8..10
    assert [s(k) for k in (11, 18, 19, 20, 21)] == [0.5, 0.5, 0.25, 0.0, 0.0]


def test_a_decay_only_past_max_steps_may_be_empty():
    # warmup >= max_steps: OLMo-core reaches the zero-length decay only past max_steps (and divides by 0)
    s = M.WSD(base_lr=1.0, max_steps=10, warmup=10, decay_fraction=0.0)
    assert s(10) == 1.0 and s(11) == s(10**9) == 1.0
    with pytest.raises(ValueError, match="decay must be longer than 0"):
        M.WSD(base_lr=1.0, max_steps=11, warmup=10, decay_fraction=0.0)


def test_warmup_zero_gives_the_post_warmup_value_at_zero():
    assert M.ConstantWithWarmup(base_lr=0.3, max_steps=10, warmup=0)(0) == 0.3
    assert M.InvSqrtWithWarmup(base_lr=1.0, max_steps=10, warmup=0, alpha_f=0.1)(0) == 0.1


def test_deprecated_aliases_warn_and_work():
    with pytest.warns(DeprecationWarning, match="warmup_steps"):
        s = M.ConstantWithWarmup(base_lr=1.0, max_steps=10, warmup_steps=4)
    assert s(2) == 0.5


@pytest.mark.parametrize("call, words", [
    (lambda: M.ConstantWithWarmup(base_lr=1.0, max_steps=10), "Either 'warmup_fraction' or 'warmup'"),
    (lambda: M.CosWithWarmup(base_lr=1.0, max_steps=10, warmup=1, warmup_fraction=0.1), "Either"),
    (lambda: M.WSD(base_lr=1.0, max_steps=10, warmup_fraction=1.5), "warmup_fraction"),
    (lambda: M.WSD(base_lr=1.0, max_steps=10, warmup=1, decay_fraction=0.0), "decay must be longer than 0"),
    (lambda: M.WSD(base_lr=1.0, max_steps=10, warmup=1, decay_min_lr=1.0), "decay_min_lr"),
    (lambda: M.WSD(base_lr=1.0, max_steps=10, warmup=-1), "warmup"),
    (lambda: M.ConstantWithWarmup(base_lr=1.0, max_steps=10, warmup=5, warmup_min_lr=2.0), "warmup_min_lr"),
    (lambda: M.PowerLR(base_lr=1.0, max_steps=10, warmup=2, b=0.0), "'b' must be negative"),
    (lambda: M.PowerLR(base_lr=1.0, max_steps=10, warmup=0), "warmup must be longer than 0"),
    (lambda: M.PowerLR(base_lr=1.0, max_steps=10, warmup=2, decay=10, decay_fraction=None), "shorter than max_steps"),
    (lambda: M.CosWithWarmupAndLinearDecay(base_lr=1.0, max_steps=10, warmup=1, decay=20, decay_fraction=None),
     "decay must be <= max_steps"),
    (lambda: M.WSDS(base_lr=1.0, max_steps=0, period_lengths=[], warmup=1, decay=1), "non-empty"),
    (lambda: M.WSDS(base_lr=1.0, max_steps=0, period_lengths=[10, 0], warmup=1, decay=1), "> 0"),
    (lambda: M.WSDS(base_lr=1.0, max_steps=0, period_lengths=[10], warmup=1), "Exactly one of 'decay'"),
    (lambda: M.WSDS(base_lr=1.0, max_steps=0, period_lengths=[10, 5], warmup=1, decay=6), "Period 1"),
    (lambda: M.WSDS(base_lr=1.0, max_steps=0, period_lengths=[10], period_lr_multipliers=[1.0, 2.0], warmup=1,
                    decay=1), "length must match"),
    (lambda: M.ExponentialScheduler(base_lr=1.0, max_steps=10, lr_min=0.0), "'lr_min' must be positive"),
    (lambda: M.SequentialScheduler(base_lr=1.0, max_steps=10, schedulers=[{"name": "ConstantScheduler"}]),
     "'schedulers_max' must be specified"),
    (lambda: M.SequentialScheduler(base_lr=1.0, max_steps=10, schedulers_max=[1, 2, 3],
                                   schedulers=[{"name": "ConstantScheduler"}]), "Max steps must be set"),
    (lambda: M.SequentialScheduler(base_lr=1.0, max_steps=10, schedulers_max=[],
                                   schedulers=[{"name": "Nope"}]), "must be one of"),
    (lambda: M.SequentialScheduler(base_lr=1.0, max_steps=10, schedulers_max=[],
                                   schedulers=[{"name": "WSD", "args": {"warmup": 1, "dacay": 2}}]),
     "no field 'dacay'"),
    (lambda: M.ComposableScheduler(base_lr=1.0, max_steps=10, stages=[{"duration": 0, "end_lr": 0.0}]), "'duration'"),
    (lambda: M.ComposableScheduler(base_lr=1.0, max_steps=10, stages=[{"duration": 5}]), "exactly one of 'end_lr'"),
    (lambda: M.ComposableScheduler(base_lr=1.0, max_steps=10, stages=[{"duration": 5, "end_lr": 0.0}],
                                   override_decay={"start": 2, "duration": 0, "end_lr": 0.0}), "'duration'"),
    (lambda: M.CosWithWarmup(base_lr=1.0, max_steps=10, warmup=1, units="epochs"), "units"),
])
def test_bad_arguments_are_rejected(call, words):
    with pytest.raises(ValueError, match=words):
        call()


@pytest.mark.parametrize("call, words", [
    (lambda: M.CosWithWarmup(base_lr="1", max_steps=10, warmup=1), "base_lr"),
    (lambda: M.CosWithWarmup(base_lr=1.0, max_steps=10.0, warmup=1), "max_steps"),
    (lambda: M.SequentialScheduler(base_lr=1.0, max_steps=10, schedulers_max=[], schedulers=["WSD"]), "schedulers"),
    (lambda: M.CosWithWarmup(base_lr=1.0, max_steps=10, warmup=1, lr_field=3), "lr_field"),
    (lambda: M.SequentialScheduler(base_lr=1.0, max_steps=10, schedulers_max=[5], schedulers=[
        {"name": "WSD", "args": {"warmup": 1, "decay": 2, "decay_fraction": None}}, {"name": "ConstantScheduler"}]),
     "must not be None"),
])
def test_bad_types_are_rejected(call, words):
    with pytest.raises(TypeError, match=words):
        call()


# ------------------------------------------------------------- engine parity of the OLMO kind

PARITY = [
    M.PowerLR(base_lr=0.02, max_steps=3000, warmup=37, b=-0.37, decay_fraction=0.3, decay_min_lr=1e-4),
    M.ExponentialScheduler(base_lr=0.1, max_steps=2500, lr_min=1e-7),
    M.HalfCosWithWarmup(base_lr=1e-3, max_steps=2000, warmup=13, alpha_f=0.03),
    M.InvSqrtWithWarmup(base_lr=1e-3, max_steps=2000, warmup=7),
    M.ComposableScheduler(base_lr=1e-3, max_steps=0, stages=[
        {"duration": 300, "shape": "cosine", "start_lr": 0.0, "end_lr_fraction": 1.0},
        {"duration": 1500, "end_lr_fraction": 0.05}], override_decay={"start": 1000, "duration": 500,
                                                                      "shape": "cosine", "end_lr": 0.0}),
]


@pytest.mark.parametrize("schedule", PARITY, ids=lambda s: s.name)
def test_engines_agree(schedule, engines):
    check_engines_agree(schedule, engines)


# ------------------------------------------------------------- against OLMo-core itself

def _olmo_fields(fields):
    """OLMo-core needs decay_fraction=None next to decay (fastlr's default)."""
    return {**fields, "decay_fraction": None} if "decay" in fields and "decay_fraction" not in fields else fields


def _olmo(name, kwargs, steps):
    module = peer("olmo")
    fields = _olmo_fields({k: v for k, v in kwargs.items() if k not in ("base_lr", "max_steps")})
    if "schedulers" in fields:
        fields["schedulers"] = [getattr(module, s["name"])(**_olmo_fields(s["args"])) for s in fields["schedulers"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = getattr(module, name)(**fields)
        return np.array([sched.get_lr(kwargs["base_lr"], k, kwargs["max_steps"]) for k in steps])


def _warmup(d, total):
    if d(st.booleans()):
        return {"warmup": d(st.integers(1, total))}
    return {"warmup_fraction": d(st.sampled_from([0.01, 0.05, 0.1, 0.3]))}


def _decay(d, total):
    if d(st.booleans()):
        return {"decay": d(st.integers(1, total // 2))}
    return {"decay_fraction": d(st.sampled_from([0.05, 0.1, 0.5]))}


def _scheduler(d, name, total):
    if name in ("LinearWithWarmup", "CosWithWarmup", "HalfCosWithWarmup", "InvSqrtWithWarmup"):
        return {**_warmup(d, total // 2), "alpha_f": d(st.sampled_from([0.0, 0.1, 0.5]))}
    if name == "ConstantWithWarmup":
        return _warmup(d, total)
    if name == "WSD":
        return {**_warmup(d, total // 3), **_decay(d, total), "decay_min_lr": d(st.sampled_from([0.0, 1e-6]))}
    if name == "PowerLR":
        return {**_warmup(d, total // 3), **_decay(d, total), "b": d(st.sampled_from([-0.51, -0.2, -1.0]))}
    if name == "CosWithWarmupAndLinearDecay":
        return {**_warmup(d, total // 3), **_decay(d, total)}
    if name == "ExponentialScheduler":
        return {"lr_min": d(st.sampled_from([1e-9, 1e-5]))}
    return {}


NAMES = ["ConstantWithWarmup", "WSD", "PowerLR", "LinearWithWarmup", "InvSqrtWithWarmup", "CosWithWarmup",
         "HalfCosWithWarmup", "CosWithWarmupAndLinearDecay", "ExponentialScheduler", "ConstantScheduler"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES + ["SequentialScheduler", "WSDS"]), st.data())
def test_matches_olmo(name, data):
    d = data.draw
    total = d(st.integers(12, 400))
    kwargs = {"base_lr": d(st.sampled_from([1e-3, 0.02])), "max_steps": total}
    if name == "SequentialScheduler":
        subs = [d(st.sampled_from(NAMES)) for _ in range(d(st.integers(2, 3)))]
        marks = [d(st.integers(6, total)) for _ in subs[:-1]]
        kwargs.update(schedulers=[{"name": s, "args": _scheduler(d, s, max(marks + [total]))} for s in subs],
                      schedulers_max=marks)
    elif name == "WSDS":
        lengths = [d(st.integers(20, 200)) for _ in range(d(st.integers(1, 3)))]
        kwargs.update(period_lengths=lengths, warmup=d(st.integers(0, 10)),
                      decay=d(st.integers(1, 10)), decay_min_lr=d(st.sampled_from([0.0, 1e-6])),
                      period_lr_multipliers=[d(st.sampled_from([1.0, 0.5])) for _ in lengths])
    else:
        kwargs.update(_scheduler(d, name, total))
    try:
        got_schedule = getattr(M, name)(**kwargs)
    except ValueError:  # fastlr rejects what OLMo-core fails on later: it must fail within max_steps
        try:
            values = _olmo(name, kwargs, range(1, total + 1))
        except (ZeroDivisionError, AssertionError, TypeError):
            return
        assert np.iscomplexobj(values), "fastlr rejected parameters that OLMo-core runs with"
        return  # a negative number to a fractional power: OLMo-core's lr became complex
    steps = list(range(1, total + 1))
    want = _olmo(name, kwargs, steps)
    got = got_schedule.at(np.array(steps))
    bad = mismatches({"dtype": "float64", "values": want.tolist()}, got)
    assert bad.size == 0, f"k={steps[bad[0]]}: got {got[bad[0]]!r}, OLMo-core {want[bad[0]]!r}"
    assert fastlr.from_dict(got_schedule.to_dict()) == got_schedule
