"""Keras 3 learning-rate schedules (``keras.optimizers.schedules``), value for value.

Peer: Keras 3.15.1 on the TensorFlow backend (TensorFlow 2.21), eager, the
step an int64 scalar as a Keras optimizer passes it: the value at step ``k``
is the learning rate of update ``k + 1``. Keras computes in float32; these
schedules replay its float32 operations in its order (hyper-parameters
rounded to float32, the step cast to float32, correctly rounded cos/pow/log,
subnormals flushed to zero as TensorFlow does) and return those float32
values on float32 and float64 outputs alike. On the golden tables 6,012 of
6,019 values are bit-exact; the others are 1-2 ulp away, where glibc's
``cosf``/``powf`` (what TensorFlow calls) are not correctly rounded.

Like Keras 3, every constructor rejects ``decay_steps <= 0``
(``first_decay_steps <= 0``) with ``ValueError``; ``fastlr.compat.tf_keras``
has the same classes with tf_keras's (absent) validation.
"""

from __future__ import annotations

from typing import Sequence

from .._spec import Segment, factory
from . import _tf

__all__ = ["ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay", "InverseTimeDecay",
           "CosineDecay", "CosineDecayRestarts"]


@factory("compat.keras.ExponentialDecay")
def ExponentialDecay(initial_learning_rate: float, decay_steps: float, decay_rate: float,
                     staircase: bool = False, name: str = "ExponentialDecay") -> list[Segment]:
    r"""Keras 3 ``ExponentialDecay``, in float32.

    <<keras_ExponentialDecay>>

    Parameters
    ----------
    initial_learning_rate, decay_rate : float
        Rounded to float32 first, as Keras does (``decay_rate=1.05`` over a
        million steps depends on it).
    decay_steps : int or float
        Must be > 0 (``ValueError`` otherwise, as in Keras 3).
    staircase : bool
        Floor ``p`` (decay in whole steps of ``decay_steps``).
    name : str
        Keras's op name; recorded in the spec, no effect on values.

    Notes
    -----
    Quirk reproduced: TensorFlow flushes subnormals, so
    ``ExponentialDecay(0.1, 1, 0.5)`` is exactly 0.0 from step 123 on.
    """
    return _tf.exponential(initial_learning_rate, decay_steps, decay_rate, staircase, name,
                           inverse=False, strict=True)


@factory("compat.keras.PiecewiseConstantDecay")
def PiecewiseConstantDecay(boundaries: Sequence[float], values: Sequence[float],
                           name: str = "PiecewiseConstant") -> list[Segment]:
    r"""Keras 3 ``PiecewiseConstantDecay``: ``values[i]`` while ``step <= boundaries[i]``.

    .. math:: \mathrm{lr}(k) = \sum_i [\,b_{i-1} < k \le b_i\,]\, v_i
              \quad (b_{-1} = -\infty,\ b_n = +\infty)

    Parameters
    ----------
    boundaries : sequence of int or float
        ``len(values) - 1`` step boundaries (non-empty). Keras casts them to
        the step's int64, so a float boundary is truncated (``10.7`` acts as
        ``10``).
    values : sequence of float
        The learning rates, as float32.
    name : str
        Keras's op name; no effect on values.

    Notes
    -----
    Quirks reproduced: the switch happens one step *after* a boundary
    (``values[1]`` from ``boundaries[0] + 1`` on; optax and torch switch at the
    boundary). Keras 3 adds up ``indicator * value`` in float32, so with
    decreasing boundaries the overlapping intervals' values are summed (that
    is what Keras 3 returns); tf_keras rejects them.
    """
    return _tf.piecewise(boundaries, values, name, summed=True)


@factory("compat.keras.PolynomialDecay")
def PolynomialDecay(initial_learning_rate: float, decay_steps: float,
                    end_learning_rate: float = 0.0001, power: float = 1.0, cycle: bool = False,
                    name: str = "PolynomialDecay") -> list[Segment]:
    r"""Keras 3 ``PolynomialDecay``, in float32.

    <<keras_PolynomialDecay>>

    With ``cycle=True`` the step is not clamped and
    :math:`d = \mathrm{decay\_steps}\cdot\lceil k / \mathrm{decay\_steps}\rceil`,
    with multiplier 1 at :math:`k = 0`.

    Parameters
    ----------
    initial_learning_rate, end_learning_rate, power : float
        Rounded to float32 (``lr_0 - end`` is a float32 subtraction).
    decay_steps : int or float
        Must be > 0.
    cycle : bool
        Restart the decay every ``decay_steps`` steps.
    name : str
        Keras's op name; no effect on values.

    Notes
    -----
    Quirk reproduced: with ``cycle=True`` step 0 uses multiplier 1, so
    ``decay_steps=1, cycle=True`` gives ``lr_0`` at 0 and ``end`` ever after.
    """
    return _tf.polynomial(initial_learning_rate, decay_steps, end_learning_rate, power, cycle, name,
                          strict=True)


