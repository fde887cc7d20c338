"""NumPy formulas of the native kinds: the pure-Python engine's only copy of each.

Each function maps local steps ``u`` (float64 array) and a segment's
parameter row ``p`` to float64 values, with the operation order of its C twin
in ``_formulas.h`` so that both engines agree bit for bit wherever NumPy and
the C code reach the same libm function. Callers silence floating-point
warnings (``noam`` divides by zero at u = 0 on purpose).
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from ._formulas_f32_py import FORMULAS_F32
from ._formulas_peer_py import FORMULAS_PEER
from ._kinds import Kind

Formula = Callable[[np.ndarray, Sequence[float], np.ndarray], np.ndarray]


def _pow(x, y):
    """x ** y with the exact shortcuts of fl_pow for y = 2, 1, 0.5."""
    if y == 2.0:
        return x * x
    if y == 1.0:
        return x
    if y == 0.5:
        return np.sqrt(x)
    return np.power(x, y)


def constant(u, p, data):
    """fastlr.constant"""
    return np.full(u.shape, p[0])


def linear(u, p, data):
    """fastlr.linear: start + (end - start) * u / steps"""
    return p[0] + (p[1] - p[0]) * u / p[2]


def polynomial(u, p, data):
    """fastlr.polynomial: (start - end) * (1 - u / steps) ** power + end"""
    return (p[0] - p[1]) * _pow(1.0 - u / p[2], p[3]) + p[1]


def cosine(u, p, data):
    """fastlr.cosine: end + (start - end) * (1 + cos(pi * u / steps)) / 2"""
    return p[1] + (p[0] - p[1]) * (1.0 + np.cos(math.pi * u / p[2])) / 2.0


def _exponent(u, p):
    e = u / p[2]
    return np.floor(e) if p[3] != 0.0 else e


def exponential(u, p, data):
    """fastlr.exponential: clamp(start * rate ** e, low, high); a zero start stays zero"""
    e = _exponent(u, p)
    v = p[0] * np.power(p[1], e) if p[0] != 0.0 else np.full_like(e, p[0])
    return np.where(v < p[4], p[4], np.where(v > p[5], p[5], v))


def inverse_time(u, p, data):
    """fastlr.inverse_time: start / (1 + rate * e)"""
    return p[0] / (1.0 + p[1] * _exponent(u, p))


def inverse_power(u, p, data):
    """fastlr.warmup_inverse decay: peak * (offset / (u + offset)) ** power"""
    return p[0] * _pow(p[1] / (u + p[1]), p[2])


def noam(u, p, data):
    """fastlr.noam: scale * min(u ** -0.5, u * warmup_factor)"""
    return p[0] * np.fmin(1.0 / np.sqrt(u), u * p[1])


def cosine_restarts(u, p, data):
    """fastlr.cosine_restarts: cosine over cycles of length period * period_mult**i"""
    peak, end, period, mult, decay = p[:5]
    if mult == 1.0:
        i = np.floor(u / period)
        phase = np.fmod(u, period)  # exact even where u / period rounds
        length = period
    else:
        reach = u + np.minimum(u * 2.0**-50, 0.25)  # below half a step: never a neighbour's start
        scale = period / (mult - 1.0)
        x = u * (mult - 1.0) / period
        x = np.where(np.isinf(x), np.finfo(np.float64).max, x)  # huge mult: index <= 1 stays exact
        i = np.floor(np.log1p(x) / math.log(mult))
        grow = np.power(mult, i)
        first = scale * (grow - 1.0)
        following = scale * (grow * mult - 1.0)
        early = first > reach
        late = ~early & (following <= reach)
        phase = u - np.where(early, scale * (grow / mult - 1.0), np.where(late, following, first))
        i = np.where(early, i - 1.0, np.where(late, i + 1.0, i))
        length = period * np.where(early, grow / mult, np.where(late, grow * mult, grow))
    top = peak if decay == 1.0 else peak * np.power(decay, i)
    return end + (top - end) * (1.0 + np.cos(math.pi * phase / length)) / 2.0


def cyclic(u, p, data):
    """fastlr.cyclic (torch CyclicLR's closed form)"""
    low, high, total, ratio, mode, gamma = p[:6]
    cycle = np.floor(1.0 + u / total)
    x = 1.0 + u / total - cycle
    scale = np.where(x <= ratio, x / ratio, (x - 1.0) / (ratio - 1.0))
    height = (high - low) * scale
    if mode == 1.0:
        return low + height * (1.0 / np.power(2.0, cycle - 1.0))
    if mode == 2.0:
        return low + height * np.power(gamma, u)
    return low + height * 1.0


def one_minus_sqrt(u, p, data):
    """fastlr.wsd "1-sqrt" cooldown: end + (start - end) * (1 - sqrt(u / steps))"""
    return p[1] + (p[0] - p[1]) * (1.0 - np.sqrt(u / p[2]))


def table(u, p, data):
    """precomputed values: data[offset + min(u, count - 1)]"""
    last = p[1] - 1.0
    return data[int(p[0]) + np.where(u < last, u, last).astype(np.int64)]


FORMULAS_NATIVE: dict[Kind, Formula] = {
    Kind.CONSTANT: constant,
    Kind.LINEAR: linear,
    Kind.POLYNOMIAL: polynomial,
    Kind.COSINE: cosine,
    Kind.EXPONENTIAL: exponential,
    Kind.INVERSE_TIME: inverse_time,
    Kind.INVERSE_POWER: inverse_power,
    Kind.NOAM: noam,
    Kind.COSINE_RESTARTS: cosine_restarts,
    Kind.CYCLIC: cyclic,
    Kind.ONE_MINUS_SQRT: one_minus_sqrt,
    Kind.TABLE: table,
}

TIERS: dict[str, dict[Kind, Formula]] = {
    "native": FORMULAS_NATIVE, "peer": FORMULAS_PEER, "float32": FORMULAS_F32}
"""Each tier's formulas, by the tier names of _kinds.Tier."""

FORMULAS: dict[Kind, Formula] = {**FORMULAS_NATIVE, **FORMULAS_PEER, **FORMULAS_F32}
"""Kind -> NumPy formula, every tier; tests check it covers every Kind."""
