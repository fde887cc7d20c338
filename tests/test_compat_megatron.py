"""fastlr.compat.megatron against megatron-core 0.16.1's golden values and Megatron itself."""

from __future__ import annotations

import math
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fastlr
from fastlr.compat import megatron as M

from _compat import ids, schedule_cases
from _compat_checks import check_engines_agree
from _golden import mismatches
from _peers import peer

CASES = schedule_cases("megatron")
WD_CASES = [c for c in CASES if "weight_decay" in c]

@pytest.mark.parametrize("case", WD_CASES, ids=ids(WD_CASES))
def test_weight_decay_matches_golden(case, engine):
    args = {k: case["args"].get(k, d) for k, d in
            (("start_wd", 0.0), ("end_wd", 0.0), ("wd_incr_steps", 0), ("wd_incr_style", "constant"))}
    s = engine.bind(M.weight_decay(**args))
    steps = np.array(case["steps"], dtype=np.int64)
    want = {"dtype": "float64", "values": case["weight_decay"]}
    for got in (s.at(steps), s.table(int(steps.max()) + 1)[steps]):
        assert mismatches(want, got).size == 0


# ------------------------------------------------------------- quirks, from the formulas by hand

def test_warmup_is_inclusive_and_decay_starts_one_later():
    s = M.OptimizerParamScheduler(init_lr=1e-5, max_lr=1e-3, min_lr=1e-4, lr_warmup_steps=10,
                                  lr_decay_steps=110, lr_decay_style="linear")
    assert s(10) == 1e-5 + (1e-3 - 1e-5) * 10 / 10
    assert s(11) == 1e-4 + (1.0 - 1 / 100) * (1e-3 - 1e-4)
    assert s(110) == 1e-4 + 0.0 and s(111) == s(10**12) == 1e-4


def test_fractional_warmup_counts_to_its_floor():
    s = M.OptimizerParamScheduler(init_lr=0.0, max_lr=1.0, min_lr=0.0, lr_warmup_steps=2.5,
                                  lr_decay_steps=10, lr_decay_style="cosine")
    assert s(2) == 2 / 2.5
    assert s(3) == 0.5 * (math.cos(math.pi * (3 - 2.5) / 7.5) + 1.0) * 1.0


def test_inverse_square_root_drops_to_min_lr_after_the_decay_steps():
    s = M.OptimizerParamScheduler(init_lr=0.0, max_lr=1.0, min_lr=0.01, lr_warmup_steps=4,
                                  lr_decay_steps=100, lr_decay_style="inverse-square-root")
    assert s(100) == 1.0 * 4 ** 0.5 / 100 ** 0.5
    assert s(101) == 0.01


def test_no_warmup_inverse_square_root_uses_one_for_step_zero():
    s = M.OptimizerParamScheduler(init_lr=0.0, max_lr=0.5, min_lr=0.0, lr_warmup_steps=0,
                                  lr_decay_steps=100, lr_decay_style="inverse-square-root")
    assert s(0) == s(1) == 0.5 and s(4) == 0.25


def test_constant_holds_max_lr_past_the_decay_steps():
    s = M.OptimizerParamScheduler(init_lr=0.0, max_lr=0.3, min_lr=0.1, lr_warmup_steps=0,
                                  lr_decay_steps=5, lr_decay_style="constant")
    assert s(0) == s(5) == s(10**15) == 0.3


@pytest.mark.parametrize("style, coeff", [
    ("linear", lambda q: 1.0 - q), ("cosine", lambda q: 0.5 * (math.cos(math.pi * q) + 1.0)),
    ("exponential", lambda q: 2.0 * 0.5 ** q - 1.0), ("minus_sqrt", lambda q: 1.0 - math.sqrt(q))])
def test_wsd_anneal_shapes(style, coeff, engine):
    s = engine.bind(M.OptimizerParamScheduler(init_lr=0.0, max_lr=2e-3, min_lr=1e-5, lr_warmup_steps=5,
                                              lr_decay_steps=60, lr_decay_style="WSD", wsd_decay_steps=20,
                                              lr_wsd_decay_style=style))
    assert s(40) == 1e-5 + 1.0 * (2e-3 - 1e-5)  # stable up to lr_decay_steps - wsd_decay_steps, inclusive
    for k in (41, 50, 60):
        assert s(k) == pytest.approx(1e-5 + coeff((k - 40) / 20) * (2e-3 - 1e-5), rel=1e-15, abs=1e-18)
    assert s(61) == 1e-5


def test_weight_decay_increments():
    lin = M.weight_decay(start_wd=0.0, end_wd=0.1, wd_incr_steps=10, wd_incr_style="linear")
    cos = M.weight_decay(start_wd=0.0, end_wd=0.1, wd_incr_steps=10, wd_incr_style="cosine")
    assert lin(5) == 0.5 * 0.1 and lin(11) == lin(10**9) == 0.1
    assert cos(3) == 0.5 * (math.cos(math.pi * (1 - 0.3)) + 1.0) * 0.1
    assert M.weight_decay(start_wd=0.05, end_wd=0.05, wd_incr_steps=0, wd_incr_style="constant")(7) == 0.05


# ------------------------------------------------------------- engine parity of the kinds

