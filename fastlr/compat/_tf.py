"""Segments of the TensorFlow-computed Keras schedules, shared by ``keras`` and ``tf_keras``.

Keras 3 (TensorFlow backend) and tf_keras evaluate these schedules with the
same float32 operations and give identical values; they differ in validation
(``strict``: Keras 3 rejects ``decay_steps <= 0``) and in
PiecewiseConstantDecay (Keras 3 sums indicator * value, tf_keras selects with
``tf.case``). Every hyper-parameter that enters float32 arithmetic is rounded
to float32 and read as zero if subnormal, as TensorFlow's kernels do.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import _validate as check
from .._docblocks import define
from .._kinds import Kind
from .._spec import Segment
from . import _f32


# What keras's and tf_keras's docstrings of a class say alike: the formula, and the
# parameters they document the same way.
define(
    keras_ExponentialDecay=r"""
    .. math:: \mathrm{lr}(k) = \mathrm{initial\_learning\_rate} \cdot
              \mathrm{decay\_rate}^{\,p},\quad p = k / \mathrm{decay\_steps}
              \;(\lfloor p \rfloor \text{ if staircase})
    """,
    keras_PolynomialDecay=r"""
    .. math:: \mathrm{lr}(k) = (\mathrm{lr_0} - \mathrm{end})
              \left(1 - \frac{\min(k, d)}{d}\right)^{\mathrm{power}} + \mathrm{end}
    """,
    keras_InverseTimeDecay=r"""
    .. math:: \mathrm{lr}(k) = \frac{\mathrm{initial\_learning\_rate}}
              {1 + \mathrm{decay\_rate}\cdot p},\quad p = k / \mathrm{decay\_steps}
              \;(\lfloor p \rfloor \text{ if staircase})

    Parameters
    ----------
    initial_learning_rate, decay_rate : float
        Rounded to float32.
    """,
    keras_CosineDecay=r"""
    .. math:: \mathrm{lr}(k) = \mathrm{lr_0}\left((1-\alpha)\,
              \tfrac12\left(1 + \cos\left(\pi\,\tfrac{\min(k, D)}{D}\right)\right) + \alpha\right)
    """,
    keras_CosineDecayRestarts=r"""
    .. math:: \mathrm{lr}(k) = \mathrm{lr_0}\left((1-\alpha)\,\tfrac12 m^i
              (1 + \cos \pi f) + \alpha\right)

    Parameters
    ----------
    initial_learning_rate : float
        Peak of the first cycle.
    """)


def _steps(name: str, value: Any, strict: bool) -> float:
    steps = _f32.real(name, value)
    if strict and steps <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value!r}")
    return steps


def exponential(initial_learning_rate: Any, decay_steps: Any, decay_rate: Any, staircase: Any,
                name: Any, *, inverse: bool, strict: bool) -> list[Segment]:
    """ExponentialDecay (``inverse=False``) or InverseTimeDecay (``inverse=True``)."""
    lr = _f32.daz(_f32.real("initial_learning_rate", initial_learning_rate))
    steps = _f32.daz(_steps("decay_steps", decay_steps, strict))
    rate = _f32.daz(_f32.real("decay_rate", decay_rate))
    flag = float(check.boolean("staircase", staircase))
    _f32.optional_name(name)
    return [Segment(Kind.F32_TF_DECAY, 0, (lr, steps, rate, flag, float(inverse)))]


def polynomial(initial_learning_rate: Any, decay_steps: Any, end_learning_rate: Any, power: Any,
               cycle: Any, name: Any, *, strict: bool) -> list[Segment]:
    """PolynomialDecay."""
    params = (_f32.daz(_f32.real("initial_learning_rate", initial_learning_rate)),
              _f32.daz(_f32.real("end_learning_rate", end_learning_rate)),
              _f32.daz(_f32.real("power", power)),
              _f32.daz(_steps("decay_steps", decay_steps, strict)),
              float(check.boolean("cycle", cycle)))
    _f32.optional_name(name)
    return [Segment(Kind.F32_TF_POLYNOMIAL, 0, params)]


def cosine(initial_learning_rate: Any, decay_steps: Any, alpha: Any, name: Any, warmup_target: Any,
           warmup_steps: Any, *, strict: bool) -> list[Segment]:
    """CosineDecay with the optional warmup of Keras >= 2.13."""
    lr = _f32.daz(_f32.real("initial_learning_rate", initial_learning_rate))
    steps = _f32.daz(_steps("decay_steps", decay_steps, strict))
    alpha = _f32.number("alpha", alpha)
    warmup = _f32.daz(_f32.real("warmup_steps", warmup_steps))
    target = 0.0 if warmup_target is None else _f32.daz(_f32.real("warmup_target", warmup_target))
    _f32.optional_name(name)
    # `(1 - self.alpha) * decayed + self.alpha`: 1 - alpha in Python, then float32
    params = (lr, steps, _f32.daz(1 - alpha), _f32.daz(alpha), target, warmup,
              float(warmup_target is not None))
    return [Segment(Kind.F32_TF_COSINE, 0, params)]


def restarts(initial_learning_rate: Any, first_decay_steps: Any, t_mul: Any, m_mul: Any, alpha: Any,
             name: Any, *, strict: bool) -> list[Segment]:
    """CosineDecayRestarts (SGDR)."""
    params = (_f32.daz(_f32.real("initial_learning_rate", initial_learning_rate)),
              _f32.daz(_steps("first_decay_steps", first_decay_steps, strict)),
              _f32.daz(_f32.real("alpha", alpha)),
              _f32.daz(_f32.real("t_mul", t_mul)),
              _f32.daz(_f32.real("m_mul", m_mul)))
    _f32.optional_name(name)
    return [Segment(Kind.F32_TF_COSINE_RESTARTS, 0, params)]


def _boundary(name: str, value: Any) -> int:
    """A boundary as the int64 step it is compared with (floats: float32, truncated)."""
    if _f32.is_int(value):
        return int(value)
    return int(np.trunc(np.float32(_f32.real(name, value))))


def piecewise(boundaries: Any, values: Any, name: Any, *, summed: bool) -> list[Segment]:
    """PiecewiseConstantDecay: ``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]``.

    ``summed`` (Keras 3): the value is the float32 sum of indicator * value
    over all intervals, so overlapping intervals (decreasing boundaries) add
    up. Otherwise (tf_keras): exactly one interval may hold a step, else
    ``tf.case(exclusive=True)`` fails while stepping, which is rejected here.
    """
    bounds = check.sequence("boundaries", boundaries)
    vals = check.sequence("values", values)
    if len(bounds) != len(vals) - 1:
        raise ValueError(
            "The length of boundaries should be 1 less than the length of values. "
            f"Received: boundaries={bounds} of length {len(bounds)}, and values={vals} "
            f"of length {len(vals)}.")
    if not bounds:
        raise ValueError("boundaries must not be empty (the peer fails at its first step)")
    edges = [_boundary(f"boundaries[{i}]", b) for i, b in enumerate(bounds)]
    levels = [_f32.real(f"values[{i}]", v) for i, v in enumerate(vals)]
    _f32.optional_name(name)
    starts = sorted({0} | {b + 1 for b in edges if b + 1 > 0})
    segments: list[Segment] = []
    for start in starts:
        value = (_summed if summed else _selected)(start, edges, levels)
        if not segments or segments[-1].params[0] != value:
            segments.append(Segment(Kind.CONSTANT, start, (value,)))
    return segments


def _indicators(step: int, edges: Sequence[int]) -> list[bool]:
    """Which intervals hold ``step``, in the peer's order: first, last, then the middle ones."""
    middle = [low < step <= high for low, high in zip(edges[:-1], edges[1:])]
    return [step <= edges[0], step > edges[-1], *middle]


def _ordered(levels: Sequence[float]) -> list[float]:
    return [levels[0], levels[-1], *levels[1:-1]]


def _summed(step: int, edges: Sequence[int], levels: Sequence[float]) -> float:
    with np.errstate(all="ignore"):
        total = np.float32(0.0)
        for hit, level in zip(_indicators(step, edges), _ordered(levels)):
            total = _f32.fz(total + _f32.fz(np.float32(hit) * np.float32(_f32.daz(level))))
        return _f32.flush(total)


def _selected(step: int, edges: Sequence[int], levels: Sequence[float]) -> float:
    hits = [level for hit, level in zip(_indicators(step, edges), _ordered(levels)) if hit]
    if len(hits) > 1:
        raise ValueError(
            f"boundaries must be non-decreasing, got {list(edges)}: tf_keras's "
            f"PiecewiseConstantDecay raises at step {step}, where two intervals overlap")
    return _f32.f32(hits[0] if hits else levels[0])
