"""NumPy formulas: the pure-Python engine's only copy of each kind.

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
    """fastlr.cosine: end + (start - end) * (1 + cos(pi * u / steps)) / 2, or with turns != 0
    the angle (pi * turns) * (u / steps), transformers' order"""
    angle = (math.pi * p[3]) * (u / p[2]) if p[3] != 0.0 else math.pi * u / p[2]
    return p[1] + (p[0] - p[1]) * (1.0 + np.cos(angle)) / 2.0


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
    """fastlr.cosine_restarts: cosine over cycles of length period * period_mult**i, or (cycles != 0)
    over frac(cycles * u / period), transformers' hard restarts"""
    peak, end, period, mult, decay, cycles = p[:6]
    if mult == 1.0 and cycles != 0.0:
        x = cycles * (u / period)
        i = np.floor(x)
        phase = x - i  # exact
        length = 1.0
    elif mult == 1.0:
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


# ---- peer-specific formulas (compat modules)

def anneal(u, p, data):
    """torch OneCycleLR phase: cos or linear in pct = (u + offset - begin) / (stop - begin); with
    turns != 0 the cosine's angle is (pi * turns) * pct, transformers' order"""
    pct = (u + p[2] - p[3]) / (p[4] - p[3])
    if p[5] != 0.0:
        return (p[1] - p[0]) * pct + p[0]
    angle = (math.pi * p[6]) * pct if p[6] != 0.0 else math.pi * pct
    return p[1] + (p[0] - p[1]) / 2.0 * (np.cos(angle) + 1.0)


def _libm_log(x):
    # math.log is the C engine's log: the cycle index is a floor of it, so one
    # ulp from a SIMD log would move a restart by a whole step.
    return np.array([math.log(v) if v > 0.0 else (-math.inf if v == 0.0 else math.nan)
                     for v in np.ravel(x).tolist()], dtype=np.float64).reshape(np.shape(x))


def _timm_cycle(t, period, mult):
    if mult != 1.0:
        i = np.floor(_libm_log(1.0 - t / period * (1.0 - mult)) / math.log(mult))
        grown = np.power(mult, i)
        return i, grown * period, t - (1.0 - grown) / (1.0 - mult) * period
    i = np.floor(t / period)
    i = np.where(i * period > t, i - 1.0, i)
    return i, period, t - period * i


def timm_cosine(u, p, data):
    """timm CosineLRScheduler: low + 0.5 * (peak * decay**i - low) * (1 + cos(pi * pos**k / length**k))"""
    i, length, pos = _timm_cycle(u + p[6], p[2], p[3])
    top = p[0] * np.power(p[4], i)
    return p[1] + 0.5 * (top - p[1]) * (1.0 + np.cos(math.pi * np.power(pos, p[5]) / np.power(length, p[5])))


def timm_poly(u, p, data):
    """timm PolyLRScheduler: low + (peak * decay**i - low) * (1 - pos**k / length**k) ** power"""
    i, length, pos = _timm_cycle(u + p[7], p[2], p[3])
    top = p[0] * np.power(p[4], i)
    return p[1] + (top - p[1]) * np.power(1.0 - np.power(pos, p[5]) / np.power(length, p[5]), p[6])


def timm_tanh(u, p, data):
    """timm TanhLRScheduler: low + 0.5 * (peak * decay**i - low) * (1 - tanh(lb * (1 - r) + ub * r))"""
    i, length, pos = _timm_cycle(u + p[7], p[2], p[3])
    top = p[0] * np.power(p[4], i)
    r = pos / length
    return p[1] + 0.5 * (top - p[1]) * (1.0 - np.tanh(p[5] * (1.0 - r) + p[6] * r))


def timm_wsd(u, p, data):
    """timm WSDLRScheduler after warmup: stable part, then cooldown d(frac) toward low"""
    scale = 1.0 if p[2] == 0.0 else np.power(1.0 + u / p[2], -p[3])
    stable = p[0] * scale
    stable = np.where(p[1] > stable, p[1], stable)
    into = u - p[4]
    frac = into / p[5]
    frac = np.where(1.0 < frac, 1.0, frac)
    fn, r = p[6], p[7]
    if fn == 0.0:
        d = 1.0 - frac
    elif fn == 1.0:
        d = 1.0 - np.sqrt(frac)
    elif fn == 2.0:
        d = 0.5 * (1.0 + np.cos(math.pi * frac))
    elif fn == 3.0:
        d = 1.0 - np.power(frac, r)
    else:
        d = (np.power(r, frac) - r) / (1.0 - r)
    return np.where(into <= 0.0, stable, p[1] + (stable - p[1]) * d)


def decay_coeff(u, p, data):
    """Megatron-LM / torchtitan decay: scale * (low + coeff(r) * delta), r = ((u + offset) - begin) / span"""
    r = ((u + p[3]) - p[4]) / p[5]
    shape = p[6]
    if shape == 0.0:
        coeff = 1.0 - r
    elif shape == 1.0:
        coeff = 0.5 * (np.cos(math.pi * r) + 1.0)
    elif shape == 2.0:
        coeff = 2.0 * np.power(0.5, r) - 1.0
    elif shape == 3.0:
        coeff = 1.0 - np.sqrt(r)
    elif shape == 4.0:
        coeff = r
    else:
        coeff = 0.5 * (np.cos(math.pi * (1.0 - r)) + 1.0)
    return p[0] * (p[1] + coeff * p[2])


def megatron_inv_sqrt(u, p, data):
    """Megatron-LM inverse-square-root: max(low, peak * root / (u + offset) ** 0.5)"""
    v = p[0] * p[1] / np.power(u + p[3], 0.5)
    return np.where(v > p[2], v, p[2])


def olmo(u, p, data):
    """OLMo-core's formulas of the count c = u + offset, by shape (see fl_olmo in _formulas.h)"""
    shape, low, high, span = p[0], p[1], p[2], p[3]
    c = u + p[6]
    if shape == 0.0:
        return low + (high - low) * c / span
    if shape == 1.0:
        return low + (high - low) * (1.0 + np.cos(math.pi * c / span)) / 2.0
    if shape == 2.0:
        return low + (high - low) * (p[4] - c) / span
    if shape == 3.0:
        return high - (high - low) * (c / span)
    if shape == 4.0:
        return low + (high - low) * np.sqrt(span / c)
    if shape == 5.0:
        return low + (high - low) * (1.0 + np.cos(math.pi * (c + span) / (2.0 * span))) / 2.0
    if shape == 6.0:
        return high * np.power(c / span, p[5])
    return low * np.power(high, c / span)


FORMULAS: dict[Kind, Formula] = {
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
    Kind.ANNEAL: anneal,
    Kind.TIMM_COSINE: timm_cosine,
    Kind.TIMM_POLY: timm_poly,
    Kind.TIMM_TANH: timm_tanh,
    Kind.TIMM_WSD: timm_wsd,
    Kind.DECAY_COEFF: decay_coeff,
    Kind.MEGATRON_INV_SQRT: megatron_inv_sqrt,
    Kind.OLMO: olmo,
    **FORMULAS_F32,
}
"""Kind -> NumPy formula; tests check it covers every Kind."""