@factory("compat.keras.InverseTimeDecay")
def InverseTimeDecay(initial_learning_rate: float, decay_steps: float, decay_rate: float,
                     staircase: bool = False, name: str = "InverseTimeDecay") -> list[Segment]:
    r"""Keras 3 ``InverseTimeDecay``, in float32.

    <<keras_InverseTimeDecay>>
    decay_steps : int or float
        Must be > 0.
    staircase : bool
        Floor ``p``.
    name : str
        Keras's op name; no effect on values.
    """
    return _tf.exponential(initial_learning_rate, decay_steps, decay_rate, staircase, name,
                           inverse=True, strict=True)


@factory("compat.keras.CosineDecay")
def CosineDecay(initial_learning_rate: float, decay_steps: float, alpha: float = 0.0,
                name: str = "CosineDecay", warmup_target: float | None = None,
                warmup_steps: float = 0) -> list[Segment]:
    r"""Keras 3 ``CosineDecay`` with optional linear warmup, in float32.

    Without ``warmup_target``:

    <<keras_CosineDecay>>

    With ``warmup_target`` = :math:`w` and ``warmup_steps`` = :math:`W`, the
    step is clamped to :math:`D + W`; for :math:`k < W` the value is
    :math:`(w - \mathrm{lr_0})\,k/W + \mathrm{lr_0}`, then the decay above from
    :math:`w` at :math:`k - W`.

    Parameters
    ----------
    initial_learning_rate : float
        Start of the warmup, or of the decay if there is no warmup target.
    decay_steps : int or float
        :math:`D`, the decay length after the warmup; must be > 0.
    alpha : float
        Final value as a fraction of the decay's start.
    name : str
        Keras's op name; no effect on values.
    warmup_target : float or None
        Peak reached after the warmup; ``None`` disables the warmup.
    warmup_steps : int or float
        Warmup length :math:`W` (the decay comes after it, unlike optax).

    Notes
    -----
    Quirks reproduced: ``warmup_target`` with ``warmup_steps=0`` decays from
    ``warmup_target`` at step 0 (``initial_learning_rate`` unused);
    ``warmup_steps`` without ``warmup_target`` is ignored. ``1 - alpha`` is
    computed in double and then rounded, as Keras's Python arithmetic does.
    """
    return _tf.cosine(initial_learning_rate, decay_steps, alpha, name, warmup_target, warmup_steps,
                      strict=True)


@factory("compat.keras.CosineDecayRestarts")
def CosineDecayRestarts(initial_learning_rate: float, first_decay_steps: float, t_mul: float = 2.0,
                        m_mul: float = 1.0, alpha: float = 0.0,
                        name: str = "SGDRDecay") -> list[Segment]:
    r"""Keras 3 ``CosineDecayRestarts`` (SGDR), in float32.

    With :math:`c = k / \mathrm{first\_decay\_steps}`, the cycle is
    :math:`i = \lfloor c \rfloor` (``t_mul == 1``) or
    :math:`i = \lfloor \log(1 - c(1 - t))/\log t \rfloor` with the fraction
    :math:`f = (c - (1 - t^i)/(1 - t)) / t^i`, and

    <<keras_CosineDecayRestarts>>
    first_decay_steps : int or float
        Length of the first cycle; must be > 0.
    t_mul, m_mul : float
        Cycle length and peak multipliers per restart.
    alpha : float
        Floor as a fraction of ``initial_learning_rate``.
    name : str
        Keras's op name; no effect on values.

    Notes
    -----
    Quirk reproduced: the cycle index comes from a float32 ``log``, so with
    ``t_mul != 1`` a restart can land one step early or late.
    """
    return _tf.restarts(initial_learning_rate, first_decay_steps, t_mul, m_mul, alpha, name,
                        strict=True)
