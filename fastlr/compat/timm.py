"""timm.scheduler under its own names (peer: timm 1.0.31).

Each constructor takes ``base_lr=`` where timm takes the optimizer and keeps
timm's other keyword arguments. ``s(t)`` is the lr that timm sets with
``scheduler.step(epoch=t)`` (or ``step_update(num_updates=t)`` when
``t_in_epochs=False``: the formula is the same, ``t_in_epochs`` only says which
of the two calls drives it). timm schedulers are stateless in ``t``.

The lr right after timm's constructor (before any ``step``) is
``warmup_lr_init`` if ``warmup_t > 0`` else ``base_lr``: :func:`initial_value`.
In timm's training loop epoch 0 runs with that value and epoch ``e >= 1`` with ``s(e)``.

Quirks reproduced (timm 1.0.31):

* the cycle index of ``cycle_mul != 1`` is ``floor(log(1 - t/T (1 - m), m))`` in
  floating point, so a restart that should fall exactly on a step may come one
  step late or early: fastlr computes the same float expression;
* past ``cycle_limit`` cycles the lr holds ``lr_min``;
* ``warmup_prefix=False`` overlays the warmup on the first steps of the first
  cycle (``TanhLRScheduler``'s warmup then ends at the tanh value at ``warmup_t``);
* ``MultiStepLRScheduler`` applies milestone ``m`` from ``t = m - 1``;
  ``Step``/``MultiStep`` default ``decay_rate=1`` (constant) and
  ``warmup_prefix=True``; a float ``decay_t`` works (``t // decay_t``).

timm validates with ``assert`` (``AssertionError``); fastlr raises ``ValueError``
for the same conditions, and also where timm would fail later (``cycle_mul <= 0``,
``k_decay < 0``, ``decay_t <= 0``). With ``0 < cycle_mul < 1`` the cycles shrink
and timm's ``log`` fails once ``t >= t_initial / (1 - cycle_mul)``; fastlr holds
``lr_min`` from there. Noise (``noise_range_t``) is not supported.
"""

from __future__ import annotations

import bisect
import math
from typing import Any, Callable, Sequence

from .. import _validate as check
from .._kinds import WSD_DECAY_FNS, Kind
from .._spec import Schedule, Segment, evaluate, factory
from .._typing import WsdDecayFn, WsdStableFn
from ._plateau import PlateauLRScheduler

__all__ = ["CosineLRScheduler", "TanhLRScheduler", "StepLRScheduler", "MultiStepLRScheduler",
           "PolyLRScheduler", "WSDLRScheduler", "PlateauLRScheduler", "initial_value"]

PEER = "timm 1.0.31"
_MAX_STEP = 2**62


def initial_value(schedule: Schedule) -> float:
    """The lr right after the timm constructor: ``warmup_lr_init`` if ``warmup_t > 0`` else ``base_lr``.

    Parameters
    ----------
    schedule : Schedule
        A ``fastlr.compat.timm`` schedule.
    """
    if not isinstance(schedule, Schedule) or not schedule.name.startswith("compat.timm."):
        raise TypeError(f"schedule must be a fastlr.compat.timm schedule, got {schedule!r}")
    args = schedule.args
    return float(args["warmup_lr_init"]) if args["warmup_t"] > 0 else float(args["base_lr"])


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _positive(name: str, value: Any) -> float:
    return check.real(name, value, low=0.0, low_open=True)


def _common(base_lr: Any, warmup_t: Any, warmup_lr_init: Any, t_in_epochs: Any, noise_range_t: Any,
            initialize: Any) -> tuple[float, int, float]:
    check.boolean("t_in_epochs", t_in_epochs)
    check.boolean("initialize", initialize)
    if noise_range_t is not None:
        raise ValueError("noise_range_t must be None: fastlr does not reproduce timm's random noise")
    return (check.real("base_lr", base_lr), check.integer("warmup_t", warmup_t),
            check.real("warmup_lr_init", warmup_lr_init))


