"""Metric-driven controllers against the golden `metric` cases, their state, and the real peers."""

from __future__ import annotations

import json
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fastlr
from fastlr.compat import timm as M
from fastlr.compat import torch as T
from fastlr.compat import transformers as H

from _compat import REJECTED, ids, metric_cases, timm_scheduler_module

CASES = metric_cases("torch") + metric_cases("transformers")


def _run(controller, metrics) -> list[float]:
    return [controller.lr] + [controller.step(m) for m in metrics]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_golden_metric_case(case):
    if "raises" in case:
        with pytest.raises(REJECTED):
            eval(case["call"], {"fastlr": fastlr})
        return
    controller = eval(case["call"], {"fastlr": fastlr})
    got = _run(controller, case["args"]["metrics"])
    want = [float(v) for v in case["values"]]
    assert [got[k] for k in case["steps"]] == want  # bit for bit


@pytest.mark.parametrize("case", [c for c in CASES if "raises" not in c], ids=lambda c: c["id"])
def test_state_round_trip_mid_run(case):
    metrics = case["args"]["metrics"]
    half = len(metrics) // 2
    first = eval(case["call"], {"fastlr": fastlr})
    _run(first, metrics[:half])
    state = json.loads(json.dumps(first.state_dict()))
    second = eval(case["call"], {"fastlr": fastlr})
    second.load_state_dict(state)
    assert _run(second, metrics[half:])[1:] == _run(first, metrics[half:])[1:]


def test_unknown_state_key_is_rejected():
    with pytest.raises(ValueError, match="unknown key"):
        T.ReduceLROnPlateau(base_lr=0.1).load_state_dict({"nope": 1})


@pytest.mark.parametrize("make", [
    lambda: T.ReduceLROnPlateau(base_lr=0.1, factor=1.0), lambda: T.ReduceLROnPlateau(base_lr=0.1, mode="up"),
    lambda: T.ReduceLROnPlateau(base_lr=0.1, threshold_mode="x"), lambda: H.GreedyLR(base_lr=0.1, factor=2.0),
    lambda: M.PlateauLRScheduler(base_lr=0.1, noise_range_t=5),
])
def test_rejected_controllers(make):
    with pytest.raises(REJECTED):
        make()


def test_timm_plateau_warmup_then_reduce():
    s = M.PlateauLRScheduler(base_lr=1.0, decay_rate=0.5, patience_t=1, warmup_t=2, warmup_lr_init=0.5,
                             mode="min")
    assert s.lr == 0.5
    assert s.step(1) == 0.75 and s.step(2) == 1.0
    assert [s.step(3, m) for m in (1.0, 1.0, 1.0)] == [1.0, 1.0, 0.5]


# ------------------------------------------------------------- against the real peers

metric_lists = st.lists(st.sampled_from([1.0, 0.9, 0.95, 1.1, 0.5, 0.49, 2.0]), min_size=1, max_size=60)


def _torch():
    return pytest.importorskip("torch", reason="compares with the real schedulers")


def _optimizer(torch, lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, momentum=0.9)


@settings(max_examples=60, deadline=None)
@given(metric_lists, st.sampled_from(["min", "max"]), st.sampled_from(["rel", "abs"]), st.integers(0, 3),
       st.integers(0, 2), st.sampled_from([0.0, 0.01]), st.sampled_from([1e-8, 1e-3]))
def test_reduce_lr_on_plateau_matches_torch(metrics, mode, tmode, patience, cooldown, min_lr, eps):
    torch = _torch()
    kwargs = dict(mode=mode, factor=0.5, patience=patience, threshold=0.01, threshold_mode=tmode,
                  cooldown=cooldown, min_lr=min_lr, eps=eps)
    opt = _optimizer(torch, 0.1)
    ref = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    ours = T.ReduceLROnPlateau(base_lr=0.1, **kwargs)
    for m in metrics:
        ref.step(m)
        assert ours.step(m) == opt.param_groups[0]["lr"]


@settings(max_examples=60, deadline=None)
@given(metric_lists, st.sampled_from(["min", "max"]), st.integers(0, 3), st.integers(0, 2), st.integers(0, 2),
       st.booleans(), st.integers(1, 4))
def test_greedy_matches_transformers(metrics, mode, patience, cooldown, warmup, smooth, reset_start):
    torch = _torch()
    transformers = pytest.importorskip("transformers", reason="compares with the real GreedyLR")
    kwargs = dict(mode=mode, factor=0.5, patience=patience, cooldown=cooldown, warmup=warmup, min_lr=0.02,
                  max_lr=0.4, smooth=smooth, window_size=3, reset_start=reset_start)
    opt = _optimizer(torch, 0.1)
    ref = transformers.get_scheduler("greedy", opt, scheduler_specific_kwargs=kwargs)
    ours = H.get_scheduler("greedy", base_lr=0.1, scheduler_specific_kwargs=kwargs)
    for m in metrics:
        ref.step(m)
        assert ours.step(m) == opt.param_groups[0]["lr"]


@settings(max_examples=40, deadline=None)
@given(metric_lists, st.integers(0, 3), st.sampled_from([0.0, 1e-3]), st.sampled_from(["min", "max"]))
def test_timm_plateau_matches_timm(metrics, warmup_t, warmup_lr_init, mode):
    torch = _torch()
    scheduler = timm_scheduler_module()
    kwargs = dict(decay_rate=0.5, patience_t=1, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init, mode=mode)
    opt = _optimizer(torch, 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = scheduler.PlateauLRScheduler(opt, **kwargs)
    ours = M.PlateauLRScheduler(base_lr=0.1, **kwargs)
    assert ours.lr == opt.param_groups[0]["lr"]
    for epoch, m in enumerate(metrics):
        ref.step(epoch, m)
        assert ours.step(epoch, m) == opt.param_groups[0]["lr"]
