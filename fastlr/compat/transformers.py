"""Hugging Face transformers schedules under their own names (peer: transformers 5.24.0).

``get_scheduler(name, base_lr=..., num_warmup_steps=..., num_training_steps=...,
scheduler_specific_kwargs=...)`` and every ``get_*_schedule*`` function, with
``base_lr=`` where transformers takes the optimizer (``optimizer.defaults['lr']``).
transformers' schedules are torch ``LambdaLR``\\ s: ``s(k) = base_lr * lambda(k)``
after ``k`` calls of ``scheduler.step()`` (``s(0)`` right after construction).
fastlr evaluates the same formulas from native kinds, and from two peer kinds
(``HF_COSINE``, ``HF_HARD_RESTARTS``) where transformers' order of operations
matters far past the end (within 1e-12 of the peak of transformers' values;
most are equal to the bit).

Quirks reproduced (transformers 5.24.0):

* ``cosine`` is not clamped past ``num_training_steps``: it rises again
  (``cosine_with_min_lr`` and ``cosine_warmup_with_min_lr`` too);
  ``cosine_with_restarts`` is 0 from ``num_training_steps`` on, ``linear`` is 0,
  ``polynomial`` holds ``lr_end``;
* ``cosine_warmup_with_min_lr`` is shifted by one: warmup ``(k + 1) / W``
  (``s(0) = base_lr / W``), peak at ``k = W - 1``, minimum at ``k = T - 1``;
* ``linear`` with ``num_warmup_steps > num_training_steps`` is 0 as soon as the
  warmup ends; ``polynomial`` rejects ``lr_end >= base_lr``;
  ``cosine_with_min_lr`` needs exactly one of ``min_lr``/``min_lr_rate``;
  ``get_scheduler('constant', ...)`` ignores the other arguments.

Where transformers accepts nonsense and fails later (``polynomial`` with
``num_warmup_steps == num_training_steps`` divides by zero), fastlr rejects it
with ``ValueError``; negative step counts and negative ``num_cycles`` /
``min_lr`` are rejected too. ``last_epoch`` must be -1.
``reduce_lr_on_plateau`` and ``greedy`` return metric-driven controllers
(:class:`ReduceLROnPlateau`, :class:`GreedyLR`), not schedules.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

from .. import _validate as check
from .._docblocks import define
from .._kinds import Kind
from .._spec import Schedule, Segment, factory
from .._typing import Cooldown
from ._plateau import GreedyLR, ReduceLROnPlateau

__all__ = [
    "get_scheduler", "get_constant_schedule", "get_constant_schedule_with_warmup",
    "get_linear_schedule_with_warmup", "get_cosine_schedule_with_warmup",
    "get_cosine_with_hard_restarts_schedule_with_warmup", "get_polynomial_decay_schedule_with_warmup",
    "get_inverse_sqrt_schedule", "get_cosine_with_min_lr_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate", "get_wsd_schedule",
    "get_reduce_on_plateau_schedule", "get_greedy_schedule", "ReduceLROnPlateau", "GreedyLR",
    "SCHEDULER_NAMES",
]

PEER = "transformers 5.24.0"

define(transformers_min_lr_cosine="""
    base_lr : float
    num_warmup_steps, num_training_steps : int
    num_cycles : float
    last_epoch : int
        Must be -1.
    """)


def _last_epoch(value: Any) -> None:
    if check.integer("last_epoch", value, -1) != -1:
        raise ValueError(f"last_epoch must be -1 (a fastlr schedule is stateless), got {value}")


def _steps(name: str, value: Any) -> int:
    return check.integer(name, value)


def _warmup_training(base_lr: Any, num_warmup_steps: Any, num_training_steps: Any,
                     last_epoch: Any) -> tuple[float, int, int]:
    """``(base_lr, W, T)`` checked, in the order of the functions that take all three."""
    _last_epoch(last_epoch)
    return (check.real("base_lr", base_lr), _steps("num_warmup_steps", num_warmup_steps),
            _steps("num_training_steps", num_training_steps))


def _warmup(base: float, warmup: int) -> list[Segment]:
    """``base * k / max(1, W)`` for ``k < W``."""
    return [Segment(Kind.LINEAR, 0, (0.0, base, float(max(1, warmup))))] if warmup > 0 else []


def _cosine_turns(span: int, num_cycles: float) -> tuple[float, float]:
    """(steps, turns) of an HF_COSINE/ANNEAL angle ``(pi * turns) * (k - W) / steps``: transformers'
    ``pi * num_cycles * 2 * progress``, in its rounding order (exact far past the end too)."""
    return (math.inf, 0.0) if num_cycles == 0 else (float(span), 2.0 * num_cycles)


def _cycles(value: Any) -> float:
    return check.real("num_cycles", value, low=0.0, high=1e300)  # 2 * num_cycles must stay finite


@factory("compat.transformers.get_constant_schedule")
def get_constant_schedule(base_lr: float, last_epoch: int = -1) -> list[Segment]:
    r"""transformers ``get_constant_schedule``: :math:`s(k) = \mathrm{base\_lr}`.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    return [Segment(Kind.CONSTANT, 0, (check.real("base_lr", base_lr),))]


