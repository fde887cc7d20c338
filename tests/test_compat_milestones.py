"""Unsorted, repeated and negative milestones/boundaries: fastlr.compat gives each peer's own values.

Each peer is run for real (skipped where it is not installed). transformers has no milestone
lists; torch's SequentialLR milestones are covered in test_compat_compositions.py.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from fastlr.compat import keras as K
from fastlr.compat import optax as O
from fastlr.compat import tf_keras as TK
from fastlr.compat import timm as TM
from fastlr.compat import torch as T

from _compat import timm_scheduler_module
from _golden import mismatches

STEPS = np.arange(45)
LISTS = [[30, 10], [5, 5, 12], [-3, 4], [12, 3, 7, 3], [0, 1], [8, 2, 20, 15], [6, 6, 6]]


def _assert_same(got: np.ndarray, want: list[float], dtype: str = "float64") -> None:
    bad = mismatches({"dtype": dtype, "values": [float(v) for v in want]}, got)
    assert bad.size == 0, f"step {bad[0]}: fastlr {got[bad[0]]!r}, peer {want[bad[0]]!r}"


@pytest.mark.parametrize("milestones", LISTS)
def test_torch_multistep(milestones, engine):
    torch = pytest.importorskip("torch", reason="compares with the real torch")
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones, gamma=0.5)
        want = [opt.param_groups[0]["lr"]]
        for _ in STEPS[1:]:
            opt.step()
            sched.step()
            want.append(opt.param_groups[0]["lr"])
    _assert_same(engine.bind(T.MultiStepLR(base_lr=0.1, milestones=milestones, gamma=0.5)).at(STEPS), want)


@pytest.mark.parametrize("warmup_t, warmup_prefix", [(0, True), (4, True), (4, False)])
@pytest.mark.parametrize("decay_t", LISTS)
def test_timm_multistep(decay_t, warmup_t, warmup_prefix, engine):
    """timm bisects ``decay_t`` as given: ``[30, 10]`` decays twice at t = 9 and never at 30."""
    scheduler = timm_scheduler_module()  # skips without torch/timm
    import torch
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    kwargs = dict(decay_t=decay_t, decay_rate=0.5, warmup_t=warmup_t, warmup_lr_init=0.01,
                  warmup_prefix=warmup_prefix)
    sched = scheduler.MultiStepLRScheduler(opt, **kwargs)
    want = []
    for t in STEPS:
        sched.step(int(t))
        want.append(opt.param_groups[0]["lr"])
    _assert_same(engine.bind(TM.MultiStepLRScheduler(base_lr=0.1, **kwargs)).at(STEPS), want)


@pytest.mark.parametrize("boundaries", LISTS)
def test_keras_piecewise_constant(boundaries, engine):
    """Keras 3 sums ``indicator * value``: overlapping intervals of unsorted boundaries add up."""
    keras = pytest.importorskip("keras", reason="compares with the real Keras 3")
    values = [1.0 + i for i in range(len(boundaries) + 1)]
    peer = keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values)
    want = [float(peer(int(k))) for k in STEPS]
    got = engine.bind(K.PiecewiseConstantDecay(boundaries=boundaries, values=values)).at(STEPS)
    _assert_same(got, want, "float32")


@pytest.mark.parametrize("boundaries", LISTS)
def test_tf_keras_piecewise_constant(boundaries, engine):
    """tf_keras's ``tf.case(exclusive=True)`` raises where two intervals hold a step."""
    tf_keras = pytest.importorskip("tf_keras", reason="compares with the real tf_keras")
    values = [1.0 + i for i in range(len(boundaries) + 1)]
    peer = tf_keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, values)
    try:
        want = [float(peer(int(k))) for k in STEPS]
    except Exception:  # noqa: BLE001 - the peer's InvalidArgumentError
        with pytest.raises(ValueError, match="tf_keras"):
            TK.PiecewiseConstantDecay(boundaries=boundaries, values=values)
        return
    got = engine.bind(TK.PiecewiseConstantDecay(boundaries=boundaries, values=values)).at(STEPS)
    _assert_same(got, want, "float32")


SCALES = [{20: 0.5, 5: 0.1}, {5: 0.1, -3: 0.5, 0: 0.3}, {30: 2.0, 3: 0.5, 12: 0.1}, {10: 0.5}]


@pytest.mark.parametrize("scales", SCALES)
@pytest.mark.parametrize("kind", ["constant", "linear", "cosine"])
def test_optax_boundaries_in_any_order(scales, kind, engine):
    """optax sorts ``boundaries_and_scales`` (a dict: no repeated boundary); negative ones work."""
    optax = pytest.importorskip("optax", reason="compares with the real optax")
    if kind == "constant":
        peer = optax.piecewise_constant_schedule(1.0, scales)
        ours = O.piecewise_constant_schedule(init_value=1.0, boundaries_and_scales=scales)
    else:
        peer = optax.piecewise_interpolate_schedule(kind, 1.0, scales)
        ours = O.piecewise_interpolate_schedule(interpolate_type=kind, init_value=1.0, boundaries_and_scales=scales)
    want = [float(peer(int(k))) for k in STEPS]
    _assert_same(engine.bind(ours).at(STEPS), want, "float32")
