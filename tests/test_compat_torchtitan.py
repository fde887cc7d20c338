"""fastlr.compat.torchtitan against torchtitan 0.3.0's golden values and torchtitan itself."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastlr.compat import torchtitan as M

from _compat_checks import check_engines_agree
from _golden import mismatches
from _peers import peer

# ------------------------------------------------------------- quirks, from the formulas by hand

def test_warmup_counts_from_one_and_the_minimum_comes_one_step_after_the_run():
    s = M.LRSchedulersContainer(base_lr=1.0, training_steps=100, warmup_steps=10, min_lr_factor=0.1)
    assert s(0) == 1 / 10 and s(9) == 1.0 and s(10) == 1.0
    # decay over the 90 steps after the warmup: progress (k + 1 - 11) / 90 from k = 11
    assert s(11) == 0.1 + 0.9 * (1 - 1 / 90)
    assert s(99) == 0.1 + 0.9 * (1 - 89 / 90)  # the last update of the run
    assert s(100) == 0.1


def test_nothing_is_clamped_past_the_end():
    lin = M.LRSchedulersContainer(base_lr=1.0, training_steps=10, warmup_steps=0)
    cos = M.LRSchedulersContainer(base_lr=1.0, training_steps=10, warmup_steps=0, decay_type="cosine")
    assert lin(10) == 0.0 and lin(15) == 1 - 15 / 10 < 0
    assert cos(20) == 0.5 * (1.0 + math.cos(math.pi * 20 / 10)) == 1.0


def test_stable_phase_and_rounding_half_to_even():
    s = M.LRSchedulersContainer(base_lr=1.0, training_steps=10, warmup_steps=2, decay_ratio=0.25)
    # decay_steps = round(2.5) = 2: stable for 10 + 1 - 2 - 2 = 7 steps after the warmup
    assert [s(k) for k in range(2, 9)] == [1.0] * 7
    assert s(9) == 1 - 1 / 2 and s(10) == 0.0


def test_no_decay_holds_base_lr_where_torchtitan_asserts():
    s = M.LRSchedulersContainer(base_lr=0.5, training_steps=20, warmup_steps=50)
    assert s(19) == 0.5 and s(20) == 0.5 and s(10**12) == 0.5  # torchtitan raises from k = 21
    assert s(0) == 0.5 / 20  # warmup cut to the total


@pytest.mark.parametrize("decay_type", ["linear", "sqrt", "cosine"])
def test_engines_agree(decay_type, engines):
    check_engines_agree(M.LRSchedulersContainer(base_lr=3e-4, training_steps=2900, warmup_steps=37, decay_ratio=0.7,
                                                decay_type=decay_type, min_lr_factor=0.03), engines)


@pytest.mark.parametrize("change, words, error", [
    (dict(warmup_steps=-1), "warmup_steps", ValueError), (dict(total_steps=-5), "total_steps", ValueError),
    (dict(decay_ratio=-0.1), "decay_ratio", ValueError), (dict(decay_type="exp"), "decay_type", ValueError),
    (dict(training_steps=10.5), "training_steps", TypeError), (dict(warmup_steps=2.0), "warmup_steps", TypeError),
    (dict(min_lr_factor=math.nan), "min_lr_factor", ValueError), (dict(base_lr=None), "base_lr", TypeError),
])
def test_bad_arguments_are_rejected(change, words, error):
    with pytest.raises(error, match=words):
        M.LRSchedulersContainer(**{**dict(base_lr=1e-3, training_steps=100, warmup_steps=10), **change})


# ------------------------------------------------------------- against torchtitan itself

def _torchtitan(kwargs, last):
    module = peer("torchtitan")
    import torch
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=kwargs["base_lr"], momentum=0.9)
    config = {k: v for k, v in kwargs.items() if k not in ("base_lr", "training_steps")}
    container = module.LRSchedulersContainer.Config(**config).build(optimizers=[opt],
                                                                    training_steps=kwargs["training_steps"])
    out = [opt.param_groups[0]["lr"]]
    for k in range(1, last + 1):
        try:
            container.step()
        except AssertionError:  # no decay phase: torchtitan fails only past the run
            assert k > kwargs["training_steps"]
            break
        out.append(opt.param_groups[0]["lr"])
    return np.array(out)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_matches_torchtitan(data):
    d = data.draw
    total = d(st.integers(1, 300))
    kwargs = dict(base_lr=d(st.sampled_from([1e-3, 0.1, 3e-4])), training_steps=total,
                  warmup_steps=d(st.integers(0, total + 10)),
                  decay_type=d(st.sampled_from(M.DECAY_TYPES)),
                  min_lr_factor=d(st.sampled_from([0.0, 0.1, 0.5])))
    if d(st.booleans()):
        kwargs["decay_ratio"] = d(st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0, 1.5]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = _torchtitan(kwargs, total + 30)
    got = M.LRSchedulersContainer(**kwargs).table(want.size)
    bad = mismatches({"dtype": "float64", "values": want.tolist()}, got)
    assert bad.size == 0, f"k={bad[0]}: got {got[bad[0]]!r}, torchtitan {want[bad[0]]!r}"
