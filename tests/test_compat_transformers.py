"""fastlr.compat.transformers against transformers 5.24.0's golden values and transformers itself."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastlr.compat import transformers as H

from _compat import schedule_cases
from _golden import mismatches

CASES = schedule_cases("transformers")


def test_every_step_based_name_builds():
    for name in H.SCHEDULER_NAMES:
        kwargs = {"cosine_with_min_lr": {"min_lr_rate": 0.1}, "cosine_warmup_with_min_lr": {"min_lr_rate": 0.1},
                  "warmup_stable_decay": {"num_decay_steps": 5}}.get(name, {})
        made = H.get_scheduler(name, base_lr=0.1, num_warmup_steps=3, num_training_steps=20,
                               scheduler_specific_kwargs=kwargs)
        assert made is not None


@pytest.mark.parametrize("name", ["linear", "cosine", "polynomial"])
def test_missing_step_counts_are_rejected(name):
    with pytest.raises(ValueError, match="num_warmup_steps"):
        H.get_scheduler(name, base_lr=0.1, num_training_steps=10)
    with pytest.raises(ValueError, match="num_training_steps"):
        H.get_scheduler(name, base_lr=0.1, num_warmup_steps=1)


def test_unknown_name_is_rejected():
    with pytest.raises(ValueError, match="SchedulerType"):
        H.get_scheduler("bogus", base_lr=0.1)


def test_cosine_rises_past_the_end_and_restarts_hold_zero():
    cosine = H.get_scheduler("cosine", base_lr=1.0, num_warmup_steps=0, num_training_steps=100)
    assert cosine(100) == 0.0 and cosine(150) == pytest.approx(0.5)
    restarts = H.get_scheduler("cosine_with_restarts", base_lr=1.0, num_warmup_steps=0, num_training_steps=100)
    assert restarts(100) == restarts(10**6) == 0.0


def _hard_restarts(k: int, base: float, warm: int, total: int, cycles: float) -> float:
    """transformers' documented lambda for hard restarts, in math, times base_lr (as LambdaLR does)."""
    if k < warm:
        return base * (float(k) / float(max(1, warm)))
    progress = float(k - warm) / float(max(1, total - warm))
    if progress >= 1.0:
        return base * 0.0
    return base * max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((float(cycles) * progress) % 1.0))))


@pytest.mark.parametrize("warm, total, cycles", [(0, 10, 6), (0, 1000, 6), (3, 1003, 6), (7, 307, 12),
                                                 (100, 30100, 3), (0, 1000, 2.5), (5, 12, 1)])
def test_hard_restarts_wrap_exactly_where_transformers_does(engine, warm, total, cycles):
    """Restarts at steps where T/c is not a whole number (found by fuzzing: step 5 of T=10, c=6 gave
    the end of a cycle, 0, instead of the restart's base_lr)."""
    base = 0.4368060314196416
    s = engine.bind(H.get_cosine_with_hard_restarts_schedule_with_warmup(
        base_lr=base, num_warmup_steps=warm, num_training_steps=total, num_cycles=cycles))
    steps = np.arange(total + 3)
    want = np.array([_hard_restarts(int(k), base, warm, total, cycles) for k in steps])
    after = steps >= warm  # bit for bit; the warmup ramp rounds base * k / W in another order
    for got in (s.at(steps), s.fill(np.empty(len(steps)), exact=True)):
        assert np.array_equal(got[after], want[after])
        assert np.max(np.abs(got - want)) <= np.spacing(base)
    assert np.max(np.abs(s.fill(np.empty(len(steps))) - want)) <= 4 * np.spacing(base)


def _cosine_factor(k: int, warm: int, total: int, cycles: float, shift: int = 0) -> float:
    """transformers' cosine lambda after the warmup, in math (shift 1: the warmup_with_min_lr variant)."""
    progress = float(k - warm + shift) / float(max(1, total - warm))
    return 0.5 * (1.0 + math.cos(math.pi * float(cycles) * 2.0 * progress))


@pytest.mark.parametrize("cycles", [0.5, 7.696170561094504, 3])
def test_cosine_angles_stay_exact_far_past_the_end(engine, cycles):
    """The angle is transformers' (pi * c * 2) * progress, not pi * k / (T / 2c): the latter's rounding
    grows with the angle (found by fuzzing: 1.5e-13 off at step 799 of a 4-step schedule)."""
    base, warm, total, rate = 0.1, 2, 6, 0.1
    steps = np.arange(warm, 200 * total)
    plain = engine.bind(H.get_cosine_schedule_with_warmup(base_lr=base, num_warmup_steps=warm,
                                                          num_training_steps=total, num_cycles=cycles))
    assert np.array_equal(plain.at(steps), [base * max(0.0, _cosine_factor(k, warm, total, cycles)) for k in steps])
    for name, shift in (("get_cosine_with_min_lr_schedule_with_warmup", 0),
                        ("get_cosine_with_min_lr_schedule_with_warmup_lr_rate", 1)):
        floor = engine.bind(getattr(H, name)(base_lr=base, num_warmup_steps=warm, num_training_steps=total,
                                             num_cycles=cycles, min_lr_rate=rate))
        want = [base * max(0.0, _cosine_factor(k, warm, total, cycles, shift) * (1 - rate) + rate) for k in steps]
        assert np.max(np.abs(floor.at(steps) - want)) <= 4 * np.spacing(base), name