@factory("compat.transformers.get_constant_schedule_with_warmup")
def get_constant_schedule_with_warmup(base_lr: float, num_warmup_steps: int, last_epoch: int = -1) -> list[Segment]:
    r"""transformers ``get_constant_schedule_with_warmup``.

    .. math:: s(k) = \mathrm{base\_lr}\cdot k / W \;(k < W), \qquad \mathrm{base\_lr} \;(k \ge W)

    Parameters
    ----------
    base_lr : float
    num_warmup_steps : int
        >= 0.
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    base, warm = check.real("base_lr", base_lr), _steps("num_warmup_steps", num_warmup_steps)
    return _warmup(base, warm) + [Segment(Kind.CONSTANT, warm, (base,))]


@factory("compat.transformers.get_linear_schedule_with_warmup")
def get_linear_schedule_with_warmup(base_lr: float, num_warmup_steps: int, num_training_steps: int,
                                    last_epoch: int = -1) -> list[Segment]:
    r"""transformers ``get_linear_schedule_with_warmup``.

    .. math:: s(k) = \mathrm{base\_lr}\cdot\max\Bigl(0, \frac{T - k}{\max(1, T - W)}\Bigr) \quad (k \ge W)

    after the linear warmup; 0 from ``max(W, T)`` on.

    Parameters
    ----------
    base_lr : float
    num_warmup_steps, num_training_steps : int
        >= 0.
    last_epoch : int
        Must be -1.
    """
    base, warm, total = _warmup_training(base_lr, num_warmup_steps, num_training_steps, last_epoch)
    segments = _warmup(base, warm)
    if total > warm:
        segments.append(Segment(Kind.LINEAR, warm, (base, 0.0, float(total - warm))))
    return segments + [Segment(Kind.CONSTANT, max(warm, total), (0.0,))]


@factory("compat.transformers.get_cosine_schedule_with_warmup")
def get_cosine_schedule_with_warmup(base_lr: float, num_warmup_steps: int, num_training_steps: int,
                                    num_cycles: float = 0.5, last_epoch: int = -1) -> list[Segment]:
    r"""transformers ``get_cosine_schedule_with_warmup`` (never clamped: rises past the end).

    .. math:: s(k) = \mathrm{base\_lr}\cdot\tfrac12\bigl(1 + \cos(2\pi c\,p)\bigr),\quad
              p = \frac{k - W}{\max(1, T - W)} \quad (k \ge W)

    after the linear warmup.

    Parameters
    ----------
    base_lr : float
    num_warmup_steps, num_training_steps : int
    num_cycles : float
        :math:`c` (>= 0; 0.5 is a half cosine down to 0).
    last_epoch : int
        Must be -1.
    """
    return get_cosine_with_min_lr_schedule_with_warmup(
        base_lr, num_warmup_steps, num_training_steps, num_cycles, last_epoch, min_lr_rate=0.0).segments()


@factory("compat.transformers.get_cosine_with_hard_restarts_schedule_with_warmup")
def get_cosine_with_hard_restarts_schedule_with_warmup(base_lr: float, num_warmup_steps: int,
                                                       num_training_steps: int, num_cycles: float = 1,
                                                       last_epoch: int = -1) -> list[Segment]:
    r"""transformers ``get_cosine_with_hard_restarts_schedule_with_warmup``.

    .. math:: s(k) = \mathrm{base\_lr}\cdot\tfrac12\bigl(1 + \cos(\pi\,((c\,p) \bmod 1))\bigr)
              \quad (W \le k < W + \max(1, T - W)),

    0 afterwards, linear warmup before.

    Parameters
    ----------
    base_lr : float
    num_warmup_steps, num_training_steps : int
    num_cycles : float
        Number of restarts' cycles :math:`c` (>= 0).
    last_epoch : int
        Must be -1.
    """
    base, warm, total = _warmup_training(base_lr, num_warmup_steps, num_training_steps, last_epoch)
    cycles = _cycles(num_cycles)
    span = max(1, total - warm)
    body = (Segment(Kind.CONSTANT, warm, (base,)) if cycles == 0 else
            Segment(Kind.HF_HARD_RESTARTS, warm, (base, 0.0, float(span), cycles)))
    return _warmup(base, warm) + [body, Segment(Kind.CONSTANT, warm + span, (0.0,))]


@factory("compat.transformers.get_polynomial_decay_schedule_with_warmup")
def get_polynomial_decay_schedule_with_warmup(base_lr: float, num_warmup_steps: int, num_training_steps: int,
                                              lr_end: float = 1e-7, power: float = 1.0,
                                              last_epoch: int = -1) -> list[Segment]:
    r"""transformers ``get_polynomial_decay_schedule_with_warmup``.

    .. math:: s(k) = (\mathrm{base\_lr} - \mathrm{lr\_end})\Bigl(1 - \frac{k - W}{T - W}\Bigr)^{\mathrm{power}}
              + \mathrm{lr\_end} \quad (W \le k \le T)

    after the linear warmup; ``lr_end`` (as ``base_lr * (lr_end / base_lr)``) for
    ``k > T``. ``lr_end`` must be below ``base_lr`` (transformers' check and message).
    ``num_warmup_steps == num_training_steps`` divides by zero in transformers
    and is rejected.

    Parameters
    ----------
    base_lr : float
    num_warmup_steps, num_training_steps : int
    lr_end : float
    power : float
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    base = check.real("base_lr", base_lr)
    end = check.real("lr_end", lr_end)
    if not base > end:
        raise ValueError(f"lr_end ({lr_end}) must be smaller than initial lr ({base_lr})")
    if base == 0:  # transformers divides lr_end by the initial lr (ZeroDivisionError)
        raise ValueError("base_lr must be non-zero: transformers divides lr_end by it")
    warm, total = _steps("num_warmup_steps", num_warmup_steps), _steps("num_training_steps", num_training_steps)
    if warm == total:
        raise ValueError(f"num_training_steps must differ from num_warmup_steps (the decay divides by their "
                         f"difference), got {total} and {warm}")
    p = check.real("power", power)
    segments = _warmup(base, warm)
    if total >= warm:
        segments.append(Segment(Kind.POLYNOMIAL, warm, (base, end, float(total - warm), p)))
    return segments + [Segment(Kind.CONSTANT, max(warm, total + 1), (base * (end / base),))]


@factory("compat.transformers.get_inverse_sqrt_schedule")
def get_inverse_sqrt_schedule(base_lr: float, num_warmup_steps: int, timescale: int | None = None,
                              last_epoch: int = -1) -> list[Segment]:
    r"""transformers ``get_inverse_sqrt_schedule``.

    .. math:: s(k) = \frac{\mathrm{base\_lr}}{\sqrt{(k - W + \tau)/\tau}} \quad (k \ge W)

    after the linear warmup; :math:`\tau` = ``timescale``, default
    ``num_warmup_steps`` or 10,000 when that is 0.

    Parameters
    ----------
    base_lr : float
    num_warmup_steps : int
    timescale : int, optional
        > 0.
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    base, warm = check.real("base_lr", base_lr), _steps("num_warmup_steps", num_warmup_steps)
    scale = (warm or 10_000) if timescale is None else check.real("timescale", timescale, low=0.0, low_open=True)
    return _warmup(base, warm) + [Segment(Kind.INVERSE_POWER, warm, (base, float(scale), 0.5))]


def _min_rate(base: float, min_lr: float | None, min_lr_rate: float | None) -> float:
    if min_lr is not None and min_lr_rate is not None:
        raise ValueError("Only one of min_lr or min_lr_rate should be set")
    if min_lr is not None:
        min_lr = check.real("min_lr", min_lr, low=0.0)
        if base == 0:  # transformers computes min_lr / lr (ZeroDivisionError)
            raise ValueError("base_lr must be non-zero with min_lr: transformers divides min_lr by it")
        return min_lr / base
    if min_lr_rate is None:
        raise ValueError("One of min_lr or min_lr_rate should be set through the `lr_scheduler_kwargs`")
    return check.real("min_lr_rate", min_lr_rate, low=0.0)


@factory("compat.transformers.get_cosine_with_min_lr_schedule_with_warmup")
def get_cosine_with_min_lr_schedule_with_warmup(base_lr: float, num_warmup_steps: int, num_training_steps: int,
                                                num_cycles: float = 0.5, last_epoch: int = -1,
                                                min_lr: float | None = None,
                                                min_lr_rate: float | None = None) -> list[Segment]:
    r"""transformers ``get_cosine_with_min_lr_schedule_with_warmup`` (rises past the end).

    With :math:`m` = ``min_lr_rate`` (or ``min_lr / base_lr``) and :math:`p` as in
    :func:`get_cosine_schedule_with_warmup`:

    .. math:: s(k) = \mathrm{base\_lr}\bigl(m + (1 - m)\,\tfrac12(1 + \cos 2\pi c\,p)\bigr) \quad (k \ge W)

    Parameters
    ----------
    <<transformers_min_lr_cosine>>
    min_lr, min_lr_rate : float, optional
        Exactly one (transformers' rule and messages).
    """
    base, warm, total = _warmup_training(base_lr, num_warmup_steps, num_training_steps, last_epoch)
    rate = _min_rate(base, min_lr, min_lr_rate)
    steps, turns = _cosine_turns(max(1, total - warm), _cycles(num_cycles))
    return _warmup(base, warm) + [Segment(Kind.HF_COSINE, warm, (base, base * rate, steps, turns))]


@factory("compat.transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate")
def get_cosine_with_min_lr_schedule_with_warmup_lr_rate(base_lr: float, num_warmup_steps: int,
                                                        num_training_steps: int, num_cycles: float = 0.5,
                                                        last_epoch: int = -1, min_lr: float | None = None,
                                                        min_lr_rate: float | None = None,
                                                        warmup_lr_rate: float | None = None) -> list[Segment]:
    r"""transformers ``get_cosine_with_min_lr_schedule_with_warmup_lr_rate`` (``cosine_warmup_with_min_lr``).

    Shifted by one step, as in transformers: warmup :math:`(k + 1)/W` (or
    :math:`r + (1 - r)\,k/\max(1, W - 1)` with ``warmup_lr_rate`` :math:`r`), then

    .. math:: s(k) = \mathrm{base\_lr}\bigl(m + (1 - m)\,\tfrac12(1 + \cos 2\pi c\,p)\bigr),\quad
              p = \frac{k - W + 1}{\max(1, T - W)}

    so the minimum comes at ``k = T - 1`` and the cosine rises again after it.

    Parameters
    ----------
    <<transformers_min_lr_cosine>>
    min_lr, min_lr_rate : float, optional
        Exactly one.
    warmup_lr_rate : float, optional
    """
    base, warm, total = _warmup_training(base_lr, num_warmup_steps, num_training_steps, last_epoch)
    rate = _min_rate(base, min_lr, min_lr_rate)
    segments = []
    if warm > 0 and warmup_lr_rate is None:
        segments.append(Segment(Kind.LINEAR, 0, (base / warm, base * (warm + 1.0) / warm, float(warm))))
    elif warm > 0:
        first = check.real("warmup_lr_rate", warmup_lr_rate)
        segments.append(Segment(Kind.LINEAR, 0, (base * first, base, float(max(1, warm - 1)))))
    steps, turns = _cosine_turns(max(1, total - warm), _cycles(num_cycles))
    return segments + [Segment(Kind.ANNEAL, warm, (base, base * rate, 1.0, 0.0, steps, 0.0, turns))]


_WSD_TYPES = ("linear", "cosine", "1-sqrt")


@factory("compat.transformers.get_wsd_schedule")
def get_wsd_schedule(base_lr: float, num_warmup_steps: int, num_decay_steps: int,
                     num_training_steps: int | None = None, num_stable_steps: int | None = None,
                     warmup_type: Cooldown = "linear", decay_type: Cooldown = "cosine", min_lr_ratio: float = 0,
                     num_cycles: float = 0.5, last_epoch: int = -1) -> list[Segment]:
    r"""transformers ``get_wsd_schedule`` (``warmup_stable_decay``).

    With :math:`m` = ``min_lr_ratio``, warmup progress :math:`p = k/W` and decay
    progress :math:`q = (k - W - S)/\max(1, D)`:

    .. math:: s(k) = \mathrm{base\_lr}\,(m + (1 - m) f)

    where :math:`f` is :math:`p`, :math:`\tfrac12(1 - \cos\pi p)` or :math:`1 - \sqrt{1 - p}`
    (warmup), 1 (stable, :math:`W \le k < W + S`), :math:`1 - q`,
    :math:`\tfrac12(1 + \cos 2\pi c\,q)` or :math:`1 - \sqrt q` (decay); ``base_lr * m``
    from :math:`W + S + D` on. :math:`S` defaults to ``T - W - D``; transformers'
    checks and messages are kept, and a negative :math:`S` is rejected.

    Parameters
    ----------
    base_lr : float
    num_warmup_steps, num_decay_steps : int
    num_training_steps, num_stable_steps : int, optional
        One of them (``num_stable_steps`` wins).
    warmup_type, decay_type : {"linear", "cosine", "1-sqrt"}
    min_lr_ratio : float
    num_cycles : float
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    if num_training_steps is None and num_stable_steps is None:
        raise ValueError("Either num_training_steps or num_stable_steps must be specified.")
    if warmup_type not in _WSD_TYPES:
        raise ValueError(f"Unknown warmup type: {warmup_type}, expected 'linear', 'cosine' or '1-sqrt'")
    if decay_type not in _WSD_TYPES:
        raise ValueError(f"Unknown decay type: {decay_type}, expected 'linear', 'cosine' or '1-sqrt'")
    base = check.real("base_lr", base_lr)
    warm, decay = _steps("num_warmup_steps", num_warmup_steps), _steps("num_decay_steps", num_decay_steps)
    if num_stable_steps is None:
        stable = _steps("num_training_steps", num_training_steps) - warm - decay
        if stable < 0:
            raise ValueError(f"num_training_steps must be >= num_warmup_steps + num_decay_steps, got "
                             f"{num_training_steps} < {warm} + {decay}")
    else:
        stable = _steps("num_stable_steps", num_stable_steps)
    ratio = check.real("min_lr_ratio", min_lr_ratio, low=0.0)
    low = base * ratio
    segments = []
    if warm > 0:
        span = float(max(1, warm))
        if warmup_type == "linear":
            segments.append(Segment(Kind.LINEAR, 0, (low, base, span)))
        elif warmup_type == "cosine":
            segments.append(Segment(Kind.COSINE, 0, (low, base, span)))
        else:
            segments.append(Segment(Kind.POLYNOMIAL, 0, (low, base, span, 0.5)))
    segments.append(Segment(Kind.CONSTANT, warm, (base,)))
    begin = warm + stable
    if decay > 0:
        if decay_type == "linear":
            segments.append(Segment(Kind.LINEAR, begin, (base, low, float(decay))))
        elif decay_type == "cosine":
            segments.append(Segment(Kind.HF_COSINE, begin, (base, low, *_cosine_turns(decay, _cycles(num_cycles)))))
        else:
            segments.append(Segment(Kind.ONE_MINUS_SQRT, begin, (base, low, float(decay))))
    return segments + [Segment(Kind.CONSTANT, begin + decay, (low,))]


def get_reduce_on_plateau_schedule(base_lr: float, **kwargs: Any) -> ReduceLROnPlateau:
    """transformers ``get_reduce_on_plateau_schedule``: a torch :class:`ReduceLROnPlateau` controller."""
    return ReduceLROnPlateau(base_lr, **kwargs)


def get_greedy_schedule(base_lr: float, **kwargs: Any) -> GreedyLR:
    """transformers ``get_greedy_schedule``: a :class:`GreedyLR` controller."""
    return GreedyLR(base_lr, **kwargs)


SCHEDULER_NAMES = ("linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
                   "inverse_sqrt", "reduce_lr_on_plateau", "cosine_with_min_lr", "cosine_warmup_with_min_lr",
                   "warmup_stable_decay", "greedy")
"""Every ``SchedulerType`` of transformers 5.24.0."""

_NEEDS_TRAINING: dict[str, Callable[..., Schedule]] = {
    "linear": get_linear_schedule_with_warmup,
    "cosine": get_cosine_schedule_with_warmup,
    "cosine_with_restarts": get_cosine_with_hard_restarts_schedule_with_warmup,
    "polynomial": get_polynomial_decay_schedule_with_warmup,
    "cosine_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup,
    "cosine_warmup_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
}


def get_scheduler(name: str, base_lr: float, num_warmup_steps: int | None = None,
                  num_training_steps: int | None = None,
                  scheduler_specific_kwargs: Mapping[str, Any] | None = None
                  ) -> Schedule | ReduceLROnPlateau | GreedyLR:
    """transformers ``get_scheduler`` (transformers 5.24.0) with ``base_lr=`` for the optimizer.

    Dispatches like transformers: ``"constant"`` ignores every other argument;
    ``"reduce_lr_on_plateau"`` and ``"greedy"`` pass ``scheduler_specific_kwargs``
    to a metric-driven controller; the others need ``num_warmup_steps`` (and,
    except ``constant_with_warmup``, ``inverse_sqrt`` and ``warmup_stable_decay``,
    ``num_training_steps``) and pass ``scheduler_specific_kwargs`` on. Returns
    the schedule of the matching ``get_*`` function of this module.

    Parameters
    ----------
    name : str
        One of :data:`SCHEDULER_NAMES`.
    base_lr : float
        The optimizer's lr.
    num_warmup_steps, num_training_steps : int, optional
    scheduler_specific_kwargs : dict, optional

    Raises
    ------
    ValueError
        Unknown name, missing step counts, or arguments the schedule rejects.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    if name not in SCHEDULER_NAMES:
        raise ValueError(f"{name!r} is not a valid SchedulerType: name must be one of "
                         f"{', '.join(map(repr, SCHEDULER_NAMES))}")
    if name == "constant":
        return get_constant_schedule(base_lr)
    kwargs = dict(scheduler_specific_kwargs or {})
    if name == "reduce_lr_on_plateau":
        return ReduceLROnPlateau(base_lr, **kwargs)
    if name == "greedy":
        return GreedyLR(base_lr, **kwargs)
    if num_warmup_steps is None:
        raise ValueError(f"{name} requires `num_warmup_steps`, please provide that argument.")
    if name == "constant_with_warmup":
        return get_constant_schedule_with_warmup(base_lr, num_warmup_steps=num_warmup_steps)
    if name == "inverse_sqrt":
        return get_inverse_sqrt_schedule(base_lr, num_warmup_steps=num_warmup_steps, **kwargs)
    if name == "warmup_stable_decay":
        return get_wsd_schedule(base_lr, num_warmup_steps=num_warmup_steps,
                                num_training_steps=num_training_steps, **kwargs)
    if num_training_steps is None:
        raise ValueError(f"{name} requires `num_training_steps`, please provide that argument.")
    return _NEEDS_TRAINING[name](base_lr, num_warmup_steps=num_warmup_steps,
                                 num_training_steps=num_training_steps, **kwargs)