def _warmup(warmup_t: int, init: float, end: float) -> list[Segment]:
    """timm's warmup ``init + t * (end - init) / warmup_t`` for ``t < warmup_t``."""
    return [Segment(Kind.LINEAR, 0, (init, end, float(warmup_t)))] if warmup_t > 0 else []


def _cycle_index(t: int, period: float, mult: float) -> float:
    """timm's cycle index at ``t`` (``inf`` where timm's ``log`` has no value)."""
    if mult != 1.0:
        x = 1.0 - t / period * (1.0 - mult)
        return math.floor(math.log(x) / math.log(mult)) if x > 0.0 else math.inf
    return math.floor(t / period) - (math.floor(t / period) * period > t)


def _cycles_end(period: float, mult: float, limit: int) -> int | None:
    """First ``t`` whose cycle index reaches ``limit`` (then timm returns lr_min), or None."""
    if _cycle_index(0, period, mult) >= limit:
        return 0
    if _cycle_index(_MAX_STEP, period, mult) < limit:
        return None
    low, high = 0, _MAX_STEP
    while high - low > 1:
        middle = (low + high) // 2
        if _cycle_index(middle, period, mult) >= limit:
            high = middle
        else:
            low = middle
    return high


def _cycles(kind: Kind, params: Callable[[float], tuple[float, ...]], base: float, lr_min: float,
            t_initial: float, cycle_mul: float, cycle_limit: int, warmup_t: int, warmup_lr_init: float,
            warmup_prefix: bool, warmup_end: float | None = None) -> list[Segment]:
    """Warmup, then ``kind`` over timm's cycles from ``warmup_t`` on, then ``lr_min``."""
    offset = 0 if warmup_prefix else warmup_t
    end = _cycles_end(t_initial, cycle_mul, cycle_limit)
    segments = _warmup(warmup_t, warmup_lr_init, base if warmup_end is None else warmup_end)
    if end is None or end + (warmup_t - offset) > warmup_t:
        segments.append(Segment(kind, warmup_t, params(float(offset))))
    if end is not None:
        segments.append(Segment(Kind.CONSTANT, max(end + warmup_t - offset, warmup_t), (lr_min,)))
    return segments


def _cycle_args(t_initial: Any, lr_min: Any, cycle_mul: Any, cycle_decay: Any,
                cycle_limit: Any) -> tuple[float, float, float, float, int]:
    t_initial = check.real("t_initial", t_initial)
    _require(t_initial > 0, f"t_initial must be > 0, got {t_initial!r}")
    lr_min = check.real("lr_min", lr_min)
    _require(lr_min >= 0, f"lr_min must be >= 0, got {lr_min!r}")
    mult = _positive("cycle_mul", cycle_mul)
    return t_initial, lr_min, mult, check.real("cycle_decay", cycle_decay), \
        check.integer("cycle_limit", cycle_limit, -(2**63))


