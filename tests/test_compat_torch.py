"""fastlr.compat.torch against torch 2.13.0's golden values, a closed form from torch's docs, and torch itself."""

from __future__ import annotations

import inspect
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fastlr
from fastlr.compat import torch as T

from _compat import ids, schedule_cases
from _golden import exact_count, is_nonsense, mismatches

CASES = schedule_cases("torch")


def _recursive_call(case: dict) -> str:
    return case["call"][:-1] + ", recursive=True)"


RECURSIVE = [c for c in CASES if "raises" not in c and not is_nonsense(c)
             and "recursive" in inspect.signature(getattr(T, c["name"])).parameters]


@pytest.mark.parametrize("case", RECURSIVE, ids=ids(RECURSIVE))
def test_recursive_reproduces_torch_bit_for_bit(case, engine):
    s = engine.bind(eval(_recursive_call(case), {"fastlr": fastlr}))
    steps = np.array(case["steps"])
    got = s.at(steps)
    assert exact_count(case, got) == steps.size


# ------------------------------------------------------------- quirks and validation

def test_cosine_annealing_rises_past_t_max():
    s = T.CosineAnnealingLR(base_lr=1.0, T_max=10)
    assert s(10) == 0.0 and s(20) == pytest.approx(1.0) and s(15) == pytest.approx(0.5)


def test_one_cycle_holds_its_last_value_past_total_steps():
    s = T.OneCycleLR(base_lr=0.1, max_lr=0.1, total_steps=100)
    assert s(101) == s(100) == s(10**9)
    assert s(99) == pytest.approx(0.1 / 25 / 1e4)


@pytest.mark.parametrize("call", [
    "StepLR(base_lr=0.1, step_size=0)", "CosineAnnealingLR(base_lr=0.1, T_max=0)",
    "ConstantLR(base_lr=0.1, factor=0.0, total_iters=4)", "ConstantLR(base_lr=0.1, factor=1.5)",
    "LinearLR(base_lr=0.1, start_factor=0.0)", "CyclicLR(base_lr=0.1, max_lr=1.0, mode='bogus')",
    "CyclicLR(base_lr=0.1, max_lr=1.0, step_size_up=0)", "OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=10, pct_start=1)",
    "OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=10, pct_start=0.1)", "OneCycleLR(base_lr=0.1, max_lr=1.0)",
    "CosineAnnealingWarmRestarts(base_lr=0.1, T_0=10, T_mult=1.5)", "StepLR(base_lr=0.1, step_size=3, last_epoch=4)",
    "PolynomialLR(base_lr=0.1, power=-1.0)", "ChainedScheduler(base_lr=0.1, schedulers=[])",
    "SequentialLR(base_lr=0.1, schedulers=[fastlr.constant(0.1)], milestones=[])",
    "SequentialLR(base_lr=0.1, schedulers=[StepLR(base_lr=0.2, step_size=3)], milestones=[])",
])
def test_rejected_constructors(call):
    with pytest.raises((ValueError, TypeError)):
        eval("T." + call, {"T": T, "fastlr": fastlr, **{n: getattr(T, n) for n in T.__all__}})


def test_sequential_with_milestone_zero_never_uses_the_first_scheduler():
    first = T.ConstantLR(base_lr=0.1, factor=0.5, total_iters=3)
    second = T.ExponentialLR(base_lr=0.1, gamma=0.8)
    s = T.SequentialLR(base_lr=0.1, schedulers=[first, second], milestones=[0])
    np.testing.assert_array_equal(s.table(20), second.table(20))


# ------------------------------------------------------------- closed forms from torch's docs

bases = st.floats(1e-6, 10.0)


