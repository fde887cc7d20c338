r"""What a schedule's table adds up to: LR area, annealing area, sums of powers, AdamW's timescale.

Every function takes either a schedule and a number of steps (the values
``s(0) … s(steps - 1)``, evaluated exactly as ``s(t)`` gives them) or a
precomputed table (any 1-D array-like of finite real numbers), and returns a
new float64 array with one entry per step.

Running sums use a doubling scan: :math:`\lceil \log_2 n \rceil` vectorised
passes of :math:`y_i \leftarrow y_i + \lambda^d y_{i-d}` for
:math:`d = 1, 2, 4, \ldots` Each result is a sum of at most
:math:`\lceil \log_2 n \rceil + 1` rounded terms, so (to first order, with
:math:`u = 2^{-53}`)

.. math:: \Bigl|\hat y_i - \sum_{k \le i} \lambda^{i-k} x_k\Bigr|
          \le 3 \lceil \log_2 n \rceil\, u \sum_{k \le i} \lambda^{i-k} |x_k|

(:math:`\lceil \log_2 n \rceil u` for a plain running sum, :math:`\lambda = 1`),
against :math:`(n - 1) u` for a sequential ``numpy.cumsum``. The tests check
these bounds against exact sums (``math.fsum``, mpmath) on random tables.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _validate as check
from ._docblocks import define, fill
from ._spec import Schedule
from ._tables import chunks, values as table_values

__all__ = ["lr_area", "annealing_area", "lr_power_sum", "adamw_timescale", "summary_lines"]

DEFAULT_DECAY = 0.999
"""The annealing momentum's decay factor :math:`\\lambda` used by Tissue et al. (2024)."""

define(analytics_source_steps="""
    source : Schedule or array_like
        A schedule (then ``steps`` is required) or a 1-D table of learning rates.
    steps : int, optional
        Number of steps of ``source`` to evaluate (>= 0).
    """)


def _values(source: Any, steps: Any) -> np.ndarray:
    """The learning rates of a schedule's first ``steps`` steps, or of a table, as finite float64."""
    if isinstance(source, Schedule):
        if steps is None:
            raise TypeError("steps is required with a schedule: the number of steps to evaluate")
        values = source.table(check.integer("steps", steps), exact=True)
    else:
        if steps is not None:
            raise TypeError("steps applies to a schedule only; a table has its own length")
        if source is None or isinstance(source, (str, bytes)):
            raise TypeError(f"source must be a fastlr schedule or a table of learning rates, "
                            f"got {type(source).__name__}")
        try:
            table = np.asarray(source)
        except ValueError as exc:
            raise ValueError(f"table must be a 1-D sequence of numbers: {exc}") from None
        if table.dtype.kind not in "iuf":
            raise TypeError(f"table must hold real numbers, got dtype {table.dtype}")
        if table.ndim != 1:
            raise ValueError(f"table must be one-dimensional, got shape {table.shape}")
        values = table.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise ValueError(f"learning rates must be finite, got {float(values[bad[0]])!r} at step {int(bad[0])}")
    return values


def _scan(x: np.ndarray, decay: float = 1.0) -> np.ndarray:
    r"""``y[i] = sum_{k <= i} decay**(i - k) * x[k]``, by doubling passes (error: module docstring)."""
    y = x.copy()
    d = 1
    while d < y.shape[0]:
        weight = decay ** d
        if weight == 0.0:
            break
        y[d:] = y[d:] + (y[:-d] if weight == 1.0 else weight * y[:-d])
        d *= 2
    return y


def _drops(values: np.ndarray, before: float | None = None) -> np.ndarray:
    """``values[i-1] - values[i]``; the first entry is ``before - values[0]``, or 0 without ``before``."""
    drops = np.empty_like(values)
    drops[1:] = values[:-1] - values[1:]
    if values.shape[0]:
        drops[0] = 0.0 if before is None else before - values[0]
    return drops


@fill
def lr_area(source: Schedule | Any, steps: int | None = None) -> np.ndarray:
    r"""The area under the learning-rate curve up to each step (Tissue et al.'s :math:`S_1`).

    .. math:: S_1(t) = \sum_{k=0}^{t} \eta_k, \qquad \eta_k = s(k)

    Parameters
    ----------
    <<analytics_source_steps>>

    Returns
    -------
    numpy.ndarray
        float64 :math:`S_1(0) \ldots S_1(n-1)`; error at most
        :math:`\lceil\log_2 n\rceil u \sum_{k \le t} |\eta_k|`.
    """
    return _scan(_values(source, steps))