PARITY = [
    *[M.OptimizerParamScheduler(init_lr=1e-6, max_lr=3e-4, min_lr=3e-5, lr_warmup_steps=37.5, lr_decay_steps=2900,
                                lr_decay_style="WSD", wsd_decay_steps=1700, lr_wsd_decay_style=style)
      for style in M.LR_WSD_DECAY_STYLES],
    M.OptimizerParamScheduler(init_lr=0.0, max_lr=3e-4, min_lr=1e-6, lr_warmup_steps=13, lr_decay_steps=2900,
                              lr_decay_style="inverse-square-root"),
    M.weight_decay(start_wd=0.01, end_wd=0.1, wd_incr_steps=2500, wd_incr_style="cosine"),
]


@pytest.mark.parametrize("schedule", PARITY, ids=lambda s: repr(s)[:90])
def test_engines_agree(schedule, engines):
    check_engines_agree(schedule, engines)


# ------------------------------------------------------------- validation

GOOD = dict(init_lr=0.0, max_lr=1e-3, min_lr=1e-5, lr_warmup_steps=10, lr_decay_steps=100, lr_decay_style="cosine")


@pytest.mark.parametrize("change, words", [
    (dict(min_lr=-1e-6), "min_lr"), (dict(min_lr=2e-3), "max_lr must be >= min_lr"),
    (dict(init_lr=2e-3), "init_lr must be <= max_lr"), (dict(lr_decay_steps=0), "lr_decay_steps"),
    (dict(lr_warmup_steps=100), "lr_warmup_steps must be < lr_decay_steps"),
    (dict(lr_warmup_steps=-1), "lr_warmup_steps"), (dict(lr_decay_style="poly"), "lr_decay_style"),
    (dict(lr_decay_style="WSD"), "wsd_decay_steps"),
    (dict(lr_decay_style="WSD", wsd_decay_steps=10), "lr_wsd_decay_style"),
    (dict(lr_decay_style="WSD", wsd_decay_steps=10, lr_wsd_decay_style="sqrt"), "lr_wsd_decay_style"),
    (dict(lr_decay_style="WSD", wsd_decay_steps=-1, lr_wsd_decay_style="linear"), "wsd_decay_steps"),
    (dict(start_wd=-0.1), "start_wd"), (dict(start_wd=0.2, end_wd=0.1), "end_wd"),
    (dict(end_wd=0.1), "start_wd == end_wd"),
    (dict(end_wd=0.1, wd_incr_style="linear"), "wd_incr_steps"),
    (dict(wd_incr_style="exp"), "wd_incr_style"),
    (dict(override_opt_param_scheduler=True), "cannot both be set"),
    (dict(max_lr=math.inf), "max_lr"),
])
def test_bad_arguments_are_rejected(change, words):
    with pytest.raises(ValueError, match=words):
        M.OptimizerParamScheduler(**{**GOOD, **change})


@pytest.mark.parametrize("change, name", [
    (dict(max_lr="1e-3"), "max_lr"), (dict(lr_decay_steps=None), "lr_decay_steps"),
    (dict(use_checkpoint_opt_param_scheduler=1), "use_checkpoint")])
def test_bad_types_are_rejected(change, name):
    with pytest.raises(TypeError, match=name):
        M.OptimizerParamScheduler(**{**GOOD, **change})


def test_override_without_checkpoint_is_accepted():
    s = M.OptimizerParamScheduler(**GOOD, override_opt_param_scheduler=True, use_checkpoint_opt_param_scheduler=False)
    assert s == fastlr.from_dict(s.to_dict())


# ------------------------------------------------------------- against Megatron itself

def _megatron(kwargs, steps):
    module = peer("megatron")
    group: dict = {}
    sched = module.OptimizerParamScheduler(types.SimpleNamespace(param_groups=[group]), **kwargs)
    lrs, wds = [], []
    for k in steps:
        sched.step(increment=k - sched.num_steps)
        lrs.append(group["lr"])
        wds.append(group["weight_decay"])
    return np.array(lrs), np.array(wds)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_matches_megatron(data):
    d = data.draw
    style = d(st.sampled_from(M.LR_DECAY_STYLES))
    decay = d(st.integers(1, 400))
    warm = d(st.one_of(st.integers(0, decay - 1), st.floats(0.0, decay - 0.01, allow_nan=False)))
    peak = d(st.sampled_from([1e-3, 0.1, 3e-4]))
    kwargs = dict(init_lr=d(st.sampled_from([0.0, 1e-6, peak])), max_lr=peak,
                  min_lr=d(st.sampled_from([0.0, 1e-5, peak])), lr_warmup_steps=warm, lr_decay_steps=decay,
                  lr_decay_style=style, start_wd=0.0, end_wd=d(st.sampled_from([0.0, 0.1])),
                  wd_incr_steps=d(st.integers(1, 500)))
    kwargs["wd_incr_style"] = d(st.sampled_from(["linear", "cosine"] + (["constant"] if not kwargs["end_wd"] else [])))
    if style == "WSD":
        kwargs.update(wsd_decay_steps=d(st.integers(0, decay + 5)),
                      lr_wsd_decay_style=d(st.sampled_from(M.LR_WSD_DECAY_STYLES)))
    steps = sorted(set(range(0, decay + 20)) | {d(st.integers(0, 10**9))})
    lr, wd = _megatron(kwargs, steps)
    wd_args = {k: kwargs[k] for k in ("start_wd", "end_wd", "wd_incr_steps", "wd_incr_style")}
    for got, want in ((M.OptimizerParamScheduler(**kwargs).at(np.array(steps)), lr),
                      (M.weight_decay(**wd_args).at(np.array(steps)), wd)):
        bad = mismatches({"dtype": "float64", "values": want.tolist()}, got)
        assert bad.size == 0, f"k={steps[bad[0]]}: got {got[bad[0]]!r}, Megatron {want[bad[0]]!r}"
