"""The native catalog: factories that validate their arguments and build segments.

Steps ``t`` are 0-based update counts. Every factory returns an immutable
:class:`fastlr.Schedule`; past its last phase a schedule holds its final value
unless the docstring says otherwise. Invalid arguments raise ``ValueError`` or
``TypeError`` naming the parameter and the rule.
"""

from __future__ import annotations

import math
from typing import Sequence

from . import _validate as check
from ._docblocks import define
from ._kinds import CYCLIC_MODES, Kind
from ._typing import Anneal, Cooldown, CyclicMode
from ._spec import Schedule, Segment, clipped, evaluate, factory, shifted

__all__ = [
    "constant", "linear", "polynomial", "cosine", "exponential", "inverse_time", "step",
    "multistep", "piecewise_constant", "piecewise_linear", "cosine_restarts", "cyclic",
    "one_cycle", "warmup_cosine", "warmup_linear", "warmup_inverse", "noam", "wsd",
    "warmup", "join", "cooldown", "wsd_s", "power_law",
]

COOLDOWNS = ("linear", "cosine", "1-sqrt")
_COOLDOWN_KINDS = {"linear": Kind.LINEAR, "cosine": Kind.COSINE, "1-sqrt": Kind.ONE_MINUS_SQRT}
_ANNEAL_KINDS = {"linear": Kind.LINEAR, "cos": Kind.COSINE}


define(
    decay_parameters="""
    start, end : float
        Values at step 0 and from step ``steps`` on.
    steps : int
        Length of the decay (>= 0).
    """,
    warmup_then_parameters="""
    peak : float
        Value reached at the end of the warmup.
    warmup_steps : int
        Length of the warmup, ``0 <= warmup_steps <= total_steps``.
    total_steps : int
        Step where the decay reaches ``end``.
    start, end : float
        Value at step 0 and after ``total_steps``.
    """)


def _ramp(kind: Kind, begin: int, first: float, last: float, steps: int, *extra: float) -> list[Segment]:
    """``kind`` from ``first`` to ``last`` over ``steps`` steps from ``begin``, then ``last``."""
    head = [Segment(kind, begin, (first, last, float(steps), *extra))] if steps > 0 else []
    return head + [Segment(Kind.CONSTANT, begin + steps, (last,))]


def _value(name: str, value: float) -> float:
    return check.real(name, value)


def _schedule(name: str, value: object) -> Schedule:
    if not isinstance(value, Schedule):
        raise TypeError(f"{name} must be a fastlr schedule, got {type(value).__name__}")
    return value


@factory("constant")
def constant(value: float) -> list[Segment]:
    r"""A constant learning rate.

    .. math:: s(t) = \mathrm{value}

    Parameters
    ----------
    value : float
        The learning rate at every step (finite).
    """
    return [Segment(Kind.CONSTANT, 0, (_value("value", value),))]


@factory("linear")
def linear(start: float, steps: int, end: float = 0.0) -> list[Segment]:
    r"""Linear interpolation from ``start`` to ``end`` over ``steps`` steps, then ``end``.

    .. math:: s(t) = \mathrm{start} + (\mathrm{end} - \mathrm{start})\,t / \mathrm{steps}
              \quad (t < \mathrm{steps}), \qquad s(t) = \mathrm{end} \quad (t \ge \mathrm{steps})

    Parameters
    ----------
    start, end : float
        Values at step 0 and from step ``steps`` on.
    steps : int
        Length of the ramp (>= 0; 0 gives the constant ``end``).
    """
    return _ramp(Kind.LINEAR, 0, _value("start", start), _value("end", end),
                 check.integer("steps", steps))


@factory("polynomial")
def polynomial(start: float, steps: int, end: float = 0.0, power: float = 1.0) -> list[Segment]:
    r"""Polynomial decay from ``start`` to ``end`` over ``steps`` steps, then ``end``.

    .. math:: s(t) = (\mathrm{start} - \mathrm{end})\,(1 - t/\mathrm{steps})^{\mathrm{power}}
              + \mathrm{end} \quad (t < \mathrm{steps})

    Parameters
    ----------
    <<decay_parameters>>
    power : float
        Exponent (> 0); 1 is linear, 2 quadratic, 0.5 square-root decay.
    """
    power = check.real("power", power, low=0.0, low_open=True)
    return _ramp(Kind.POLYNOMIAL, 0, _value("start", start), _value("end", end),
                 check.integer("steps", steps), power)