@factory("compat.timm.CosineLRScheduler")
def CosineLRScheduler(base_lr: float, t_initial: float, lr_min: float = 0.0, cycle_mul: float = 1.0,
                      cycle_decay: float = 1.0, cycle_limit: int = 1, warmup_t: int = 0,
                      warmup_lr_init: float = 0.0, warmup_prefix: bool = False, t_in_epochs: bool = True,
                      noise_range_t: None = None, noise_pct: float = 0.67, noise_std: float = 1.0,
                      noise_seed: int = 42, k_decay: float = 1.0, initialize: bool = True) -> list[Segment]:
    r"""timm ``CosineLRScheduler`` (timm 1.0.31): SGDR with warmup, cycle growth/decay and k-decay.

    Warmup: ``warmup_lr_init + t * (base_lr - warmup_lr_init) / warmup_t`` for
    ``t < warmup_t``. Then, with ``t`` shifted by ``warmup_t`` if ``warmup_prefix``,
    cycle :math:`i` (timm's float-log index), its length :math:`T_i` and the
    position :math:`\tau` in it:

    .. math:: s(t) = \mathrm{lr\_min} + \tfrac12(\mathrm{base\_lr}\,d^{\,i} - \mathrm{lr\_min})
              \bigl(1 + \cos(\pi \tau^{k} / T_i^{k})\bigr)

    for :math:`i <` ``cycle_limit``, else ``lr_min``. See the module docstring
    for the quirks reproduced.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    t_initial : float
        Length of the first cycle (> 0).
    lr_min : float
        Floor (>= 0).
    cycle_mul, cycle_decay : float
        Growth of the cycle length (> 0) and factor on the peak per cycle.
    cycle_limit : int
        Number of cycles before holding ``lr_min``.
    warmup_t : int
    warmup_lr_init : float
    warmup_prefix : bool
    t_in_epochs : bool
        Which timm call drives it (no effect on values).
    noise_range_t : None
    noise_pct, noise_std, noise_seed :
        Accepted for signature compatibility.
    k_decay : float
        k-decay exponent (>= 0).
    initialize : bool
    """
    base, warm, init = _common(base_lr, warmup_t, warmup_lr_init, t_in_epochs, noise_range_t, initialize)
    period, low, mult, decay, limit = _cycle_args(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit)
    k = check.real("k_decay", k_decay, low=0.0)
    return _cycles(Kind.TIMM_COSINE, lambda off: (base, low, period, mult, decay, k, off), base, low, period,
                   mult, limit, warm, init, check.boolean("warmup_prefix", warmup_prefix))


@factory("compat.timm.PolyLRScheduler")
def PolyLRScheduler(base_lr: float, t_initial: float, power: float = 0.5, lr_min: float = 0.0,
                    cycle_mul: float = 1.0, cycle_decay: float = 1.0, cycle_limit: int = 1, warmup_t: int = 0,
                    warmup_lr_init: float = 0.0, warmup_prefix: bool = False, t_in_epochs: bool = True,
                    noise_range_t: None = None, noise_pct: float = 0.67, noise_std: float = 1.0,
                    noise_seed: int = 42, k_decay: float = 1.0, initialize: bool = True) -> list[Segment]:
    r"""timm ``PolyLRScheduler`` (timm 1.0.31): polynomial decay over timm's cycles.

    As :func:`CosineLRScheduler`, with the cycle shape

    .. math:: s(t) = \mathrm{lr\_min} + (\mathrm{base\_lr}\,d^{\,i} - \mathrm{lr\_min})
              \,(1 - \tau^{k}/T_i^{k})^{\mathrm{power}}

    Parameters
    ----------
    base_lr : float
    t_initial : float
    power : float
    lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init, warmup_prefix,
    t_in_epochs, noise_range_t, noise_pct, noise_std, noise_seed, k_decay, initialize :
        As :func:`CosineLRScheduler`.
    """
    base, warm, init = _common(base_lr, warmup_t, warmup_lr_init, t_in_epochs, noise_range_t, initialize)
    period, low, mult, decay, limit = _cycle_args(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit)
    k = check.real("k_decay", k_decay, low=0.0)
    p = check.real("power", power)
    return _cycles(Kind.TIMM_POLY, lambda off: (base, low, period, mult, decay, k, p, off), base, low, period,
                   mult, limit, warm, init, check.boolean("warmup_prefix", warmup_prefix))