@fill
def annealing_area(source: Schedule | Any, steps: int | None = None, decay: float = DEFAULT_DECAY) -> np.ndarray:
    r"""The learning-rate annealing area :math:`S_2` of Tissue et al. (2024), at each step.

    The annealing momentum :math:`m` accumulates each drop of the learning
    rate and forgets it at the rate :math:`\lambda` (``decay``):

    .. math::
        m_0 = 0, \qquad m_i = \lambda\, m_{i-1} + (\eta_{i-1} - \eta_i), \qquad
        S_2(t) = \sum_{i=1}^{t} m_i
               = \sum_{i=1}^{t} \sum_{k=1}^{i} (\eta_{k-1} - \eta_k)\, \lambda^{i-k}

    with :math:`\eta_k = s(k)`; their loss model is
    :math:`L(t) = L_0 + A\,S_1^{-\alpha} - C\,S_2`. A warmup (a rising
    learning rate) makes :math:`m` negative; to follow a fit that leaves the
    warmup out, pass the table from the warmup's end on.

    Parameters
    ----------
    <<analytics_source_steps>>
    decay : float
        :math:`\lambda`, in [0, 1] (the paper uses 0.999; 0.99–0.999 fit well).

    Returns
    -------
    numpy.ndarray
        float64 :math:`S_2(0) \ldots S_2(n-1)` (:math:`S_2(0) = 0`), within
        :math:`6\lceil\log_2 n\rceil u \sum_{i \le t}\sum_{k \le i} \lambda^{i-k}|\eta_{k-1} - \eta_k|`.

    References
    ----------
    Tissue, Wang & Wang, "Scaling Law with Learning Rate Annealing", arXiv:2408.11029, 2024.
    """
    decay = check.real("decay", decay, low=0.0, high=1.0)
    return _scan(_scan(_drops(_values(source, steps)), decay))


@fill
def lr_power_sum(source: Schedule | Any, steps: int | None = None, power: float = 2.0) -> np.ndarray:
    r"""The running sum of the learning rate raised to ``power``.

    .. math:: P_p(t) = \sum_{k=0}^{t} \eta_k^{\,p}

    :math:`p = 1` is :func:`lr_area`; :math:`p = 2` is the sum that bounds
    SGD's accumulated gradient noise (Robbins–Monro: :math:`\sum \eta = \infty`,
    :math:`\sum \eta^2 < \infty`).

    Parameters
    ----------
    <<analytics_source_steps>>
    power : float
        The exponent :math:`p` (finite). Every :math:`\eta_k^p` must be a finite
        real number (no negative rate with a fractional ``power``, no zero rate
        with a negative one), else ``ValueError``.

    Returns
    -------
    numpy.ndarray
        float64 :math:`P_p(0) \ldots P_p(n-1)`.
    """
    power = check.real("power", power)
    values = _values(source, steps)
    with np.errstate(all="ignore"):
        terms = np.power(values, power)
    bad = np.flatnonzero(~np.isfinite(terms))
    if bad.size:
        k = int(bad[0])
        raise ValueError(f"lr ** power must be a finite real number, got {float(values[k])!r} ** {power!r} "
                         f"at step {k}")
    return _scan(terms)