@factory("cosine")
def cosine(start: float, steps: int, end: float = 0.0) -> list[Segment]:
    r"""Half-cosine decay from ``start`` to ``end`` over ``steps`` steps, then ``end``.

    .. math:: s(t) = \mathrm{end} + (\mathrm{start} - \mathrm{end})
              \,\frac{1 + \cos(\pi t / \mathrm{steps})}{2} \quad (t < \mathrm{steps})

    Parameters
    ----------
    <<decay_parameters>>
    """
    return _ramp(Kind.COSINE, 0, _value("start", start), _value("end", end),
                 check.integer("steps", steps))


@factory("exponential")
def exponential(start: float, rate: float, steps: int, staircase: bool = False,
                floor: float = 0.0) -> list[Segment]:
    r"""Exponential decay by ``rate`` every ``steps`` steps, never below ``floor``.

    .. math:: s(t) = \max(\mathrm{start} \cdot \mathrm{rate}^{e}, \mathrm{floor}),\quad
              e = t / \mathrm{steps} \;(\lfloor t / \mathrm{steps} \rfloor \text{ if staircase})

    Parameters
    ----------
    start : float
        Value at step 0 (a zero start stays 0, also where ``rate ** e`` overflows).
    rate : float
        Factor per ``steps`` steps (> 0).
    steps : int
        Steps per factor of ``rate`` (>= 1).
    staircase : bool
        Decay in whole steps of ``steps`` (a staircase) instead of continuously.
    floor : float
        Lower bound of the value (default 0: no bound for a positive ``start``).
    """
    rate = check.real("rate", rate, low=0.0, low_open=True)
    steps = check.integer("steps", steps, 1)
    params = (_value("start", start), rate, float(steps), float(check.boolean("staircase", staircase)),
              _value("floor", floor), math.inf)
    return [Segment(Kind.EXPONENTIAL, 0, params)]


@factory("inverse_time")
def inverse_time(start: float, rate: float, steps: int, staircase: bool = False) -> list[Segment]:
    r"""Inverse-time decay.

    .. math:: s(t) = \frac{\mathrm{start}}{1 + \mathrm{rate}\cdot e},\quad
              e = t / \mathrm{steps} \;(\lfloor t / \mathrm{steps} \rfloor \text{ if staircase})

    Parameters
    ----------
    start : float
        Value at step 0.
    rate : float
        Decay rate (>= 0).
    steps : int
        Steps per unit of ``e`` (>= 1).
    staircase : bool
        Use whole units of ``e``.
    """
    rate = check.real("rate", rate, low=0.0)
    steps = check.integer("steps", steps, 1)
    params = (_value("start", start), rate, float(steps), float(check.boolean("staircase", staircase)))
    return [Segment(Kind.INVERSE_TIME, 0, params)]


@factory("step")
def step(start: float, step_size: int, gamma: float = 0.1) -> list[Segment]:
    r"""Multiply by ``gamma`` every ``step_size`` steps.

    .. math:: s(t) = \mathrm{start} \cdot \gamma^{\lfloor t / \mathrm{step\_size} \rfloor}

    Parameters
    ----------
    start : float
        Value at step 0.
    step_size : int
        Steps between two decays (>= 1).
    gamma : float
        Factor per decay (>= 0).
    """
    gamma = check.real("gamma", gamma, low=0.0)
    step_size = check.integer("step_size", step_size, 1)
    params = (_value("start", start), gamma, float(step_size), 1.0, -math.inf, math.inf)
    return [Segment(Kind.EXPONENTIAL, 0, params)]


def _boundaries(name: str, values: Sequence[int], minimum: int) -> list[int]:
    items = [check.integer(f"{name}[{i}]", b, minimum) for i, b in enumerate(check.sequence(name, values))]
    check.increasing(name, items)
    return items


@factory("multistep")
def multistep(start: float, milestones: Sequence[int], gamma: float = 0.1) -> list[Segment]:
    r"""Multiply by ``gamma`` at each milestone.

    .. math:: s(t) = \mathrm{start} \cdot \gamma^{\#\{m \in \mathrm{milestones} : m \le t\}}

    Parameters
    ----------
    start : float
        Value before the first milestone.
    milestones : sequence of int
        Steps where the value changes (strictly increasing, >= 1).
    gamma : float
        Factor per milestone (>= 0).
    """
    start = _value("start", start)
    gamma = check.real("gamma", gamma, low=0.0)
    marks = _boundaries("milestones", milestones, 1)
    return [Segment(Kind.CONSTANT, b, (start * check.power("gamma", gamma, i),)) for i, b in enumerate([0] + marks)]