@factory("compat.timm.TanhLRScheduler")
def TanhLRScheduler(base_lr: float, t_initial: float, lb: float = -7.0, ub: float = 3.0, lr_min: float = 0.0,
                    cycle_mul: float = 1.0, cycle_decay: float = 1.0, cycle_limit: int = 1, warmup_t: int = 0,
                    warmup_lr_init: float = 0.0, warmup_prefix: bool = False, t_in_epochs: bool = True,
                    noise_range_t: None = None, noise_pct: float = 0.67, noise_std: float = 1.0,
                    noise_seed: int = 42, initialize: bool = True) -> list[Segment]:
    r"""timm ``TanhLRScheduler`` (timm 1.0.31): hyperbolic-tangent decay over timm's cycles.

    As :func:`CosineLRScheduler`, with :math:`r = \tau / T_i` and the cycle shape

    .. math:: s(t) = \mathrm{lr\_min} + \tfrac12(\mathrm{base\_lr}\,d^{\,i} - \mathrm{lr\_min})
              \bigl(1 - \tanh(\mathrm{lb}(1 - r) + \mathrm{ub}\,r)\bigr)

    With ``warmup_prefix=False`` the warmup ends at the tanh value at
    ``warmup_t`` (timm's quirk). timm's asserts (``lb < ub``, ``cycle_limit >= 0``,
    ``warmup_t >= 0``, ``warmup_lr_init >= 0``) raise ``ValueError``.

    Parameters
    ----------
    base_lr : float
    t_initial : float
    lb, ub : float
        Ends of the tanh argument (``lb < ub``).
    lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init, warmup_prefix,
    t_in_epochs, noise_range_t, noise_pct, noise_std, noise_seed, initialize :
        As :func:`CosineLRScheduler`.
    """
    base, warm, init = _common(base_lr, warmup_t, warmup_lr_init, t_in_epochs, noise_range_t, initialize)
    period, low, mult, decay, limit = _cycle_args(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit)
    lb, ub = check.real("lb", lb), check.real("ub", ub)
    _require(lb < ub, f"lb must be < ub, got lb={lb!r}, ub={ub!r}")
    _require(limit >= 0, f"cycle_limit must be >= 0, got {limit}")
    _require(init >= 0, f"warmup_lr_init must be >= 0, got {init!r}")
    prefix = check.boolean("warmup_prefix", warmup_prefix)
    params = lambda off: (base, low, period, mult, decay, lb, ub, off)  # noqa: E731
    end = None
    if warm and not prefix:
        head = _cycles(Kind.TIMM_TANH, params, base, low, period, mult, limit, 0, init, True)
        end = evaluate(head, warm)
    return _cycles(Kind.TIMM_TANH, params, base, low, period, mult, limit, warm, init, prefix, end)


