"""Independent reference values for the native catalog, written from the docstrings.

Nothing here uses fastlr's segments or engines: each function evaluates one
factory's documented formula at a Python-int step with ``math`` (and exact
``fractions`` arithmetic where restart boundaries matter).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from fractions import Fraction
from typing import Any, Callable


def _ramp_value(start: float, end: float, steps: int, t: int, shape: str, power: float = 1.0) -> float:
    if t >= steps:
        return end
    if shape == "linear":
        return start + (end - start) * t / steps
    if shape == "cosine":
        return end + (start - end) * (1 + math.cos(math.pi * t / steps)) / 2
    if shape == "polynomial":
        return (start - end) * (1 - t / steps) ** power + end
    if shape == "1-sqrt":
        return end + (start - end) * (1 - math.sqrt(t / steps))
    raise ValueError(shape)


def constant(t, value):
    return value


def linear(t, start, steps, end=0.0):
    return _ramp_value(start, end, steps, t, "linear")


def polynomial(t, start, steps, end=0.0, power=1.0):
    return _ramp_value(start, end, steps, t, "polynomial", power)


def cosine(t, start, steps, end=0.0):
    return _ramp_value(start, end, steps, t, "cosine")


def _power(base: float, exponent: float) -> float:
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return math.inf


def exponential(t, start, rate, steps, staircase=False, floor=0.0):
    e = t // steps if staircase else t / steps
    return max(start * _power(rate, e) if start else start, floor)  # 0 * (a finite power) is 0


def inverse_time(t, start, rate, steps, staircase=False):
    e = t // steps if staircase else t / steps
    return start / (1 + rate * e)


def step(t, start, step_size, gamma=0.1):
    return start * _power(gamma, t // step_size) if start else start


def multistep(t, start, milestones, gamma=0.1):
    return start * gamma ** sum(1 for m in milestones if m <= t)


def piecewise_constant(t, boundaries, values):
    return values[bisect_right(boundaries, t)]


def piecewise_linear(t, boundaries, values):
    if t <= boundaries[0]:
        return values[0]
    if t >= boundaries[-1]:
        return values[-1]
    i = bisect_right(boundaries, t) - 1
    b0, b1, v0, v1 = boundaries[i], boundaries[i + 1], values[i], values[i + 1]
    return v0 + (v1 - v0) * (t - b0) / (b1 - b0)


def _as_evaluated(t: int) -> int:
    """The documented step rule: a local step is evaluated as the nearest float64
    (exact up to 2**53; only periodic schedules can tell the difference)."""
    return int(float(t))


def cosine_restarts(t, peak, period, end=0.0, period_mult=1.0, decay=1.0):
    t = _as_evaluated(t)
    mult = Fraction(period_mult)
    if mult == 1:
        i, begin, length = t // period, (t // period) * period, Fraction(period)
    else:
        i, begin, length = 0, Fraction(0), Fraction(period)
        while begin + length <= t:  # exact rational cycle boundaries
            begin += length
            length *= mult
            i += 1
    top = peak * decay ** i
    return end + (top - end) * (1 + math.cos(math.pi * float(t - begin) / float(length))) / 2


def cyclic(t, low, high, step_size_up, step_size_down=None, mode="triangular", gamma=1.0):
    t = _as_evaluated(t)
    down = step_size_up if step_size_down is None else step_size_down
    total = step_size_up + down
    cycle = math.floor(1 + t / total)
    x = 1 + t / total - cycle
    ratio = step_size_up / total
    height = (high - low) * (x / ratio if x <= ratio else (x - 1) / (ratio - 1))
    if mode == "triangular2":
        return low + height * math.ldexp(1.0, -(cycle - 1))
    if mode == "exp_range":
        return low + height * gamma ** t
    return low + height


def one_cycle(t, peak, total_steps, pct_start=0.3, div_factor=25.0, final_div_factor=1e4,
              anneal="cos", three_phase=False):
    initial = peak / div_factor
    minimum = initial / final_div_factor
    rise = round(pct_start * total_steps)
    if three_phase:
        rise = min(rise, total_steps // 2)  # the documented cap: the fall must end by total_steps
    corners = [(0, initial), (rise, peak)]
    if three_phase:
        corners.append((2 * rise, initial))
    corners.append((total_steps, minimum))
    if t >= total_steps:
        return minimum
    for (b0, v0), (b1, v1) in zip(corners, corners[1:]):
        if b0 <= t < b1:
            return _ramp_value(v0, v1, b1 - b0, t - b0, "cosine" if anneal == "cos" else "linear")
    raise AssertionError("unreachable")


def _warmup_then(t, shape, peak, warmup_steps, total_steps, start, end):
    if t < warmup_steps:
        return start + (peak - start) * t / warmup_steps
    if t >= total_steps:
        return end
    return _ramp_value(peak, end, total_steps - warmup_steps, t - warmup_steps, shape)


def warmup_cosine(t, peak, warmup_steps, total_steps, start=0.0, end=0.0):
    return _warmup_then(t, "cosine", peak, warmup_steps, total_steps, start, end)


def warmup_linear(t, peak, warmup_steps, total_steps, start=0.0, end=0.0):
    return _warmup_then(t, "linear", peak, warmup_steps, total_steps, start, end)


def warmup_inverse(t, peak, warmup_steps, power=0.5):
    if t <= warmup_steps:
        return peak * t / warmup_steps
    return peak * (warmup_steps / t) ** power


def noam(t, d_model, warmup_steps=4000, scale=1.0):
    if t == 0:
        return 0.0
    return scale * d_model ** -0.5 * min(t ** -0.5, t * warmup_steps ** -1.5)


def wsd(t, peak, warmup_steps, stable_steps, decay_steps, start=0.0, end=0.0, cooldown="linear"):
    if t < warmup_steps:
        return start + (peak - start) * t / warmup_steps
    if t < warmup_steps + stable_steps:
        return peak
    return _ramp_value(peak, end, decay_steps, t - warmup_steps - stable_steps, cooldown)


def warmup(t, schedule, steps, start=0.0):
    if steps == 0:
        return value(schedule, t)
    if t < steps:
        return start + (value(schedule, 0) - start) * t / steps
    return value(schedule, t - steps)


def join(t, schedules, boundaries):
    i = bisect_right(boundaries, t)
    return value(schedules[i], t - ([0] + list(boundaries))[i])


def cooldown(t, schedule, at, steps, shape="1-sqrt", end=0.0):
    if t < at:
        return value(schedule, t)
    return _ramp_value(value(schedule, at), end, steps, t - at, shape)


def wsd_s(t, peak, warmup_steps, periods, decay_steps, end=0.0, cooldown="linear", multipliers=None):
    decays = list(decay_steps) if isinstance(decay_steps, (list, tuple)) else [decay_steps] * len(periods)
    scales = list(multipliers) if multipliers is not None else [1.0] * len(periods)
    if t < warmup_steps:
        return peak * scales[0] * t / warmup_steps
    stop = 0
    for length, decay, scale in zip(periods, decays, scales):
        stop += length
        if t < stop:
            into = t - (stop - decay)
            return peak * scale if into < 0 else _ramp_value(peak * scale, end, decay, into, cooldown)
    return end


def power_law(t, peak, warmup_steps, exponent=-0.51, total_steps=None, decay_steps=0, end=0.0,
              cooldown="linear"):
    def law(k):
        return peak * k / warmup_steps if k <= warmup_steps else peak * (k / warmup_steps) ** exponent
    if total_steps is None or t < total_steps - decay_steps:
        return law(t)
    return _ramp_value(law(total_steps - decay_steps), end, decay_steps, t - total_steps + decay_steps, cooldown)


REFERENCES: dict[str, Callable[..., float]] = {
    name: fn for name, fn in globals().items()
    if callable(fn) and not name.startswith("_") and name not in ("value", "annotations")
    and getattr(fn, "__module__", None) == __name__
}


def value(schedule: Any, t: int) -> float:
    """Reference value of a native fastlr schedule at step t, from its spec only."""
    return REFERENCES[schedule.name](t, **schedule.args)