def _points(boundaries: Sequence[int], values: Sequence[float], minimum: int,
            extra: int) -> tuple[list[int], list[float]]:
    marks = _boundaries("boundaries", boundaries, minimum)
    levels = [_value(f"values[{i}]", x) for i, x in enumerate(check.sequence("values", values))]
    if len(levels) != len(marks) + extra:
        rule = "len(boundaries) + 1" if extra else "len(boundaries)"
        raise ValueError(f"values must have {rule} = {len(marks) + extra} items, got {len(levels)}")
    return marks, levels


@factory("piecewise_constant")
def piecewise_constant(boundaries: Sequence[int], values: Sequence[float]) -> list[Segment]:
    r"""Piecewise-constant values that change at each boundary step.

    .. math:: s(t) = \mathrm{values}[i],\quad i = \#\{b \in \mathrm{boundaries} : b \le t\}

    Parameters
    ----------
    boundaries : sequence of int
        Strictly increasing steps (>= 1) where the next value starts.
    values : sequence of float
        ``len(boundaries) + 1`` values.
    """
    marks, levels = _points(boundaries, values, 1, 1)
    return [Segment(Kind.CONSTANT, b, (x,)) for b, x in zip([0] + marks, levels)]


@factory("piecewise_linear")
def piecewise_linear(boundaries: Sequence[int], values: Sequence[float]) -> list[Segment]:
    r"""Linear interpolation through the points ``(boundaries[i], values[i])``.

    .. math:: s(t) = v_i + (v_{i+1} - v_i)\,\frac{t - b_i}{b_{i+1} - b_i}
              \quad (b_i \le t < b_{i+1})

    ``values[0]`` before the first point and ``values[-1]`` after the last one.

    Parameters
    ----------
    boundaries : sequence of int
        Strictly increasing steps (>= 0), at least one.
    values : sequence of float
        One value per boundary.
    """
    marks, levels = _points(boundaries, values, 0, 0)
    if not marks:
        raise ValueError("boundaries must have at least one item, got []")
    segments = [Segment(Kind.CONSTANT, 0, (levels[0],))]
    for (b0, v0), (b1, v1) in zip(zip(marks, levels), zip(marks[1:], levels[1:])):
        segments.append(Segment(Kind.LINEAR, b0, (v0, v1, float(b1 - b0))))
    return segments + [Segment(Kind.CONSTANT, marks[-1], (levels[-1],))]


@factory("cosine_restarts")
def cosine_restarts(peak: float, period: int, end: float = 0.0, period_mult: float = 1.0,
                    decay: float = 1.0) -> list[Segment]:
    r"""Cosine annealing with warm restarts (SGDR), forever.

    Cycle :math:`i` lasts :math:`T_i = \mathrm{period}\cdot m^i` steps
    (:math:`m` = ``period_mult``) and starts at :math:`B_i = \sum_{j<i} T_j`;
    inside it, with :math:`\tau = t - B_i`:

    .. math:: s(t) = \mathrm{end} + (\mathrm{peak}\cdot \mathrm{decay}^i - \mathrm{end})
              \,\frac{1 + \cos(\pi \tau / T_i)}{2}

    The cycle index is computed in closed form and corrected so that every
    restart falls exactly on its step.

    Parameters
    ----------
    peak : float
        Value at the start of the first cycle.
    period : int
        Length of the first cycle (>= 1).
    end : float
        Value approached at the end of every cycle.
    period_mult : float
        Growth factor of the cycle length (>= 1).
    decay : float
        Factor applied to the peak at each restart (> 0).

    References
    ----------
    Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017.
    """
    params = (_value("peak", peak), _value("end", end), float(check.integer("period", period, 1)),
              check.real("period_mult", period_mult, low=1.0),
              check.real("decay", decay, low=0.0, low_open=True))
    return [Segment(Kind.COSINE_RESTARTS, 0, params)]


