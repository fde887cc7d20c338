"""fastlr.compat.timm against timm 1.0.31's golden values and timm itself; engine parity of the timm kinds."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastlr.compat import timm as M

from _compat import timm_scheduler_module as _timm_scheduler_module
from _compat import build, schedule_cases
from _golden import mismatches

CASES = schedule_cases("timm")


@pytest.mark.parametrize("case", [c for c in CASES if "initial_value" in c], ids=lambda c: c["id"])
def test_initial_value(case):
    assert M.initial_value(build(case)) == float(case["initial_value"])


def test_multistep_applies_a_milestone_one_step_early():
    s = M.MultiStepLRScheduler(base_lr=1.0, decay_t=[10], decay_rate=0.5)
    assert s(8) == 1.0 and s(9) == 0.5


def test_float_log_cycle_index_is_timm_s():
    # with cycle_mul=2 timm's float log may misplace an exact restart: fastlr must agree with the formula
    import math
    s = M.CosineLRScheduler(base_lr=1.0, t_initial=10, cycle_mul=2.0, cycle_limit=10)
    for t in (10, 30, 70, 150, 310):
        i = math.floor(math.log(1 - t / 10 * (1 - 2.0), 2.0))
        top = 1.0 if i < 10 else None
        t_i = 2.0 ** i * 10
        t_cur = t - (1 - 2.0 ** i) / (1 - 2.0) * 10
        assert s(t) == pytest.approx(0.5 * top * (1 + math.cos(math.pi * t_cur / t_i)), rel=1e-15)


# ------------------------------------------------------------- engine parity of the timm kinds

PARITY = [
    M.CosineLRScheduler(base_lr=0.1, t_initial=37, cycle_mul=1.7, cycle_decay=0.6, cycle_limit=6, k_decay=1.3,
                        lr_min=1e-4, warmup_t=4, warmup_lr_init=1e-3),
    M.PolyLRScheduler(base_lr=0.1, t_initial=23, power=0.8, cycle_mul=1.3, cycle_limit=5, k_decay=0.7),
    M.TanhLRScheduler(base_lr=0.1, t_initial=41, cycle_mul=1.2, cycle_limit=4, warmup_t=3),
    M.WSDLRScheduler(base_lr=0.1, t_initial=200, decay_t=80, stable_fn="rsqrt", stable_timescale=7.0,
                     decay_fn="exp", lr_min=1e-5),
    M.WSDLRScheduler(base_lr=0.1, t_initial=200, decay_t=80, decay_fn="power", decay_power=1.7),
]


@pytest.mark.parametrize("schedule", PARITY, ids=lambda s: s.name)
def test_engines_agree(schedule, engines):
    """Within 4 ulp of the schedule's peak: NumPy's power and tanh are not libm's.

    (measured: <= 2 ulp of the peak for TanhLRScheduler, whose ``1 - tanh`` cancels;
    the cosine, poly and WSD kinds differ only where np.power does.)
    """
    if len(engines) < 2:
        pytest.skip("only the NumPy engine is under test")
    a = engines[0].bind(schedule).table(2000, exact=True)
    b = engines[1].bind(schedule).table(2000, exact=True)
    assert np.max(np.abs(a - b)) <= 4 * np.spacing(np.max(np.abs(a)))


# ------------------------------------------------------------- against timm itself

def _reference(name, kwargs, steps):
    scheduler = _timm_scheduler_module()  # skips without torch/timm
    import torch
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=kwargs["base_lr"], momentum=0.9)
    args = {k: v for k, v in kwargs.items() if k != "base_lr"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = getattr(scheduler, name)(opt, **args)
        out = []
        for t in steps:
            sched.step(epoch=t)
            out.append(opt.param_groups[0]["lr"])
    return np.array(out)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["CosineLRScheduler", "TanhLRScheduler", "PolyLRScheduler", "StepLRScheduler",
                        "MultiStepLRScheduler", "WSDLRScheduler"]), st.data())
def test_matches_timm(name, data):
    d = data.draw
    kwargs = dict(base_lr=d(st.sampled_from([0.1, 1e-3])), warmup_t=d(st.integers(0, 8)),
                  warmup_lr_init=d(st.sampled_from([0.0, 1e-4])))
    if name in ("CosineLRScheduler", "TanhLRScheduler", "PolyLRScheduler"):
        kwargs.update(t_initial=d(st.integers(1, 40)), cycle_mul=d(st.sampled_from([1.0, 1.5, 2.0, 3.0])),
                      cycle_decay=d(st.sampled_from([1.0, 0.5])), cycle_limit=d(st.integers(1, 5)),
                      lr_min=d(st.sampled_from([0.0, 1e-5])), warmup_prefix=d(st.booleans()))
        if name != "TanhLRScheduler":
            kwargs["k_decay"] = d(st.sampled_from([1.0, 0.5, 2.0]))
        if name == "PolyLRScheduler":
            kwargs["power"] = d(st.sampled_from([0.5, 1.0, 2.0]))
    elif name == "StepLRScheduler":
        kwargs.update(decay_t=d(st.sampled_from([1, 3, 7, 2.5])), decay_rate=d(st.sampled_from([0.5, 0.9])),
                      warmup_prefix=d(st.booleans()))
        if not kwargs["warmup_prefix"] and kwargs["warmup_t"] and kwargs["decay_t"] != int(kwargs["decay_t"]):
            return
    elif name == "MultiStepLRScheduler":
        kwargs.update(decay_t=sorted(d(st.lists(st.integers(0, 60), max_size=4))),
                      decay_rate=d(st.sampled_from([0.5, 0.1])), warmup_prefix=d(st.booleans()))
    else:
        total = d(st.integers(1, 60))
        kwargs.update(t_initial=total, decay_t=d(st.integers(1, total)),
                      decay_fn=d(st.sampled_from(["linear", "1-sqrt", "cosine", "power", "exp"])),
                      stable_fn=d(st.sampled_from(["constant", "rsqrt", "power"])), lr_min=1e-5)
        if kwargs["stable_fn"] != "constant" and not kwargs["warmup_t"]:
            kwargs["stable_timescale"] = 10.0
    steps = list(range(0, 300))
    want = _reference(name, kwargs, steps)
    got = getattr(M, name)(**kwargs).at(np.array(steps))
    bad = mismatches({"dtype": "float64", "values": want.tolist()}, got)
    assert bad.size == 0, f"t={steps[bad[0]]}: got {got[bad[0]]!r}, timm {want[bad[0]]!r}"