@pytest.mark.parametrize("name", ["get_cosine_schedule_with_warmup", "get_cosine_with_hard_restarts_schedule_with_warmup"])
def test_num_cycles_whose_double_overflows_is_rejected(name):
    with pytest.raises(ValueError, match=r"num_cycles must be >= 0.0 and <= 1e\+300, got 1e\+308"):
        getattr(H, name)(base_lr=0.1, num_warmup_steps=0, num_training_steps=10, num_cycles=1e308)


# ------------------------------------------------------------- against transformers itself

def _reference(name, base, warm, total, kwargs, n):
    pytest.importorskip("torch", reason="transformers schedules run on torch")
    transformers = pytest.importorskip("transformers", reason="compares with the real transformers schedules")
    import torch
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=base, momentum=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = transformers.get_scheduler(name, opt, num_warmup_steps=warm, num_training_steps=total,
                                           scheduler_specific_kwargs=kwargs)
        out = [opt.param_groups[0]["lr"]]
        for _ in range(n):
            sched.step()
            out.append(opt.param_groups[0]["lr"])
    return np.array(out)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["linear", "cosine", "cosine_with_restarts", "polynomial", "constant_with_warmup",
                        "inverse_sqrt", "cosine_with_min_lr", "cosine_warmup_with_min_lr", "warmup_stable_decay"]),
       st.sampled_from([0.1, 3e-4, 1.0]), st.integers(0, 30), st.integers(1, 120), st.data())
def test_matches_transformers(name, base, warm, total, data):
    kwargs = {}
    if name in ("cosine", "cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        kwargs["num_cycles"] = data.draw(st.sampled_from([0.5, 1.0, 1.5, 0.25]))
    if name == "cosine_with_restarts":
        kwargs["num_cycles"] = data.draw(st.one_of(st.integers(1, 12), st.sampled_from([2.5, 0.75])))
    if name == "polynomial":
        kwargs.update(lr_end=base * data.draw(st.sampled_from([0.0, 0.01, 0.5])),
                      power=data.draw(st.sampled_from([0.5, 1.0, 2.0])))
        if warm == total:
            return
    if name in ("cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        kwargs["min_lr_rate"] = data.draw(st.sampled_from([0.0, 0.05, 0.1]))
    if name == "cosine_warmup_with_min_lr" and data.draw(st.booleans()):
        kwargs["warmup_lr_rate"] = data.draw(st.sampled_from([0.0, 0.1]))
    if name == "inverse_sqrt" and data.draw(st.booleans()):
        kwargs["timescale"] = data.draw(st.integers(1, 50))
    if name == "warmup_stable_decay":
        decay = data.draw(st.integers(0, 30))
        if warm + decay > total:
            return
        kwargs.update(num_decay_steps=decay, warmup_type=data.draw(st.sampled_from(["linear", "cosine", "1-sqrt"])),
                      decay_type=data.draw(st.sampled_from(["linear", "cosine", "1-sqrt"])),
                      min_lr_ratio=data.draw(st.sampled_from([0.0, 0.1])))
    n = 2 * total + 20
    want = _reference(name, base, warm, total, kwargs, n)
    ours = H.get_scheduler(name, base_lr=base, num_warmup_steps=warm, num_training_steps=total,
                           scheduler_specific_kwargs=kwargs)
    got = ours.at(np.arange(n + 1))
    bad = mismatches({"dtype": "float64", "values": want.tolist()}, got)
    assert bad.size == 0, f"step {bad[0]}: got {got[bad[0]]!r}, transformers {want[bad[0]]!r}"


@pytest.mark.parametrize("name, extra", [("cosine_with_min_lr", {"min_lr": 1e-5}),
                                         ("cosine_warmup_with_min_lr", {"min_lr": 1e-5}),
                                         ("polynomial", {"lr_end": -1e-3})])
def test_zero_base_lr_is_rejected_where_transformers_divides_by_it(name, extra):
    with pytest.raises(ValueError, match="base_lr must be non-zero"):
        H.get_scheduler(name, base_lr=0.0, num_warmup_steps=2, num_training_steps=10,
                        scheduler_specific_kwargs=extra)