def adamw_timescale(source: Schedule | Any, steps: int | None = None, *, weight_decay: float,
                    steps_per_epoch: int | None = None) -> np.ndarray:
    r"""AdamW's timescale at each step: how many steps its weights average over (Wang & Aitchison 2024).

    Decoupled weight decay makes AdamW's weights an exponential moving average
    of recent updates with timescale

    .. math:: \tau_t = \frac{1}{\eta_t\, \lambda_{wd}} \text{ steps}, \qquad
              \tau_t^{\mathrm{epoch}} = \frac{\tau_t}{M}

    with :math:`M` steps per epoch; their rule keeps :math:`\tau^{\mathrm{epoch}}`
    fixed when the model or data set grows. A zero learning rate gives
    :math:`\tau = \infty` (the average never forgets).

    Parameters
    ----------
    source : Schedule or array_like
        A schedule (then ``steps`` is required) or a 1-D table of learning rates
        (all >= 0).
    steps : int, optional
        Number of steps of ``source`` to evaluate (>= 0).
    weight_decay : float
        AdamW's ``weight_decay`` :math:`\lambda_{wd}` (> 0; torch applies
        :math:`\eta \lambda_{wd}` per step).
    steps_per_epoch : int, optional
        :math:`M` (>= 1): return the timescale in epochs instead of steps.

    Returns
    -------
    numpy.ndarray
        float64 :math:`\tau_0 \ldots \tau_{n-1}`, each correctly rounded from
        the exact :math:`1/(\eta\lambda_{wd})` to within 2 ulp (3 in epochs).

    References
    ----------
    Wang & Aitchison, "How to set AdamW's weight decay as you scale model and
    dataset size", arXiv:2405.13698, 2024.
    """
    weight_decay = check.real("weight_decay", weight_decay, low=0.0, low_open=True)
    per_epoch = None if steps_per_epoch is None else check.integer("steps_per_epoch", steps_per_epoch, 1)
    values = _values(source, steps)
    negative = np.flatnonzero(values < 0)
    if negative.size:
        k = int(negative[0])
        raise ValueError(f"learning rates must be >= 0 for a timescale, got {float(values[k])!r} at step {k}")
    with np.errstate(divide="ignore", over="ignore"):
        tau = 1.0 / (values * weight_decay)
        return tau if per_epoch is None else tau / per_epoch


def summary_lines(schedule: Schedule, steps: int, *, decay: float = DEFAULT_DECAY,
                  weight_decay: float | None = None) -> list[str]:
    r"""A few lines for ``fastlr show``: the totals of the analytics over steps ``0 … steps - 1``.

    Computed chunk by chunk, in constant memory: :math:`S_1`, the mean
    learning rate :math:`S_1 / n`, :math:`\sum \eta^2`, :math:`S_2` with
    ``decay``, and with ``weight_decay`` AdamW's timescale at the last step.

    Parameters
    ----------
    schedule : Schedule
        The schedule.
    steps : int
        Number of steps (>= 1).
    decay : float
        :math:`\lambda` of :func:`annealing_area`.
    weight_decay : float, optional
        Add the line of :func:`adamw_timescale` at the last step.

    Returns
    -------
    list of str
        Indented ``"  name       value ..."`` lines.
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a fastlr schedule, got {type(schedule).__name__}")
    n = check.integer("steps", steps, 1)
    decay = check.real("decay", decay, low=0.0, high=1.0)
    if weight_decay is not None:
        check.real("weight_decay", weight_decay, low=0.0, low_open=True)
    totals = _totals(schedule, n, decay)
    if totals is None:
        return [f"  (analytics: the schedule is not finite within {n:,} steps)"]
    s1, squares, s2, last = totals
    lines = [f"  LR area    S1 = {s1:.6g}  (sum of s(t) over {n:,} steps; mean {s1 / n:.6g})",
             f"  sum lr^2   {squares:.6g}",
             f"  annealing  S2 = {s2:.6g}  (Tissue et al. 2024, decay {decay:g})"]
    if weight_decay is not None:
        tau = adamw_timescale([last], weight_decay=weight_decay)[0]
        lines.append(f"  AdamW tau  1/(lr*wd) = {tau:.6g} steps at step {n - 1:,} (weight_decay {weight_decay:g})")
    return lines


def _totals(schedule: Schedule, n: int, decay: float) -> tuple[float, float, float, float | None] | None:
    """``(S1, sum of squares, S2, last value)`` over steps ``0 … n - 1``, chunk by chunk (the
    annealing momentum carried across chunks); None if a value is not finite."""
    area, squares, anneal = [], [], []
    previous, momentum = None, 0.0
    for _, values in chunks(table_values(schedule, n, np.float64, exact=True)):
        if not np.isfinite(values).all():
            return None
        drops = _drops(values, previous)
        carried = momentum * decay ** np.arange(1, values.shape[0] + 1, dtype=np.float64)
        m = _scan(drops, decay) + carried
        area.append(float(np.sum(values)))
        squares.append(float(np.sum(values * values)))
        anneal.append(float(np.sum(m)))
        previous, momentum = float(values[-1]), float(m[-1])
    return math.fsum(area), math.fsum(squares), math.fsum(anneal), previous
