"""tf_keras (legacy Keras 2) learning-rate schedules, value for value.

Peer: tf_keras 2.21.0 (``tf_keras.optimizers.schedules``, the ``tf.keras`` of
TensorFlow 2.x before Keras 3) on TensorFlow 2.21, eager, an int64 scalar
step. The float32 pipelines are Keras 3's, and so are the values (see
``fastlr.compat.keras``: float32 operation order, correctly rounded
transcendentals, subnormals flushed).

Validation differs. tf_keras does not check ``decay_steps``: ``0`` or a
negative value gives NaN, infinities or growth, and these constructors
*reproduce* those values (they are the peer's float32 IEEE results, e.g.
``ExponentialDecay(0.1, 0, 0.5)`` is NaN at step 0 and 0.0 after) instead
of rejecting them, because a negative ``decay_steps`` still gives finite
numbers that a user may rely on. ``PiecewiseConstantDecay`` uses
``tf.case(exclusive=True)``, which fails while stepping when two intervals
overlap; such boundaries are rejected at construction.

The seed schedules of the founding blog post (``CosineDecay(0.001, 4000)``,
``ExponentialDecay(0.001, 4000, 0.9)``, ``PiecewiseConstantDecay``) were
plotted with a vectorised call, whose SIMD cos/pow differ from the scalar
ones by an ulp here and there: those are within the float32 tolerance.
"""

from __future__ import annotations

from typing import Sequence

from .._docblocks import define
from .._spec import Segment, factory
from . import _tf

__all__ = ["ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay", "InverseTimeDecay",
           "CosineDecay", "CosineDecayRestarts"]

define(tf_keras_staircase_name="""
    staircase : bool
        Floor ``p``.
    name : str or None
        tf_keras's op name; no effect on values.
    """)


@factory("compat.tf_keras.ExponentialDecay")
def ExponentialDecay(initial_learning_rate: float, decay_steps: float, decay_rate: float,
                     staircase: bool = False, name: str | None = None) -> list[Segment]:
    r"""tf_keras ``ExponentialDecay``, in float32.

    <<keras_ExponentialDecay>>

    Parameters
    ----------
    initial_learning_rate, decay_rate : float
        Rounded to float32 first.
    decay_steps : int or float
        Not validated, as in tf_keras: ``0`` gives NaN at step 0 and 0.0 (or
        inf) after; a negative value grows the rate.
    <<tf_keras_staircase_name>>
    """
    return _tf.exponential(initial_learning_rate, decay_steps, decay_rate, staircase, name,
                           inverse=False, strict=False)


@factory("compat.tf_keras.PiecewiseConstantDecay")
def PiecewiseConstantDecay(boundaries: Sequence[float], values: Sequence[float],
                           name: str | None = None) -> list[Segment]:
    r"""tf_keras ``PiecewiseConstantDecay``: ``values[i]`` while ``step <= boundaries[i]``.

    .. math:: \mathrm{lr}(k) = v_i \quad\text{for}\quad b_{i-1} < k \le b_i
              \quad (b_{-1} = -\infty,\ b_n = +\infty)

    Parameters
    ----------
    boundaries : sequence of int or float
        ``len(values) - 1`` boundaries, non-decreasing (tf_keras fails while
        stepping otherwise: ``ValueError`` here); float boundaries are
        truncated to the int64 step type.
    values : sequence of float
        The learning rates, as float32.
    name : str or None
        tf_keras's op name; no effect on values.

    Notes
    -----
    Quirk reproduced: the switch happens one step after each boundary.
    """
    return _tf.piecewise(boundaries, values, name, summed=False)


@factory("compat.tf_keras.PolynomialDecay")
def PolynomialDecay(initial_learning_rate: float, decay_steps: float,
                    end_learning_rate: float = 0.0001, power: float = 1.0, cycle: bool = False,
                    name: str | None = None) -> list[Segment]:
    r"""tf_keras ``PolynomialDecay``, in float32.

    <<keras_PolynomialDecay>>

    With ``cycle=True``, :math:`d = \mathrm{decay\_steps}\cdot\lceil k /
    \mathrm{decay\_steps}\rceil` (multiplier 1 at step 0) and no clamp.

    Parameters
    ----------
    initial_learning_rate, end_learning_rate, power : float
        Rounded to float32.
    decay_steps : int or float
        Not validated: ``0`` gives NaN at every step, as in tf_keras.
    cycle : bool
        Restart the decay every ``decay_steps`` steps.
    name : str or None
        tf_keras's op name; no effect on values.
    """
    return _tf.polynomial(initial_learning_rate, decay_steps, end_learning_rate, power, cycle, name,
                          strict=False)


@factory("compat.tf_keras.InverseTimeDecay")
def InverseTimeDecay(initial_learning_rate: float, decay_steps: float, decay_rate: float,
                     staircase: bool = False, name: str | None = None) -> list[Segment]:
    r"""tf_keras ``InverseTimeDecay``, in float32.

    <<keras_InverseTimeDecay>>
    decay_steps : int or float
        Not validated: ``0`` gives the rate at step 0 and 0.0 after.
    <<tf_keras_staircase_name>>
    """
    return _tf.exponential(initial_learning_rate, decay_steps, decay_rate, staircase, name,
                           inverse=True, strict=False)


@factory("compat.tf_keras.CosineDecay")
def CosineDecay(initial_learning_rate: float, decay_steps: float, alpha: float = 0.0,
                name: str | None = None, warmup_target: float | None = None,
                warmup_steps: float = 0) -> list[Segment]:
    r"""tf_keras ``CosineDecay`` with optional linear warmup, in float32.

    <<keras_CosineDecay>>

    With ``warmup_target`` :math:`w`: :math:`(w - \mathrm{lr_0})\,k/W + \mathrm{lr_0}`
    for :math:`k < W`, then the decay from :math:`w` at :math:`k - W`
    (the step clamped to :math:`D + W`), exactly as ``fastlr.compat.keras.CosineDecay``.

    Parameters
    ----------
    initial_learning_rate : float
        Start of the warmup, or of the decay without warmup target.
    decay_steps : int or float
        :math:`D`; not validated (``0`` gives NaN, as in tf_keras).
    alpha : float
        Final value as a fraction of the decay's start.
    name : str or None
        tf_keras's op name; no effect on values.
    warmup_target : float or None
        Peak after the warmup; ``None`` disables the warmup (and ignores
        ``warmup_steps``).
    warmup_steps : int or float
        Warmup length :math:`W`.
    """
    return _tf.cosine(initial_learning_rate, decay_steps, alpha, name, warmup_target, warmup_steps,
                      strict=False)


@factory("compat.tf_keras.CosineDecayRestarts")
def CosineDecayRestarts(initial_learning_rate: float, first_decay_steps: float, t_mul: float = 2.0,
                        m_mul: float = 1.0, alpha: float = 0.0,
                        name: str | None = None) -> list[Segment]:
    r"""tf_keras ``CosineDecayRestarts`` (SGDR), in float32.

    Same formula and float32 pipeline as ``fastlr.compat.keras.CosineDecayRestarts``:

    <<keras_CosineDecayRestarts>>
    first_decay_steps : int or float
        Length of the first cycle; not validated (``0`` gives NaN).
    t_mul, m_mul : float
        Cycle length and peak multipliers per restart.
    alpha : float
        Floor as a fraction of ``initial_learning_rate``.
    name : str or None
        tf_keras's op name; no effect on values.
    """
    return _tf.restarts(initial_learning_rate, first_decay_steps, t_mul, m_mul, alpha, name,
                        strict=False)
