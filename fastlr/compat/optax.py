"""optax schedules (``optax.schedules``), value for value.

Peer: optax 0.2.8 on JAX 0.10 (CPU, ``jax_enable_x64`` off), called eagerly
with a Python int count: the value at count ``k`` is what update ``k + 1``
uses. optax computes in float32 through JAX's type promotion, which decides
where Python arithmetic (double) ends and float32 begins: ``init - end`` of a
polynomial and ``1 - alpha`` of a cosine are Python subtractions rounded once
to float32, ``count / transition_steps`` of an exponential decay is a Python
division, everything else is float32 arithmetic in optax's order. Integer
exponents use ``jax.lax.integer_pow`` (repeated float32 multiplication),
float exponents ``pow``; transcendentals are rounded correctly to float32 and
subnormals are flushed, as XLA:CPU does. On the golden tables 5,517 of 5,523
values are bit-exact; the others are one ulp off where XLA's ``cos`` is not
correctly rounded.

Where optax short-circuits and returns the Python number it was given
(``constant_schedule``; ``transition_steps <= 0``; ``decay_rate == 0``;
``piecewise_constant_schedule`` without boundaries), the schedule is that
float64 number. Inside ``join_schedules`` (and the warmup/sgdr schedules built
on it) every value is float32, as ``jnp.where`` makes it.

Counts, boundaries and step arguments are integers here (optax's annotations);
``join_schedules`` takes schedules from this module.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .. import _validate as check
from .._kinds import PARAMS, Kind
from .._spec import Schedule, Segment, factory
from .._typing import Interpolation
from . import _f32

__all__ = [
    "constant_schedule", "linear_schedule", "polynomial_schedule", "piecewise_constant_schedule",
    "exponential_decay", "cosine_decay_schedule", "piecewise_interpolate_schedule",
    "linear_onecycle_schedule", "cosine_onecycle_schedule", "warmup_constant_schedule",
    "warmup_cosine_decay_schedule", "warmup_exponential_decay_schedule", "sgdr_schedule",
    "join_schedules",
]

_BEGIN = {kind: PARAMS[kind].index("begin") for kind in PARAMS if "begin" in PARAMS[kind]}
_COSINE_KEYS = ("init_value", "peak_value", "warmup_steps", "decay_steps", "end_value", "exponent")


# ---------------------------------------------------------------- segment builders

def _constant(value: Any, name: str) -> list[Segment]:
    return [Segment(Kind.CONSTANT, 0, (_f32.real(name, value),))]


def _exponent(name: str, value: Any) -> tuple[float, float]:
    """(exponent, 1.0 if it is a Python int, for integer_pow)."""
    if _f32.is_int(value):
        return float(int(value)), 1.0
    return _f32.f32(_f32.real(name, value)), 0.0


def _polynomial(init_value: Any, end_value: Any, power: Any, transition_steps: Any,
                transition_begin: Any) -> list[Segment]:
    init = _f32.number("init_value", init_value)
    end = _f32.number("end_value", end_value)
    exponent, integral = _exponent("power", power)
    steps = _f32.integral("transition_steps", transition_steps)
    begin = _f32.integral("transition_begin", transition_begin)
    if steps <= 0:
        return _constant(init, "init_value")
    params = (_f32.daz(init - end), _f32.daz(end), exponent, float(steps), float(max(begin, 0)),
              integral)
    return [Segment(Kind.F32_OPTAX_POLYNOMIAL, 0, params)]


def _exponential(init_value: Any, transition_steps: Any, decay_rate: Any, transition_begin: Any,
                 staircase: Any, end_value: Any) -> list[Segment]:
    init = _f32.real("init_value", init_value)
    steps = _f32.integral("transition_steps", transition_steps)
    rate = _f32.real("decay_rate", decay_rate)
    begin = _f32.integral("transition_begin", transition_begin)
    flag = float(check.boolean("staircase", staircase))
    low, high = -math.inf, math.inf
    if end_value is not None:
        bound = _f32.daz(_f32.real("end_value", end_value))
        low, high = (bound, high) if rate < 1.0 else (low, bound)
    if steps <= 0 or rate == 0:
        return _constant(init, "init_value")
    params = (_f32.daz(init), _f32.daz(rate), float(steps), float(max(begin, 0)), flag, low, high)
    return [Segment(Kind.F32_OPTAX_EXPONENTIAL, 0, params)]


def _cosine(init_value: Any, decay_steps: Any, alpha: Any, exponent: Any) -> list[Segment]:
    init = _f32.real("init_value", init_value)
    steps = _f32.real("decay_steps", decay_steps)
    if not steps > 0:
        raise ValueError(
            f"The cosine_decay_schedule requires positive decay_steps, got decay_steps={decay_steps!r}.")
    alpha = _f32.number("alpha", alpha)
    power, integral = _exponent("exponent", exponent)
    params = (_f32.daz(init), _f32.daz(steps), _f32.daz(1 - alpha), _f32.daz(alpha), power, integral,
              0.0)
    return [Segment(Kind.F32_OPTAX_COSINE, 0, params)]


def _scales(name: str, mapping: Any) -> list[tuple[int, float]]:
    """The (boundary, scale) pairs of a ``boundaries_and_scales`` dict, sorted."""
    if not isinstance(mapping, Mapping):
        raise TypeError(f"{name} must be a dict {{step: scale}}, got {type(mapping).__name__}")
    pairs = [(_f32.integral(f"{name} key", k), _f32.real(f"{name}[{k!r}]", v))
             for k, v in mapping.items()]
    return sorted(pairs)


def _interpolate(interpolate_type: Any, init_value: Any, boundaries_and_scales: Any) -> list[Segment]:
    if interpolate_type not in ("linear", "cosine"):
        raise ValueError("`interpolate_type` must be either 'cosine' or 'linear'")
    init = _f32.real("init_value", init_value)
    pairs = _scales("boundaries_and_scales", boundaries_and_scales) if boundaries_and_scales else []
    if any(scale < 0.0 for _, scale in pairs):
        raise ValueError("`piecewise_interpolate_schedule` expects non-negative scale factors")
    bounds = [0] + [b for b, _ in pairs]
    with np.errstate(all="ignore"):
        levels = [np.float32(init)]
        for _, scale in pairs:  # jnp.cumprod of the float32 scales
            levels.append(_f32.fz(levels[-1] * np.float32(scale)))
    cosine = float(interpolate_type == "cosine")
    segments = []
    for i, (low, high) in enumerate(zip(bounds[:-1], bounds[1:])):
        if high > low and high > 0:
            start = max(low, 0)
            params = (float(levels[i]), float(levels[i + 1]), float(high - low), cosine,
                      float(low - start))
            segments.append(Segment(Kind.F32_OPTAX_INTERPOLATE, start, params))
    segments.append(Segment(Kind.CONSTANT, max(bounds[-1], 0), (_f32.flush(levels[-1]),)))
    return segments


def _rebased(segment: Segment, shift: int) -> Segment:
    """``segment`` evaluated ``shift`` steps further into its own formula."""
    if shift == 0 or segment.kind == Kind.CONSTANT:
        return segment
    index = _BEGIN[segment.kind]
    params = list(segment.params)
    params[index] -= shift
    return segment._replace(params=tuple(params))


def _as_float32(segment: Segment) -> Segment:
    """jnp.where turns a Python-number child into float32."""
    if segment.kind == Kind.CONSTANT:
        return segment._replace(params=(_f32.f32(segment.params[0]),))
    return segment


def _join(children: Sequence[list[Segment]], boundaries: Sequence[int]) -> list[Segment]:
    """optax join_schedules: child j from boundary j on, evaluated at ``step - boundary``.

    Like optax's chain of ``jnp.where(step < b, output, child(step - b))``,
    the last pair whose boundary is reached wins (boundaries need not increase).
    """
    pairs = list(zip([0, *boundaries], children))
    if len(pairs) == 1:
        return children[0]
    starts = sorted({0} | {max(b, 0) for b, _ in pairs})
    result: list[Segment] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else None
        offset, child = [(b, c) for b, c in pairs if b <= start][-1]
        for j, seg in enumerate(child):
            seg_start = seg.start + offset
            seg_end = child[j + 1].start + offset if j + 1 < len(child) else None
            begin = max(seg_start, start)
            if (end is not None and begin >= end) or (seg_end is not None and begin >= seg_end):
                continue
            piece = _rebased(seg, begin - seg_start)
            result.append(_as_float32(piece._replace(start=begin)))
    merged: list[Segment] = []
    for seg in result:  # a child may continue across region starts: keep one segment
        if merged and seg.start == merged[-1].start:
            merged[-1] = seg
        else:
            merged.append(seg)
    return merged


def _warmup_cosine(init_value: Any, peak_value: Any, warmup_steps: Any, decay_steps: Any,
                   end_value: Any, exponent: Any) -> list[Segment]:
    peak = _f32.real("peak_value", peak_value)
    end = _f32.number("end_value", end_value)
    warmup = _f32.integral("warmup_steps", warmup_steps)
    total = _f32.integral("decay_steps", decay_steps)
    alpha = 0.0 if peak == 0.0 else end / peak
    children = [_polynomial(init_value, peak_value, 1, warmup, 0),
                _cosine(peak_value, total - warmup, alpha, exponent)]
    return _join(children, [warmup])


def _schedule_segments(name: str, value: Any) -> list[Segment]:
    if not isinstance(value, Schedule) or not value.name.startswith("compat.optax."):
        raise TypeError(f"{name} must be a fastlr.compat.optax schedule, got {type(value).__name__}")
    return value.segments()


# ---------------------------------------------------------------- public factories

@factory("compat.optax.constant_schedule")
def constant_schedule(value: float) -> list[Segment]:
    r"""optax ``constant_schedule``: the Python number ``value`` at every count.

    .. math:: s(k) = \mathrm{value}

    Parameters
    ----------
    value : float
        Returned untouched (float64, not float32), as optax returns it.
    """
    return _constant(value, "value")


@factory("compat.optax.polynomial_schedule")
def polynomial_schedule(init_value: float, end_value: float, power: float, transition_steps: int,
                        transition_begin: int = 0) -> list[Segment]:
    r"""optax ``polynomial_schedule``, in float32.

    .. math:: s(k) = (I - E)\left(1 - \frac{\mathrm{clip}(k - B, 0, T)}{T}\right)^{P} + E

    Parameters
    ----------
    init_value, end_value : float
        :math:`I` and :math:`E`; :math:`I - E` is a Python subtraction rounded
        to float32.
    power : int or float
        :math:`P`: an int uses repeated float32 multiplication
        (``jax.lax.integer_pow``), a float ``pow``.
    transition_steps : int
        :math:`T`; ``<= 0`` gives the constant Python number ``init_value``.
    transition_begin : int
        :math:`B`; a negative value falls back to 0, as in optax.
    """
    return _polynomial(init_value, end_value, power, transition_steps, transition_begin)


@factory("compat.optax.linear_schedule")
def linear_schedule(init_value: float, end_value: float, transition_steps: int,
                    transition_begin: int = 0) -> list[Segment]:
    r"""optax ``linear_schedule``: ``polynomial_schedule`` with ``power=1``, in float32.

    .. math:: s(k) = (I - E)\left(1 - \frac{\mathrm{clip}(k - B, 0, T)}{T}\right) + E

    Parameters
    ----------
    init_value, end_value : float
        Values before ``transition_begin`` and after the transition.
    transition_steps : int
        Length of the transition; ``<= 0`` gives the constant ``init_value``
        (float64, untouched).
    transition_begin : int
        First count of the transition (negative: 0).
    """
    return _polynomial(init_value, end_value, 1, transition_steps, transition_begin)


@factory("compat.optax.warmup_constant_schedule")
def warmup_constant_schedule(init_value: float, peak_value: float, warmup_steps: int) -> list[Segment]:
    r"""optax ``warmup_constant_schedule``: a linear warmup, then ``peak_value``.

    .. math:: s(k) = (I - P)\,(1 - \min(k, W)/W) + P

    Parameters
    ----------
    init_value, peak_value : float
        Start and end of the warmup.
    warmup_steps : int
        :math:`W`. Quirk reproduced: ``warmup_steps=0`` gives ``init_value``
        forever (optax's linear schedule short-circuits), not ``peak_value``.
    """
    return _polynomial(init_value, peak_value, 1, warmup_steps, 0)


@factory("compat.optax.piecewise_constant_schedule")
def piecewise_constant_schedule(init_value: float,
                                boundaries_and_scales: Mapping[int, float] | None = None,
                                ) -> list[Segment]:
    r"""optax ``piecewise_constant_schedule``: scales multiply in from their boundary on.

    .. math:: s(k) = I \prod_{b \le k} \mathrm{scale}_b

    (float32 products in increasing boundary order).

    Parameters
    ----------
    init_value : float
        Value before the first boundary. Without boundaries (``None`` or an
        empty dict) the schedule is this Python number, untouched.
    boundaries_and_scales : dict of int to float, optional
        ``{count: scale}`` with non-negative scales (``ValueError`` otherwise).

    Notes
    -----
    Quirk reproduced: the scale applies at ``count == boundary`` (Keras's
    PiecewiseConstantDecay switches one step later).
    """
    init = _f32.real("init_value", init_value)
    if boundaries_and_scales is None:
        return _constant(init, "init_value")
    pairs = _scales("boundaries_and_scales", boundaries_and_scales)
    if any(scale < 0.0 for _, scale in pairs):
        raise ValueError("`piecewise_constant_schedule` expects non-negative scale factors")
    if not pairs:
        return _constant(init, "init_value")
    segments = []
    for start in sorted({0} | {b for b, _ in pairs if b > 0}):
        with np.errstate(all="ignore"):
            value = np.float32(init)
            for boundary, scale in pairs:  # v * ind + (1 - ind) * scale * v, ind = [count < b]
                ind = np.float32(boundary - start > 0)
                keep = _f32.fz(value * ind)
                value = _f32.fz(keep + _f32.fz(_f32.fz((np.float32(1) - ind) * np.float32(scale)) * value))
        segments.append(Segment(Kind.CONSTANT, start, (float(value),)))
    return segments


@factory("compat.optax.exponential_decay")
def exponential_decay(init_value: float, transition_steps: int, decay_rate: float,
                      transition_begin: int = 0, staircase: bool = False,
                      end_value: float | None = None) -> list[Segment]:
    r"""optax ``exponential_decay``, in float32.

    .. math:: s(k) = I \cdot r^{\,p},\quad p = \mathrm{float32}((k - B) / T)
              \;(\lfloor p \rfloor \text{ if staircase}),\quad s(k) = I \text{ for } k \le B

    then clipped by ``end_value``: a floor when ``decay_rate < 1``, a ceiling
    otherwise.

    Parameters
    ----------
    init_value : float
        :math:`I`.
    transition_steps : int
        :math:`T`; ``<= 0`` gives the constant Python number ``init_value``.
    decay_rate : float
        :math:`r`; ``0`` gives the constant ``init_value`` (optax's short cut).
    transition_begin : int
        :math:`B` (negative: 0).
    staircase : bool
        Floor ``p``.
    end_value : float, optional
        Bound of the decay.
    """
    return _exponential(init_value, transition_steps, decay_rate, transition_begin, staircase,
                        end_value)


@factory("compat.optax.cosine_decay_schedule")
def cosine_decay_schedule(init_value: float, decay_steps: int, alpha: float = 0.0,
                          exponent: float = 1.0) -> list[Segment]:
    r"""optax ``cosine_decay_schedule``, in float32.

    .. math:: s(k) = I\left((1 - \alpha)\left(\tfrac12\left(1 + \cos\frac{\pi \min(k, T)}{T}
              \right)\right)^{p} + \alpha\right)

    Parameters
    ----------
    init_value : float
        :math:`I`.
    decay_steps : int
        :math:`T` > 0 (``ValueError`` otherwise, as in optax).
    alpha : float
        Final value as a fraction of ``init_value``; ``1 - alpha`` is a Python
        subtraction rounded to float32.
    exponent : float
        :math:`p` (an int uses ``integer_pow``).
    """
    return _cosine(init_value, decay_steps, alpha, exponent)


@factory("compat.optax.piecewise_interpolate_schedule")
def piecewise_interpolate_schedule(interpolate_type: Interpolation, init_value: float,
                                   boundaries_and_scales: Mapping[int, float] | None = None,
                                   ) -> list[Segment]:
    r"""optax ``piecewise_interpolate_schedule``: linear or cosine between accumulated values.

    With boundaries :math:`b_0 = 0 < b_1 < \dots` and :math:`v_i = I\prod_{j \le i} s_j`
    (float32 cumulative product), for :math:`b_i \le k < b_{i+1}` and
    :math:`q = (k - b_i) / \max(b_{i+1} - b_i, 1)`:

    .. math:: s(k) = (v_{i+1} - v_i)\,q + v_i \quad\text{or}\quad
              v_{i+1} + \tfrac{v_i - v_{i+1}}{2}(\cos \pi q + 1)

    and :math:`v_n` from the last boundary on.

    Parameters
    ----------
    interpolate_type : {'linear', 'cosine'}
        Interpolation (``ValueError`` otherwise).
    init_value : float
        :math:`I`.
    boundaries_and_scales : dict of int to float, optional
        ``{count: scale}``, non-negative scales. Without it the schedule is
        ``init_value`` as float32.
    """
    return _interpolate(interpolate_type, init_value, boundaries_and_scales)


def _positive_steps(transition_steps: Any) -> int:
    steps = _f32.integral("transition_steps", transition_steps)
    if steps <= 0:
        raise ValueError("A linear onecycle schedule was set with a non-positive `transition_steps`")
    return steps


def _onecycle(transition_steps: Any, peak_value: Any, div_factor: Any,
              final_div_factor: Any) -> tuple[int, float, float, float]:
    """The checked arguments shared by the two one-cycle schedules.

    optax divides by both factors in Python (``ZeroDivisionError`` for 0):
    fastlr rejects a zero factor with ``ValueError`` instead.
    """
    steps, peak = _positive_steps(transition_steps), _f32.real("peak_value", peak_value)
    div, final = _f32.real("div_factor", div_factor), _f32.real("final_div_factor", final_div_factor)
    for name, value in (("div_factor", div), ("final_div_factor", final)):
        if value == 0:
            raise ValueError(f"{name} must be non-zero (optax divides by it), got {value!r}")
    return steps, peak, div, final


@factory("compat.optax.linear_onecycle_schedule")
def linear_onecycle_schedule(transition_steps: int, peak_value: float, pct_start: float = 0.3,
                             pct_final: float = 0.85, div_factor: float = 25.0,
                             final_div_factor: float = 1e4) -> list[Segment]:
    r"""optax ``linear_onecycle_schedule``: three linear phases.

    ``piecewise_interpolate_schedule('linear', peak / div_factor,
    {int(pct_start * T): div_factor, int(pct_final * T): 1 / div_factor,
    T: 1 / final_div_factor})``: up to ``peak_value``, back to
    ``peak / div_factor``, then down to ``peak / div_factor / final_div_factor``.

    Parameters
    ----------
    transition_steps : int
        :math:`T` > 0 (``ValueError`` otherwise).
    peak_value : float
        Maximum, reached at ``int(pct_start * T)``.
    pct_start, pct_final : float
        Ends of the rising and falling phases as fractions of :math:`T`
        (coinciding boundaries overwrite each other, as in the peer's dict).
    div_factor, final_div_factor : float
        Start value ``peak / div_factor``; final value that divided by
        ``final_div_factor``.
    """
    steps, peak, div, final = _onecycle(transition_steps, peak_value, div_factor, final_div_factor)
    scales = {int(_f32.real("pct_start", pct_start) * steps): div,
              int(_f32.real("pct_final", pct_final) * steps): 1.0 / div,
              steps: 1.0 / final}
    return _interpolate("linear", peak / div, scales)


@factory("compat.optax.cosine_onecycle_schedule")
def cosine_onecycle_schedule(transition_steps: int, peak_value: float, pct_start: float = 0.3,
                             div_factor: float = 25.0, final_div_factor: float = 1e4,
                             ) -> list[Segment]:
    r"""optax ``cosine_onecycle_schedule``: cosine up to the peak, then cosine down.

    ``piecewise_interpolate_schedule('cosine', peak / div_factor,
    {int(pct_start * T): div_factor, T: 1 / (div_factor * final_div_factor)})``.

    Parameters
    ----------
    transition_steps : int
        :math:`T` > 0 (``ValueError`` otherwise, with optax's message).
    peak_value : float
        Maximum, reached at ``int(pct_start * T)``.
    pct_start : float
        End of the rising phase as a fraction of :math:`T`.
    div_factor, final_div_factor : float
        Start value ``peak / div_factor``; final value that divided by
        ``final_div_factor``.
    """
    steps, peak, div, final = _onecycle(transition_steps, peak_value, div_factor, final_div_factor)
    scales = {int(_f32.real("pct_start", pct_start) * steps): div, steps: 1.0 / (div * final)}
    return _interpolate("cosine", peak / div, scales)


@factory("compat.optax.warmup_cosine_decay_schedule")
def warmup_cosine_decay_schedule(init_value: float, peak_value: float, warmup_steps: int,
                                 decay_steps: int, end_value: float = 0.0,
                                 exponent: float = 1.0) -> list[Segment]:
    r"""optax ``warmup_cosine_decay_schedule``: linear warmup, then cosine decay, in float32.

    ``join_schedules([linear_schedule(init, peak, W), cosine_decay_schedule(peak,
    decay_steps - W, alpha=end / peak, exponent)], [W])``.

    Parameters
    ----------
    init_value, peak_value, end_value : float
        Start, peak (at ``warmup_steps``) and final value.
    warmup_steps : int
        Warmup length :math:`W`.
    decay_steps : int
        Total length *including* the warmup (optax's convention; Keras's
        CosineDecay counts the decay only). ``decay_steps <= warmup_steps``
        raises ``ValueError``, as in optax.
    exponent : float
        Exponent of the cosine factor.
    """
    return _warmup_cosine(init_value, peak_value, warmup_steps, decay_steps, end_value, exponent)


@factory("compat.optax.warmup_exponential_decay_schedule")
def warmup_exponential_decay_schedule(init_value: float, peak_value: float, warmup_steps: int,
                                      transition_steps: int, decay_rate: float,
                                      transition_begin: int = 0, staircase: bool = False,
                                      end_value: float | None = None) -> list[Segment]:
    r"""optax ``warmup_exponential_decay_schedule``: linear warmup, then exponential decay.

    ``join_schedules([linear_schedule(init, peak, W), exponential_decay(peak,
    transition_steps, decay_rate, transition_begin, staircase, end_value)], [W])``,
    in float32.

    Parameters
    ----------
    init_value, peak_value : float
        Start and peak of the warmup.
    warmup_steps : int
        Warmup length :math:`W`; the decay counts from 0 at step :math:`W`.
    transition_steps, decay_rate, transition_begin, staircase, end_value
        As in :func:`exponential_decay`.
    """
    warmup = _f32.integral("warmup_steps", warmup_steps)
    children = [_polynomial(init_value, peak_value, 1, warmup, 0),
                _exponential(peak_value, transition_steps, decay_rate, transition_begin, staircase,
                             end_value)]
    return _join(children, [warmup])


@factory("compat.optax.sgdr_schedule")
def sgdr_schedule(cosine_kwargs: Iterable[Mapping[str, Any]]) -> list[Segment]:
    r"""optax ``sgdr_schedule``: warmup-cosine cycles joined end to end.

    Cycle :math:`j` is ``warmup_cosine_decay_schedule(**cosine_kwargs[j])`` and
    starts where the previous one's ``decay_steps`` end.

    Parameters
    ----------
    cosine_kwargs : sequence of dict
        Keyword arguments of each cycle (keys of
        :func:`warmup_cosine_decay_schedule`; at least one cycle).
    """
    cycles = check.sequence("cosine_kwargs", cosine_kwargs)
    if not cycles:
        raise ValueError("cosine_kwargs must hold at least one cycle")
    children, boundaries, step = [], [], 0
    for i, kwargs in enumerate(cycles):
        if not isinstance(kwargs, Mapping):
            raise TypeError(f"cosine_kwargs[{i}] must be a dict, got {type(kwargs).__name__}")
        unknown = set(kwargs) - set(_COSINE_KEYS)
        if unknown:
            raise TypeError(f"cosine_kwargs[{i}] has unknown key {sorted(unknown)[0]!r}")
        missing = {"init_value", "peak_value", "warmup_steps", "decay_steps"} - set(kwargs)
        if missing:
            raise TypeError(f"cosine_kwargs[{i}] is missing the key {sorted(missing)[0]!r}")
        options = {"end_value": 0.0, "exponent": 1.0, **kwargs}
        children.append(_warmup_cosine(*(options[k] for k in _COSINE_KEYS)))
        step += _f32.integral(f"cosine_kwargs[{i}]['decay_steps']", kwargs["decay_steps"])
        boundaries.append(step)
    return _join(children, boundaries[:-1])


@factory("compat.optax.join_schedules")
def join_schedules(schedules: Sequence[Schedule], boundaries: Sequence[int]) -> list[Segment]:
    r"""optax ``join_schedules``: schedule :math:`j` from ``boundaries[j-1]`` on, restarted at 0.

    .. math:: s(k) = s_j(k - b_j),\quad j = \max\{j : b_j \le k\},\ b_0 = 0

    Parameters
    ----------
    schedules : sequence of fastlr.compat.optax schedules
        At least one. Extra schedules or boundaries are ignored, as optax's
        ``zip`` ignores them.
    boundaries : sequence of int
        Where each following schedule takes over (need not increase: the last
        boundary reached wins, as in optax's chain of ``jnp.where``).

    Notes
    -----
    With at least one boundary every value is float32 (``jnp.where`` converts
    a child's Python number); with none, the first schedule is returned as is.
    """
    children = [_schedule_segments(f"schedules[{i}]", s)
                for i, s in enumerate(check.sequence("schedules", schedules))]
    if not children:
        raise ValueError("schedules must hold at least one schedule")
    edges = [_f32.integral(f"boundaries[{i}]", b)
             for i, b in enumerate(check.sequence("boundaries", boundaries))]
    return _join(children, edges)