@factory("cyclic")
def cyclic(low: float, high: float, step_size_up: int, step_size_down: int | None = None,
           mode: CyclicMode = "triangular", gamma: float = 1.0) -> list[Segment]:
    r"""Cyclical learning rate (Smith 2017), the closed form of torch's ``CyclicLR``.

    With :math:`P` = ``step_size_up + step_size_down``, :math:`r` = ``step_size_up / P``,
    :math:`c = \lfloor 1 + t/P \rfloor`, :math:`x = 1 + t/P - c`:

    .. math:: s(t) = \mathrm{low} + (\mathrm{high} - \mathrm{low})\,h(x)\,g,\quad
              h(x) = x/r \;(x \le r),\; (x - 1)/(r - 1) \;\text{otherwise}

    where :math:`g = 1` (``"triangular"``), :math:`2^{-(c-1)}` (``"triangular2"``) or
    :math:`\gamma^t` (``"exp_range"``).

    Parameters
    ----------
    low, high : float
        Bottom and top of the cycle.
    step_size_up : int
        Steps from ``low`` up to ``high`` (>= 1).
    step_size_down : int, optional
        Steps back down (>= 1; default: ``step_size_up``).
    mode : {"triangular", "triangular2", "exp_range"}
        Amplitude policy.
    gamma : float
        Per-step amplitude factor of ``"exp_range"`` (> 0).
    """
    up = check.integer("step_size_up", step_size_up, 1)
    down = up if step_size_down is None else check.integer("step_size_down", step_size_down, 1)
    total = float(up + down)
    params = (_value("low", low), _value("high", high), total, up / total,
              float(CYCLIC_MODES.index(check.choice("mode", mode, CYCLIC_MODES))),
              check.real("gamma", gamma, low=0.0, low_open=True))
    return [Segment(Kind.CYCLIC, 0, params)]