@settings(max_examples=40, deadline=None)
@given(bases, st.integers(1, 50), st.floats(0.1, 1.0), st.lists(st.integers(0, 300), min_size=1, max_size=20))
def test_step_lr_is_the_documented_staircase(base, step_size, gamma, steps):
    s = T.StepLR(base_lr=base, step_size=step_size, gamma=gamma)
    for k in steps:
        assert s(k) == pytest.approx(base * gamma ** (k // step_size), rel=1e-12, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(bases, st.integers(1, 200), st.floats(0.0, 1e-3), st.lists(st.integers(0, 2000), min_size=1, max_size=20))
def test_cosine_annealing_is_the_documented_cosine(base, t_max, eta_min, steps):
    s = T.CosineAnnealingLR(base_lr=base, T_max=t_max, eta_min=eta_min)
    for k in steps:
        want = eta_min + (base - eta_min) * (1 + math.cos(math.pi * k / t_max)) / 2
        assert s(k) == pytest.approx(want, rel=1e-12, abs=1e-12 * base)


@settings(max_examples=40, deadline=None)
@given(st.floats(1e-4, 1.0), st.floats(1.5, 10.0), st.integers(1, 30), st.integers(1, 30),
       st.lists(st.integers(0, 500), min_size=1, max_size=20))
def test_cyclic_triangular_is_the_documented_triangle(low, ratio, up, down, steps):
    high = low * ratio
    s = T.CyclicLR(base_lr=low, max_lr=high, step_size_up=up, step_size_down=down)
    for k in steps:
        position = k % (up + down)
        frac = position / up if position <= up else 1 - (position - up) / down
        assert s(k) == pytest.approx(low + (high - low) * frac, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(bases, st.floats(0.05, 1.0), st.integers(0, 40), st.lists(st.integers(0, 100), min_size=1, max_size=20))
def test_linear_lr_is_the_documented_ramp(base, start, total, steps):
    s = T.LinearLR(base_lr=base, start_factor=start, end_factor=1.0, total_iters=total)
    for k in steps:
        factor = start if total == 0 else start + (1.0 - start) * min(k, total) / total
        assert s(k) == pytest.approx(base * factor, rel=1e-12)


# ------------------------------------------------------------- against torch itself (guards hidden cases)

def _torch_values(make, n: int) -> list[float]:
    torch = pytest.importorskip("torch", reason="compares with the real torch schedulers")
    param = torch.nn.Parameter(torch.zeros(1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = torch.optim.SGD([param], lr=make.base, momentum=0.9)
        sched = make(torch.optim.lr_scheduler, opt)
        out = [opt.param_groups[0]["lr"]]
        for _ in range(n):
            sched.step()
            out.append(opt.param_groups[0]["lr"])
    return out


class _Make:
    def __init__(self, base, build):
        self.base, self._build = base, build

    def __call__(self, lrs, opt):
        return self._build(lrs, opt)


def _compare(ours: fastlr.Schedule, make: _Make, n: int, rel: float = 1e-12) -> None:
    want = np.array(_torch_values(make, n))
    case = {"dtype": "float64", "values": want.tolist()}
    got = ours.at(np.arange(n + 1))
    bad = mismatches(case, got)
    assert bad.size == 0, f"step {bad[0]}: got {got[bad[0]]!r}, torch {want[bad[0]]!r}"


@pytest.mark.parametrize("name, kwargs", [("ExponentialLR", dict(gamma=4.5)),
                                          ("StepLR", dict(step_size=3, gamma=60.0))])
def test_a_zero_lr_stays_zero_past_float64_overflow_like_torch(name, kwargs):
    """torch multiplies step by step, so a zero lr stays 0 where gamma ** k overflows (found by
    fuzzing: the closed form gave 0 * inf = NaN)."""
    n = 700  # 4.5**700 and 60**233 overflow float64
    _compare(getattr(T, name)(base_lr=0.0, **kwargs), _Make(0.0, lambda l, o: getattr(l, name)(o, **kwargs)), n)


# each strategy draws (fastlr schedule, torch constructor) with the same parameters, over the
# quirky ranges too: total_iters <= 0, negative/unsorted/repeated milestones, growth, eta_min above base
def _single(draw):
    base = draw(st.sampled_from([0.1, 0.05, 1.0, 3e-4]))
    which = draw(st.sampled_from(["step", "multistep", "constant", "linear", "exp", "poly", "cos", "sgdr",
                                  "cyclic", "onecycle"]))
    if which == "step":
        a = dict(step_size=draw(st.integers(1, 20)), gamma=draw(st.floats(0.1, 1.5)))
        return T.StepLR(base_lr=base, **a), _Make(base, lambda l, o: l.StepLR(o, **a))
    if which == "multistep":
        a = dict(milestones=draw(st.lists(st.integers(-5, 60), max_size=6)), gamma=draw(st.floats(0.1, 2.0)))
        return T.MultiStepLR(base_lr=base, **a), _Make(base, lambda l, o: l.MultiStepLR(o, **a))
    if which == "constant":
        a = dict(factor=draw(st.floats(0.01, 1.0)), total_iters=draw(st.integers(-3, 30)))
        return T.ConstantLR(base_lr=base, **a), _Make(base, lambda l, o: l.ConstantLR(o, **a))
    if which == "linear":
        a = dict(start_factor=draw(st.floats(0.01, 1.0)), end_factor=draw(st.floats(0.0, 1.0)),
                 total_iters=draw(st.integers(-3, 40)))
        return T.LinearLR(base_lr=base, **a), _Make(base, lambda l, o: l.LinearLR(o, **a))
    if which == "exp":
        a = dict(gamma=draw(st.floats(0.5, 1.2)))
        return T.ExponentialLR(base_lr=base, **a), _Make(base, lambda l, o: l.ExponentialLR(o, **a))
    if which == "poly":
        a = dict(total_iters=draw(st.integers(-3, 40)), power=draw(st.floats(0.0, 3.0)))
        return T.PolynomialLR(base_lr=base, **a), _Make(base, lambda l, o: l.PolynomialLR(o, **a))
    if which == "cos":
        a = dict(T_max=draw(st.integers(1, 30)), eta_min=draw(st.sampled_from([0.0, 1e-5, 0.01, 2.0])))
        return T.CosineAnnealingLR(base_lr=base, **a), _Make(base, lambda l, o: l.CosineAnnealingLR(o, **a))
    if which == "sgdr":
        a = dict(T_0=draw(st.integers(1, 15)), T_mult=draw(st.integers(1, 3)),
                 eta_min=draw(st.sampled_from([0.0, 1e-4, 2.0])))
        return (T.CosineAnnealingWarmRestarts(base_lr=base, **a),
                _Make(base, lambda l, o: l.CosineAnnealingWarmRestarts(o, **a)))
    if which == "cyclic":
        a = dict(max_lr=base * draw(st.floats(0.2, 10.0)),
                 step_size_up=draw(st.one_of(st.integers(1, 12), st.sampled_from([2.5, 0.5]))),
                 step_size_down=draw(st.one_of(st.none(), st.integers(0, 12), st.just(1.5))),
                 mode=draw(st.sampled_from(["triangular", "triangular2", "exp_range"])),
                 gamma=draw(st.floats(0.9, 1.0)))
        return T.CyclicLR(base_lr=base, **a), _Make(base, lambda l, o: l.CyclicLR(o, base_lr=base, **a))
    total = draw(st.integers(2, 80))
    a = dict(max_lr=draw(st.floats(0.01, 1.0)), total_steps=total,
             pct_start=draw(st.sampled_from([0.1, 0.25, 0.3, 0.4, 0.5, 0.9])),
             anneal_strategy=draw(st.sampled_from(["cos", "linear"])), three_phase=draw(st.booleans()),
             div_factor=draw(st.sampled_from([10.0, 25.0])), final_div_factor=draw(st.sampled_from([1e2, 1e4])))
    try:
        ours = T.OneCycleLR(base_lr=base, **a)
    except ValueError:
        return None
    return ours, _Make(base, lambda l, o: l.OneCycleLR(o, **a))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_single_schedulers_match_torch(data):
    drawn = _single(data.draw)
    if drawn is None:
        return
    ours, make = drawn
    n = ours.args.get("total_steps", 150) if ours.name.endswith("OneCycleLR") else 150
    _compare(ours, make, n)
    if "recursive" in ours.args:  # torch's own rounding, bit for bit (from a table shortened to 256 steps)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(T, "RECURSIVE_STEPS", 256)
            again = getattr(T, ours.name.rsplit(".", 1)[1])(**{**ours.args, "recursive": True})
        np.testing.assert_array_equal(again.at(np.arange(n + 1)), _torch_values(make, n))


_CHILDREN = st.sampled_from(["linear", "constant", "exp", "step", "cos", "cos_eta", "multistep", "poly"])


def _child(kind: str, base: float):
    table = {
        "linear": (T.LinearLR, dict(start_factor=0.1, total_iters=7)),
        "constant": (T.ConstantLR, dict(factor=0.5, total_iters=4)),
        "exp": (T.ExponentialLR, dict(gamma=0.93)),
        "step": (T.StepLR, dict(step_size=6, gamma=0.5)),
        "cos": (T.CosineAnnealingLR, dict(T_max=9)),
        "cos_eta": (T.CosineAnnealingLR, dict(T_max=12, eta_min=1e-3)),
        "multistep": (T.MultiStepLR, dict(milestones=[3, 11, 11], gamma=0.5)),
        "poly": (T.PolynomialLR, dict(total_iters=15, power=2.0)),
    }
    cls, kwargs = table[kind]
    return cls(base_lr=base, **kwargs), (cls.__name__, kwargs)


@settings(max_examples=60, deadline=None)
@given(st.lists(_CHILDREN, min_size=1, max_size=3), st.data())
def test_containers_match_torch(kinds, data):
    base = 0.1
    children = [_child(k, base) for k in kinds]
    chained = data.draw(st.booleans())

    def make(lrs, opt):
        subs = [getattr(lrs, name)(opt, **kwargs) for _, (name, kwargs) in children]
        if chained:
            return lrs.ChainedScheduler(subs)
        return lrs.SequentialLR(opt, subs, milestones=marks)

    if chained:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(T, "CHAIN_STEPS", 256)  # a chain that never settles: a shorter table, same 120 steps
            ours = T.ChainedScheduler(base_lr=base, schedulers=[c for c, _ in children])
    else:
        marks = sorted(data.draw(st.lists(st.integers(0, 40), min_size=len(children) - 1,
                                          max_size=len(children) - 1)))
        ours = T.SequentialLR(base_lr=base, schedulers=[c for c, _ in children], milestones=marks)
    _compare(ours, _Make(base, make), 120)


def test_cycle_momentum_needs_a_cycling_schedule():
    with pytest.raises(TypeError, match="must be a compat.torch.OneCycleLR or CyclicLR"):
        T.cycle_momentum(fastlr.cosine(1.0, 10))
    with pytest.raises(ValueError, match="cycle_momentum=False"):
        T.cycle_momentum(T.OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=10, cycle_momentum=False))
    m = T.cycle_momentum(T.OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=100, base_momentum=0.8))
    assert m(0) == 0.95 and m(29) == 0.8 and m(99) == 0.95  # down while the lr rises, then back
    assert fastlr.from_dict(m.to_dict()) == m
