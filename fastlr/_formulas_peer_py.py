"""NumPy twins of the peer formulas in ``_formulas_peer.h`` (tier "peer", owned by compat).

Same operation order as the C kernels, so both engines agree bit for bit
wherever NumPy and the C code reach the same libm function (see
``_formulas_py.py``, which merges these into the engine's table).
"""

from __future__ import annotations

import math

import numpy as np

from ._kinds import Kind


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

def hf_cosine(u, p, data):
    """transformers' cosine decay: end + (start - end) * (1 + cos((pi * turns) * (u / steps))) / 2"""
    return p[1] + (p[0] - p[1]) * (1.0 + np.cos((math.pi * p[3]) * (u / p[2]))) / 2.0


def hf_hard_restarts(u, p, data):
    """transformers' hard restarts: end + (peak - end) * (1 + cos(pi * frac(cycles * (u / period)))) / 2"""
    x = p[3] * (u / p[2])
    phase = x - np.floor(x)  # exact
    return p[1] + (p[0] - p[1]) * (1.0 + np.cos(math.pi * phase)) / 2.0


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
    """OLMo-core's formulas of the count c = u + offset, by shape (see fl_olmo in _formulas_peer.h)"""
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


FORMULAS_PEER = {
    Kind.ANNEAL: anneal,
    Kind.TIMM_COSINE: timm_cosine,
    Kind.TIMM_POLY: timm_poly,
    Kind.TIMM_TANH: timm_tanh,
    Kind.TIMM_WSD: timm_wsd,
    Kind.HF_COSINE: hf_cosine,
    Kind.HF_HARD_RESTARTS: hf_hard_restarts,
    Kind.DECAY_COEFF: decay_coeff,
    Kind.MEGATRON_INV_SQRT: megatron_inv_sqrt,
    Kind.OLMO: olmo,
}
"""Peer kinds -> NumPy formula (merged into ``_formulas_py.FORMULAS``)."""