@factory("compat.timm.StepLRScheduler")
def StepLRScheduler(base_lr: float, decay_t: float, decay_rate: float = 1.0, warmup_t: int = 0,
                    warmup_lr_init: float = 0.0, warmup_prefix: bool = True, t_in_epochs: bool = True,
                    noise_range_t: None = None, noise_pct: float = 0.67, noise_std: float = 1.0,
                    noise_seed: int = 42, initialize: bool = True) -> list[Segment]:
    r"""timm ``StepLRScheduler`` (timm 1.0.31).

    .. math:: s(t) = \mathrm{base\_lr}\cdot\mathrm{decay\_rate}^{\lfloor t / \mathrm{decay\_t}\rfloor}

    after the warmup (``t`` counted from ``warmup_t`` when ``warmup_prefix``, timm's
    default here). ``decay_rate`` defaults to 1 (constant), as in timm.
    ``decay_t <= 0`` (timm divides by zero) raises ``ValueError``; so does a
    non-integer ``decay_t`` with ``warmup_prefix=False`` and a warmup, which
    fastlr does not reproduce.

    Parameters
    ----------
    base_lr : float
    decay_t : float
        Period of the decay (> 0; may be a float).
    decay_rate : float
    warmup_t, warmup_lr_init, warmup_prefix, t_in_epochs, noise_range_t, noise_pct, noise_std,
    noise_seed, initialize :
        As :func:`CosineLRScheduler`.
    """
    base, warm, init = _common(base_lr, warmup_t, warmup_lr_init, t_in_epochs, noise_range_t, initialize)
    period = _positive("decay_t", decay_t)
    rate = check.real("decay_rate", decay_rate)
    prefix = check.boolean("warmup_prefix", warmup_prefix)
    segments = _warmup(warm, init, base)
    if prefix or warm == 0:
        return segments + [Segment(Kind.EXPONENTIAL, warm, (base, rate, period, 1.0, -math.inf, math.inf))]
    if period != int(period):
        raise ValueError("decay_t must be an integer when warmup_prefix=False and warmup_t > 0 "
                         f"(not reproduced by fastlr), got {period!r}")
    aligned = -(-warm // int(period)) * int(period)
    if aligned > warm:
        segments.append(Segment(Kind.CONSTANT, warm, (base * check.power("decay_rate", rate, warm // period),)))
    top = base * check.power("decay_rate", rate, aligned // period)
    return segments + [Segment(Kind.EXPONENTIAL, aligned, (top, rate, period, 1.0, -math.inf, math.inf))]


@factory("compat.timm.MultiStepLRScheduler")
def MultiStepLRScheduler(base_lr: float, decay_t: Sequence[int], decay_rate: float = 1.0, warmup_t: int = 0,
                         warmup_lr_init: float = 0.0, warmup_prefix: bool = True, t_in_epochs: bool = True,
                         noise_range_t: None = None, noise_pct: float = 0.67, noise_std: float = 1.0,
                         noise_seed: int = 42, initialize: bool = True) -> list[Segment]:
    r"""timm ``MultiStepLRScheduler`` (timm 1.0.31): milestone ``m`` applies from ``t = m - 1``.

    .. math:: s(t) = \mathrm{base\_lr}\cdot\mathrm{decay\_rate}^{\#\{m \in \mathrm{decay\_t}: m \le t + 1\}}

    after the warmup (``t`` counted from ``warmup_t`` when ``warmup_prefix``).
    So ``decay_t=[1]`` already decays at ``t = 0`` while :func:`initial_value` is
    ``base_lr``. Repeated entries apply ``decay_rate`` once each. timm counts the
    milestones with ``bisect_right`` on the list as given, and so does fastlr: an
    unsorted ``decay_t`` gives timm's values (``[30, 10]`` decays twice at
    ``t = 9`` and never at 30).

    Parameters
    ----------
    base_lr : float
    decay_t : sequence of int
        Milestones (timm assumes them sorted; any order gives timm's values).
    decay_rate : float
    warmup_t, warmup_lr_init, warmup_prefix, t_in_epochs, noise_range_t, noise_pct, noise_std,
    noise_seed, initialize :
        As :func:`CosineLRScheduler`.
    """
    base, warm, init = _common(base_lr, warmup_t, warmup_lr_init, t_in_epochs, noise_range_t, initialize)
    marks = [check.integer(f"decay_t[{i}]", m, -(2**63)) for i, m in enumerate(check.sequence("decay_t", decay_t))]
    rate = check.real("decay_rate", decay_rate)
    shift = warm if check.boolean("warmup_prefix", warmup_prefix) else 0
    segments = _warmup(warm, init, base)
    starts = sorted({warm} | {m - 1 + shift for m in marks if m - 1 + shift > warm})
    for start in starts:
        count = bisect.bisect_right(marks, start - shift + 1)
        segments.append(Segment(Kind.CONSTANT, start, (base * check.power("decay_rate", rate, count),)))
    return segments


@factory("compat.timm.WSDLRScheduler")
def WSDLRScheduler(base_lr: float, t_initial: int, decay_t: int, lr_min: float = 0.0,
                   stable_fn: WsdStableFn = "constant", stable_timescale: float | None = None, stable_power: float = 0.5,
                   decay_fn: WsdDecayFn = "1-sqrt", decay_power: float = 0.5, decay_ratio: float = 0.1,
                   warmup_t: int = 0, warmup_lr_init: float = 0.0, t_in_epochs: bool = True,
                   noise_range_t: None = None, noise_pct: float = 0.67, noise_std: float = 1.0,
                   noise_seed: int = 42, initialize: bool = True) -> list[Segment]:
    r"""timm ``WSDLRScheduler`` (timm 1.0.31): warmup, stable phase, cooldown.

    After the warmup, with :math:`t_s = t -` ``warmup_t``, the stable lr is
    :math:`S = \max(\mathrm{base\_lr}\cdot g(t_s), \mathrm{lr\_min})`, where
    :math:`g = 1` (``"constant"``) or :math:`(1 + t_s/\mathrm{timescale})^{-p}`
    (``"rsqrt"``: :math:`p = 1/2`; ``"power"``: ``stable_power``). The cooldown
    starts at :math:`t_s = T - D` (``t_initial - decay_t``):

    .. math:: s(t) = \mathrm{lr\_min} + (S - \mathrm{lr\_min})\,d(f),\quad
              f = \min\bigl((t_s - T + D)/D, 1\bigr)

    with :math:`d(f) = 1 - f`, :math:`1 - \sqrt f`, :math:`\tfrac12(1 + \cos\pi f)`,
    :math:`1 - f^{\mathrm{decay\_power}}` or :math:`(r^f - r)/(1 - r)` (``"exp"``,
    :math:`r` = ``decay_ratio``); ``lr_min`` from ``warmup_t + t_initial`` on.
    timm's validation and messages are kept; a callable ``decay_fn`` is not
    supported (``TypeError``).

    Parameters
    ----------
    base_lr : float
    t_initial : int
        Steps after the warmup until the end of the cooldown (> 0).
    decay_t : int
        Length of the cooldown, in (0, t_initial].
    lr_min : float
    stable_fn : {"constant", "rsqrt", "power"}
    stable_timescale : float, optional
        Default ``warmup_t``; must be > 0 unless ``stable_fn="constant"``.
    stable_power : float
    decay_fn : {"linear", "1-sqrt", "cosine", "power", "exp"}
    decay_power, decay_ratio : float
    warmup_t, warmup_lr_init, t_in_epochs, noise_range_t, noise_pct, noise_std, noise_seed, initialize :
        As :func:`CosineLRScheduler`.
    """
    base, warm, init = _common(base_lr, warmup_t, warmup_lr_init, t_in_epochs, noise_range_t, initialize)
    total = check.real("t_initial", t_initial)
    _require(total > 0, f"Invalid t_initial ({t_initial}), must be > 0.")
    decay = check.real("decay_t", decay_t)
    _require(0 < decay <= total, f"Invalid decay_t ({decay_t}), must be in (0, t_initial] w/ t_initial={t_initial}.")
    low = check.real("lr_min", lr_min)
    _require(low >= 0, f"Invalid lr_min ({lr_min}), must be >= 0.")
    _require(stable_fn in ("constant", "rsqrt", "power"),
             f"Invalid stable_fn ({stable_fn}), must be one of ('constant', 'rsqrt', 'power').")
    if callable(decay_fn):
        raise TypeError("decay_fn must be one of the named shapes: a callable cannot be part of a fastlr schedule")
    _require(decay_fn in WSD_DECAY_FNS, f"Invalid decay_fn ({decay_fn}), must be one of {WSD_DECAY_FNS} or a callable.")
    ratio = check.real("decay_ratio", decay_ratio)
    _require(0.0 < ratio < 1.0, f"Invalid decay_ratio ({decay_ratio}), must be in (0, 1).")
    dpower = check.real("decay_power", decay_power)
    _require(dpower > 0, f"Invalid decay_power ({decay_power}), must be > 0.")
    spower = check.real("stable_power", stable_power)
    _require(spower > 0, f"Invalid stable_power ({stable_power}), must be > 0.")
    timescale = 0.0
    if stable_fn != "constant":
        timescale = check.real("stable_timescale", warm if stable_timescale is None else stable_timescale)
        _require(timescale > 0, f"stable_fn={stable_fn} requires a positive stable_timescale, it defaults to "
                                f"warmup_t ({warm}), set it explicitly when there is no warmup.")
    power = 0.5 if stable_fn == "rsqrt" else spower
    code = WSD_DECAY_FNS.index(decay_fn)
    param = dpower if decay_fn == "power" else ratio
    segments = _warmup(warm, init, base)
    segments.append(Segment(Kind.TIMM_WSD, warm, (base, low, timescale, power, total - decay, decay,
                                                  float(code), param)))
    return segments + [Segment(Kind.CONSTANT, warm + math.ceil(total), (low,))]