@factory("one_cycle")
def one_cycle(peak: float, total_steps: int, pct_start: float = 0.3, div_factor: float = 25.0,
              final_div_factor: float = 1e4, anneal: Anneal = "cos",
              three_phase: bool = False) -> list[Segment]:
    r"""The 1cycle policy: up from ``peak / div_factor`` to ``peak``, then down to the minimum.

    With :math:`W` = ``round(pct_start * total_steps)`` (at most ``total_steps // 2``
    with three phases), initial :math:`a` =
    ``peak / div_factor`` and minimum :math:`m` = ``a / final_div_factor``:
    the value goes from :math:`a` at step 0 to ``peak`` at step :math:`W`; then
    (two phases) to :math:`m` at ``total_steps``, or (three phases) back to
    :math:`a` at :math:`2W` and to :math:`m` at ``total_steps``; then holds
    :math:`m`. Each phase is a half-cosine (``anneal="cos"``) or a straight line
    (``"linear"``). torch's ``OneCycleLR`` places its phases one step earlier:
    use ``fastlr.compat.torch.OneCycleLR`` to reproduce it.

    Parameters
    ----------
    peak : float
        Top of the cycle.
    total_steps : int
        Step where the minimum is reached (>= 1).
    pct_start : float
        Fraction of ``total_steps`` spent rising (in [0, 1]; at most 0.5 with three phases).
    div_factor, final_div_factor : float
        Initial value ``peak / div_factor``; minimum ``initial / final_div_factor`` (> 0).
    anneal : {"cos", "linear"}
        Shape of every phase.
    three_phase : bool
        Fall back to the initial value before the final annealing.

    References
    ----------
    Smith & Topin, "Super-Convergence", 2018.
    """
    peak = _value("peak", peak)
    total = check.integer("total_steps", total_steps, 1)
    three = check.boolean("three_phase", three_phase)
    pct = check.real("pct_start", pct_start, low=0.0, high=0.5 if three else 1.0)
    initial = peak / check.real("div_factor", div_factor, low=0.0, low_open=True)
    minimum = initial / check.real("final_div_factor", final_div_factor, low=0.0, low_open=True)
    kind = _ANNEAL_KINDS[check.choice("anneal", anneal, tuple(_ANNEAL_KINDS))]
    rise = min(round(pct * total), total // 2) if three else round(pct * total)
    corners = [(0, initial), (rise, peak)] + ([(2 * rise, initial)] if three else []) + [(total, minimum)]
    segments = [Segment(Kind.CONSTANT, 0, (initial,))]
    for (b0, v0), (b1, v1) in zip(corners, corners[1:]):
        segments.extend(_ramp(kind, b0, v0, v1, b1 - b0))
    return segments


def _warmup_then(kind: Kind, peak: float, warmup_steps: int, total_steps: int, start: float,
                 end: float) -> list[Segment]:
    peak, start, end = _value("peak", peak), _value("start", start), _value("end", end)
    warm = check.integer("warmup_steps", warmup_steps)
    total = check.integer("total_steps", total_steps)
    if warm > total:
        raise ValueError(f"warmup_steps must be <= total_steps, got {warm} > {total}")
    head = [Segment(Kind.LINEAR, 0, (start, peak, float(warm)))] if warm > 0 else []
    return head + _ramp(kind, warm, peak, end, total - warm)


@factory("warmup_cosine")
def warmup_cosine(peak: float, warmup_steps: int, total_steps: int, start: float = 0.0,
                  end: float = 0.0) -> list[Segment]:
    r"""Linear warmup to ``peak``, then half-cosine decay to ``end`` at ``total_steps``.

    With :math:`W` = ``warmup_steps`` and :math:`T` = ``total_steps``:

    .. math::
        s(t) = \begin{cases}
        \mathrm{start} + (\mathrm{peak} - \mathrm{start})\,t/W & t < W \\
        \mathrm{end} + (\mathrm{peak} - \mathrm{end})\,\frac{1 + \cos(\pi (t - W)/(T - W))}{2}
            & W \le t < T \\
        \mathrm{end} & t \ge T
        \end{cases}

    Equal value for value to ``warmup(cosine(peak, T - W, end), W, start)``
    when :math:`W < T`.

    Parameters
    ----------
    <<warmup_then_parameters>>
    """
    return _warmup_then(Kind.COSINE, peak, warmup_steps, total_steps, start, end)


@factory("warmup_linear")
def warmup_linear(peak: float, warmup_steps: int, total_steps: int, start: float = 0.0,
                  end: float = 0.0) -> list[Segment]:
    r"""Linear warmup to ``peak``, then linear decay to ``end`` at ``total_steps``.

    .. math::
        s(t) = \begin{cases}
        \mathrm{start} + (\mathrm{peak} - \mathrm{start})\,t/W & t < W \\
        \mathrm{peak} + (\mathrm{end} - \mathrm{peak})\,(t - W)/(T - W) & W \le t < T \\
        \mathrm{end} & t \ge T
        \end{cases}

    Parameters
    ----------
    <<warmup_then_parameters>>
    """
    return _warmup_then(Kind.LINEAR, peak, warmup_steps, total_steps, start, end)


@factory("warmup_inverse")
def warmup_inverse(peak: float, warmup_steps: int, power: float = 0.5) -> list[Segment]:
    r"""Linear warmup, then inverse-power decay (fairseq's ``inverse_sqrt`` for power 0.5).

    .. math::
        s(t) = \begin{cases}
        \mathrm{peak}\cdot t / W & t \le W \\
        \mathrm{peak}\cdot (W / t)^{\mathrm{power}} & t > W
        \end{cases}

    ``power=1.0`` is the founding blog post's custom schedule; Noam is the case
    ``peak = d_model**-0.5 * W**-0.5``, ``power=0.5``.

    Parameters
    ----------
    peak : float
        Value at step ``warmup_steps``.
    warmup_steps : int
        Length of the warmup (>= 1).
    power : float
        Decay exponent (> 0).
    """
    peak = _value("peak", peak)
    warm = check.integer("warmup_steps", warmup_steps, 1)
    power = check.real("power", power, low=0.0, low_open=True)
    return [Segment(Kind.LINEAR, 0, (0.0, peak, float(warm))),
            Segment(Kind.INVERSE_POWER, warm, (peak, float(warm), power))]


@factory("noam")
def noam(d_model: float, warmup_steps: int = 4000, scale: float = 1.0) -> list[Segment]:
    r"""The Transformer ("Noam") schedule of Vaswani et al. (2017).

    .. math:: s(t) = \mathrm{scale}\cdot d_\mathrm{model}^{-0.5}
              \cdot \min(t^{-0.5},\; t \cdot W^{-1.5}), \qquad s(0) = 0

    Parameters
    ----------
    d_model : float
        Model width (> 0).
    warmup_steps : int
        Step of the peak (>= 1).
    scale : float
        Overall factor.
    """
    d_model = check.real("d_model", d_model, low=0.0, low_open=True)
    warm = check.integer("warmup_steps", warmup_steps, 1)
    return [Segment(Kind.NOAM, 0, (_value("scale", scale) * d_model ** -0.5, warm ** -1.5))]


@factory("wsd")
def wsd(peak: float, warmup_steps: int, stable_steps: int, decay_steps: int, start: float = 0.0,
        end: float = 0.0, cooldown: Cooldown = "linear") -> list[Segment]:
    r"""Warmup-stable-decay: linear warmup, a plateau at ``peak``, then a cooldown to ``end``.

    With :math:`W`, :math:`S`, :math:`D` the three lengths and
    :math:`p = (t - W - S)/D` inside the cooldown:

    .. math:: s(t) = \mathrm{end} + (\mathrm{peak} - \mathrm{end})\,c(p),\quad
              c(p) = 1 - p \;(\text{linear}),\;
              \tfrac{1 + \cos \pi p}{2} \;(\text{cosine}),\;
              1 - \sqrt{p} \;(\text{1-sqrt})

    after :math:`\mathrm{start} + (\mathrm{peak} - \mathrm{start})\,t/W` for
    :math:`t < W` and ``peak`` for :math:`W \le t < W + S`; ``end`` from
    :math:`W + S + D` on.

    Parameters
    ----------
    peak : float
        Plateau value.
    warmup_steps, stable_steps, decay_steps : int
        Phase lengths (>= 0).
    start, end : float
        Value at step 0 and after the cooldown.
    cooldown : {"linear", "cosine", "1-sqrt"}
        Shape of the cooldown.

    References
    ----------
    Hu et al., "MiniCPM", 2024; Hägele et al., "Scaling Laws and Compute-Optimal
    Training Beyond Fixed Training Durations", 2024.
    """
    peak, start, end = _value("peak", peak), _value("start", start), _value("end", end)
    warm = check.integer("warmup_steps", warmup_steps)
    stable = check.integer("stable_steps", stable_steps)
    decay = check.integer("decay_steps", decay_steps)
    kind = _COOLDOWN_KINDS[check.choice("cooldown", cooldown, COOLDOWNS)]
    head = [Segment(Kind.LINEAR, 0, (start, peak, float(warm)))] if warm > 0 else []
    body = [Segment(Kind.CONSTANT, warm, (peak,))]
    return head + body + _ramp(kind, warm + stable, peak, end, decay)


@factory("warmup")
def warmup(schedule: Schedule, steps: int, start: float = 0.0) -> list[Segment] | Schedule:
    r"""Prepend a linear warmup to ``schedule``, which then restarts at its own step 0.

    .. math:: s(t) = \mathrm{start} + (\mathrm{schedule}(0) - \mathrm{start})\,t/\mathrm{steps}
              \quad (t < \mathrm{steps}), \qquad
              s(t) = \mathrm{schedule}(t - \mathrm{steps}) \quad (t \ge \mathrm{steps})

    Parameters
    ----------
    schedule : Schedule
        What follows the warmup.
    steps : int
        Length of the warmup (>= 0; 0 returns ``schedule`` itself).
    start : float
        Value at step 0.
    """
    child = _schedule("schedule", schedule)
    steps = check.integer("steps", steps)
    start = _value("start", start)
    if steps == 0:
        return child
    target = evaluate(child.program, 0)
    return [Segment(Kind.LINEAR, 0, (start, target, float(steps)))] + shifted(child.segments(), steps)


@factory("join")
def join(schedules: Sequence[Schedule], boundaries: Sequence[int]) -> list[Segment]:
    r"""Run ``schedules[i]`` from ``boundaries[i-1]`` on, each from its own step 0 (like optax).

    .. math:: s(t) = \mathrm{schedules}[i](t - b_{i-1}),\quad
              b_{i-1} \le t < b_i \;(b_{-1} = 0)

    Parameters
    ----------
    schedules : sequence of Schedule
        At least one schedule.
    boundaries : sequence of int
        ``len(schedules) - 1`` strictly increasing steps (>= 1).
    """
    children = [_schedule(f"schedules[{i}]", s) for i, s in enumerate(check.sequence("schedules", schedules))]
    if not children:
        raise ValueError("schedules must have at least one item, got []")
    marks = _boundaries("boundaries", boundaries, 1)
    if len(marks) != len(children) - 1:
        raise ValueError(f"boundaries must have len(schedules) - 1 = {len(children) - 1} items, "
                         f"got {len(marks)}")
    segments: list[Segment] = []
    for child, begin, stop in zip(children, [0] + marks, marks + [None]):
        own = child.segments()
        if stop is not None:
            own = clipped(own, stop - begin)
        segments.extend(shifted(own, begin))
    return segments


@factory("cooldown")
def cooldown(schedule: Schedule, at: int, steps: int, shape: Cooldown = "1-sqrt",
             end: float = 0.0) -> list[Segment]:
    r"""Branch a cooldown from ``schedule`` at step ``at``: ``schedule`` before, a decay after.

    With :math:`v = \mathrm{schedule}(\mathrm{at})` and :math:`p = (t - \mathrm{at})/\mathrm{steps}`:

    .. math:: s(t) = \mathrm{schedule}(t) \;(t < \mathrm{at}),\qquad
              s(t) = \mathrm{end} + (v - \mathrm{end})\,c(p) \;(\mathrm{at} \le t < \mathrm{at} + \mathrm{steps}),
              \qquad s(t) = \mathrm{end} \;\text{after}

    with :math:`c(p) = 1 - \sqrt{p}` (``"1-sqrt"``), :math:`1 - p` (``"linear"``) or
    :math:`(1 + \cos \pi p)/2` (``"cosine"``). The decay starts from the parent's own value
    at ``at`` (continuous there), so a checkpoint of any run, for instance a WSD run in its
    stable phase, can be cooled down from the step it was saved at, as in Hägele et al.
    2024 and OLMo-core's decay override. The result records its parent: ``s.args["schedule"]``,
    ``repr``, ``to_dict``. ``s.cooldown(at, steps, ...)`` is the same call.

    Parameters
    ----------
    schedule : Schedule
        The run to branch from (any schedule, a cooldown included).
    at : int
        First step of the cooldown (>= 0).
    steps : int
        Length of the cooldown (>= 0; 0 drops to ``end`` at ``at``).
    shape : {"1-sqrt", "linear", "cosine"}
        Shape of the decay (default ``"1-sqrt"``, the best of Hägele et al.'s).
    end : float
        Value reached at ``at + steps`` and held after.

    References
    ----------
    Hägele et al., "Scaling Laws and Compute-Optimal Training Beyond Fixed Training
    Durations", NeurIPS 2024.
    """
    parent = _schedule("schedule", schedule)
    at = check.integer("at", at)
    steps = check.integer("steps", steps)
    kind = _COOLDOWN_KINDS[check.choice("shape", shape, COOLDOWNS)]
    start = evaluate(parent.program, at)
    return clipped(parent.segments(), at) + _ramp(kind, at, start, _value("end", end), steps)


def _per_period(name: str, value: int | Sequence[int], count: int) -> list[int]:
    """One decay length per period: an int for all, or a sequence of ``count`` ints."""
    if isinstance(value, (list, tuple)):
        items = [check.integer(f"{name}[{i}]", v) for i, v in enumerate(value)]
        if len(items) != count:
            raise ValueError(f"{name} must have one item per period ({count}), got {len(items)}")
        return items
    return [check.integer(name, value)] * count


@factory("wsd_s")
def wsd_s(peak: float, warmup_steps: int, periods: Sequence[int], decay_steps: int | Sequence[int],
          end: float = 0.0, cooldown: Cooldown = "linear",
          multipliers: Sequence[float] | None = None) -> list[Segment]:
    r"""WSD-S: warmup, then periods of stable-then-decay, each restarting at its peak without rewarm.

    Period :math:`i` (length :math:`L_i`, the first one including the warmup :math:`W`)
    holds :math:`P_i = \mathrm{peak}\cdot m_i` (``multipliers``, default 1), then decays
    to ``end`` over its last :math:`D_i` steps; the next period starts again at its peak.
    With :math:`e_i` the end of period :math:`i` and :math:`p = (t - e_i + D_i)/D_i`:

    .. math:: s(t) = P_0\,t/W \;(t < W),\qquad
              s(t) = P_i \;(e_i - L_i \le t < e_i - D_i),\qquad
              s(t) = \mathrm{end} + (P_i - \mathrm{end})\,c(p) \;(e_i - D_i \le t < e_i)

    and ``end`` after the last period; :math:`c` as in :func:`wsd`. The decayed
    checkpoints at each :math:`e_i` serve as intermediate models of one continual run
    (Wen et al. 2024); the layout follows OLMo-core's ``WSDS`` scheduler.

    Parameters
    ----------
    peak : float
        Plateau value (times each period's multiplier).
    warmup_steps : int
        Linear warmup from 0 at the start of the first period (>= 0).
    periods : sequence of int
        Period lengths (>= 1 each); the first includes the warmup.
    decay_steps : int or sequence of int
        Decay length of every period, or one per period (each <= its period; the first
        <= its period minus the warmup).
    end : float
        Value each decay reaches, and the value after the last period.
    cooldown : {"linear", "cosine", "1-sqrt"}
        Shape of each decay.
    multipliers : sequence of float, optional
        Peak multiplier per period (> 0 each).

    References
    ----------
    Wen et al., "Understanding Warmup-Stable-Decay Learning Rates: A River Valley Loss
    Landscape Perspective", 2024.
    """
    peak, end = _value("peak", peak), _value("end", end)
    warm = check.integer("warmup_steps", warmup_steps)
    lengths = [check.integer(f"periods[{i}]", p, 1) for i, p in enumerate(check.sequence("periods", periods))]
    if not lengths:
        raise ValueError("periods must have at least one item, got []")
    decays = _per_period("decay_steps", decay_steps, len(lengths))
    scales = ([1.0] * len(lengths) if multipliers is None else
              [check.real(f"multipliers[{i}]", m, low=0.0, low_open=True)
               for i, m in enumerate(check.sequence("multipliers", multipliers))])
    if len(scales) != len(lengths):
        raise ValueError(f"multipliers must have one item per period ({len(lengths)}), got {len(scales)}")
    kind = _COOLDOWN_KINDS[check.choice("cooldown", cooldown, COOLDOWNS)]
    segments = [Segment(Kind.LINEAR, 0, (0.0, peak * scales[0], float(warm)))] if warm > 0 else []
    begin = warm
    for i, (length, decay, scale) in enumerate(zip(lengths, decays, scales)):
        room = length - (warm if i == 0 else 0)
        if decay > room:
            what = f"periods[0] - warmup_steps = {room}" if i == 0 else f"periods[{i}] = {room}"
            raise ValueError(f"decay_steps of period {i} must be <= {what}, got {decay}")
        top = peak * scale
        segments.append(Segment(Kind.CONSTANT, begin, (top,)))
        segments.extend(_ramp(kind, begin + room - decay, top, end, decay))
        begin += room
    return segments


@factory("power_law")
def power_law(peak: float, warmup_steps: int, exponent: float = -0.51, total_steps: int | None = None,
              decay_steps: int = 0, end: float = 0.0, cooldown: Cooldown = "linear") -> list[Segment]:
    r"""The power scheduler (Shen et al. 2024): warmup, then a power law that needs no horizon.

    .. math:: s(t) = \mathrm{peak}\,t/W \;(t \le W),\qquad
              s(t) = \mathrm{peak}\,(t/W)^{b} \;(t > W)

    with :math:`b` = ``exponent`` (< 0), computed as
    :math:`\mathrm{peak}\,(W/t)^{-b}`. With ``total_steps`` :math:`T` and
    ``decay_steps`` :math:`D > 0`, the last :math:`D` steps decay from
    :math:`s(T - D)` to ``end`` (``cooldown`` shape), and ``end`` holds from :math:`T` on.
    The schedule is horizon-free until that decay, so a run can be extended (or cooled
    down from any step with :meth:`Schedule.cooldown`). In the paper the clock is the
    number of tokens: count steps in tokens with :func:`fastlr.clocked` (or convert
    ``warmup_steps`` yourself). OLMo-core's ``PowerLR`` is the same shape.

    Parameters
    ----------
    peak : float
        Value at the end of the warmup.
    warmup_steps : int
        Length of the warmup (>= 1).
    exponent : float
        Power-law exponent :math:`b` (< 0; the paper's fit is -0.51).
    total_steps : int, optional
        End of the optional decay tail.
    decay_steps : int
        Length of the decay tail (>= 0, <= ``total_steps - warmup_steps``; needs ``total_steps``).
    end : float
        Value reached by the decay tail.
    cooldown : {"linear", "cosine", "1-sqrt"}
        Shape of the decay tail.

    References
    ----------
    Shen et al., "Power Scheduler: A Batch Size and Token Number Agnostic Learning Rate
    Scheduler", 2024.
    """
    peak, end = _value("peak", peak), _value("end", end)
    warm = check.integer("warmup_steps", warmup_steps, 1)
    b = check.real("exponent", exponent, high=0.0, high_open=True)
    decay = check.integer("decay_steps", decay_steps)
    kind = _COOLDOWN_KINDS[check.choice("cooldown", cooldown, COOLDOWNS)]
    segments = [Segment(Kind.LINEAR, 0, (0.0, peak, float(warm))),
                Segment(Kind.INVERSE_POWER, warm, (peak, float(warm), -b))]
    if total_steps is None:
        if decay:
            raise ValueError(f"decay_steps needs total_steps (where the decay ends), got decay_steps={decay}")
        return segments
    total = check.integer("total_steps", total_steps)
    if decay > total - warm:
        raise ValueError(f"decay_steps must be <= total_steps - warmup_steps = {total - warm}, got {decay}")
    begin = total - decay
    return clipped(segments, begin) + _ramp(kind, begin, evaluate(segments, begin), end, decay)
