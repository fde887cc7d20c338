"""The benchmark schedules: fastlr schedule, NumPy forms, C limit, per-step probe.

Every NumPy form computes the same values as the fastlr schedule (checked by
compare.py); the fastest is the baseline a NumPy user would write with
``out=`` and preallocated scratch arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

import fastlr

PEAK = 1e-3
Form = Callable[["Scratch", np.ndarray], "np.ndarray | None"]


class Scratch:
    """Index arrays and temporaries for NumPy forms, allocated once and reused (warm)."""

    def __init__(self, n: int, dtype=np.float64) -> None:
        self.n = n
        self.t = np.arange(n, dtype=dtype)
        self.a = np.ones(n, dtype)
        self.b = np.ones(n, dtype)


@dataclass
class Case:
    name: str
    schedule: fastlr.Schedule
    limit: str
    limit_params: list[float]
    forms: dict[str, Form]
    step: int
    forms32: dict[str, Form] = field(default_factory=dict)
    limit32: str | None = None


def _warmup_cosine(n: int) -> Case:
    W = n // 10
    s = fastlr.warmup_cosine(PEAK, W, n)
    k, h, sl = math.pi / (n - W), 0.5 * PEAK, PEAK / W

    def naive(c, out):
        t = c.t
        return np.where(t < W, sl * t, h * (1.0 + np.cos(k * (t - W))))

    def inplace(c, out):
        r = c.t[W:] - W
        r *= k
        np.cos(r, out=r)
        r += 1.0
        r *= h
        return np.concatenate([sl * c.t[:W], r])

    def out_form(c, out):
        np.multiply(c.t[:W], sl, out=out[:W])
        o = out[W:]
        np.subtract(c.t[W:], W, out=o)
        o *= k
        np.cos(o, out=o)
        o += 1.0
        o *= h

    def out_form32(c, out):
        np.multiply(c.t[:W], np.float32(sl), out=out[:W])
        o = out[W:]
        np.subtract(c.t[W:], np.float32(W), out=o)
        o *= np.float32(k)
        np.cos(o, out=o)
        o += np.float32(1.0)
        o *= np.float32(h)

    def naive32(c, out):
        t = c.t
        return np.where(t < W, np.float32(sl) * t,
                        np.float32(h) * (np.float32(1) + np.cos(np.float32(k) * (t - np.float32(W)))))

    return Case("warmup_cosine", s, "warmup_cosine_f64", [PEAK, W, n],
                {"np.where (naive)": naive, "in-place ufuncs (allocates)": inplace,
                 "out= (preallocated)": out_form}, n // 2,
                {"np.where (naive)": naive32, "out= (preallocated)": out_form32},
                "warmup_cosine_f32")


def _exponential(n: int) -> Case:
    steps = n // 100
    s = fastlr.exponential(PEAK, 0.96, steps)
    c_exp = math.log(0.96) / steps

    def naive(c, out):
        return PEAK * 0.96 ** (c.t / steps)

    def power_out(c, out):
        np.divide(c.t, steps, out=out)
        np.power(0.96, out, out=out)
        out *= PEAK

    def exp_out(c, out):
        np.multiply(c.t, c_exp, out=out)
        np.exp(out, out=out)
        out *= PEAK

    return Case("exponential", s, "exponential_f64", [PEAK, 0.96, steps],
                {"** (naive)": naive, "np.power out=": power_out, "np.exp out=": exp_out}, n // 2)


def _polynomial(n: int) -> Case:
    s = fastlr.polynomial(PEAK, n, end=1e-6, power=2.0)
    a = PEAK - 1e-6

    def naive(c, out):
        return a * (1.0 - c.t / n) ** 2.0 + 1e-6

    def power_out(c, out):
        np.divide(c.t, n, out=out)
        np.subtract(1.0, out, out=out)
        np.power(out, 2.0, out=out)
        out *= a
        out += 1e-6

    def square_out(c, out):
        np.divide(c.t, n, out=out)
        np.subtract(1.0, out, out=out)
        np.square(out, out=out)
        out *= a
        out += 1e-6

    return Case("polynomial (power 2)", s, "polynomial_f64", [PEAK, 1e-6, n, 2.0],
                {"** (naive)": naive, "np.power out=": power_out, "np.square out=": square_out}, n // 2)


def _inverse_sqrt(n: int) -> Case:
    W = 4000
    s = fastlr.warmup_inverse(PEAK, W)

    def naive(c, out):
        t = c.t
        with np.errstate(divide="ignore"):
            return np.where(t < W, PEAK * t / W, PEAK * (W / t) ** 0.5)

    def sqrt_out(c, out):
        np.multiply(c.t[:W], PEAK / W, out=out[:W])
        o = out[W:]
        np.divide(W, c.t[W:], out=o)
        np.sqrt(o, out=o)
        o *= PEAK

    def power_out(c, out):
        np.multiply(c.t[:W], PEAK / W, out=out[:W])
        o = out[W:]
        np.divide(W, c.t[W:], out=o)
        np.power(o, 0.5, out=o)
        o *= PEAK

    return Case("inverse sqrt (warmup_inverse)", s, "inverse_power_f64", [PEAK, W, 0.5],
                {"np.where ** (naive)": naive, "np.power out=": power_out, "np.sqrt out=": sqrt_out},
                n // 2)


def _noam(n: int) -> Case:
    d, W = 512, 4000
    s = fastlr.noam(d, warmup_steps=W)
    scale, f = d ** -0.5, W ** -1.5

    def naive(c, out):
        with np.errstate(divide="ignore"):
            return scale * np.minimum(c.t ** -0.5, c.t * f)

    def out_form(c, out):
        with np.errstate(divide="ignore"):
            np.sqrt(c.t, out=c.a)
            np.divide(1.0, c.a, out=c.a)
        np.multiply(c.t, f, out=c.b)
        np.minimum(c.a, c.b, out=out)
        out *= scale

    return Case("noam", s, "noam_f64", [scale, f, W],
                {"** minimum (naive)": naive, "sqrt/divide/minimum out=": out_form}, n // 2)


def _restarts(n: int) -> Case:
    P = n // 20
    s = fastlr.cosine_restarts(PEAK, P)

    def naive(c, out):
        return 0.5 * PEAK * (1.0 + np.cos(math.pi * np.mod(c.t, P) / P))

    def out_form(c, out):
        np.fmod(c.t, P, out=out)
        out *= math.pi / P
        np.cos(out, out=out)
        out += 1.0
        out *= 0.5 * PEAK

    return Case("cosine_restarts (equal cycles)", s, "restarts_f64", [PEAK, P],
                {"np.mod cos (naive)": naive, "fmod/cos out=": out_form}, n // 2)


def _restarts2(n: int) -> Case:
    P = n // 64
    s = fastlr.cosine_restarts(PEAK, P, period_mult=2.0)

    def naive(c, out):
        i = np.floor(np.log2(1.0 + c.t / P))
        g = 2.0 ** i
        return 0.5 * PEAK * (1.0 + np.cos(math.pi * (c.t - P * (g - 1.0)) / (P * g)))

    def out_form(c, out):
        g, o = c.a, out
        np.divide(c.t, P, out=g)
        g += 1.0
        np.log2(g, out=g)
        np.floor(g, out=g)
        np.exp2(g, out=g)
        np.subtract(g, 1.0, out=o)
        o *= -P
        o += c.t
        g *= P
        o /= g
        o *= math.pi
        np.cos(o, out=o)
        o += 1.0
        o *= 0.5 * PEAK

    return Case("cosine_restarts (period_mult 2)", s, "restarts_mult2_f64", [PEAK, P],
                {"log2/exp2 (naive)": naive, "log2/exp2 out=": out_form}, n // 2)


def _cyclic_case(n: int, mode: str, gamma: float) -> Case:
    low, high, size = 1e-4, 1e-2, 2000
    s = fastlr.cyclic(low, high, size, mode=mode, gamma=gamma)
    scaled = mode == "exp_range"

    def naive(c, out):  # torch CyclicLR's formula
        cycle = np.floor(1 + c.t / (2 * size))
        x = np.abs(c.t / size - 2 * cycle + 1)
        height = (high - low) * np.maximum(0, 1 - x)
        return low + (height * gamma ** c.t if scaled else height)

    def out_form(c, out):
        cy, x = c.a, out
        np.divide(c.t, 2 * size, out=cy)
        cy += 1.0
        np.floor(cy, out=cy)
        cy *= 2.0
        np.divide(c.t, size, out=x)
        x -= cy
        x += 1.0
        np.abs(x, out=x)
        np.subtract(1.0, x, out=x)
        np.maximum(x, 0.0, out=x)
        x *= high - low
        if scaled:
            np.power(gamma, c.t, out=cy)
            x *= cy
        x += low

    return Case(f"cyclic ({mode})", s, "cyclic_exp_f64" if scaled else "cyclic_f64",
                [low, high, size, size, gamma],
                {"torch formula (naive)": naive, "torch formula out=": out_form}, n // 2 + 7)


def _cyclic(n: int) -> Case:
    return _cyclic_case(n, "triangular", 1.0)


def _cyclic_exp(n: int) -> Case:
    return _cyclic_case(n, "exp_range", 0.9999999)


def _one_cycle(n: int) -> Case:
    s = fastlr.one_cycle(PEAK, n)
    init = PEAK / 25.0
    low = init / 1e4
    W = round(0.3 * n)

    def out_form(c, out):
        up, down = out[:W], out[W:]
        np.multiply(c.t[:W], math.pi / W, out=up)
        np.cos(up, out=up)
        up += 1.0
        up *= (init - PEAK) / 2.0
        up += PEAK
        np.subtract(c.t[W:], W, out=down)
        down *= math.pi / (n - W)
        np.cos(down, out=down)
        down += 1.0
        down *= (PEAK - low) / 2.0
        down += low

    def naive(c, out):
        t = c.t
        return np.where(t < W, PEAK + (init - PEAK) * (1 + np.cos(math.pi * t / W)) / 2,
                        low + (PEAK - low) * (1 + np.cos(math.pi * (t - W) / (n - W))) / 2)

    return Case("one_cycle", s, "one_cycle_f64", [init, PEAK, low, W, n],
                {"np.where (naive)": naive, "slices out=": out_form}, n // 2)


def _wsd(n: int) -> Case:
    W, S, D = n // 10, n * 7 // 10, n // 5
    s = fastlr.wsd(PEAK, W, S, D, cooldown="1-sqrt")

    def out_form(c, out):
        np.multiply(c.t[:W], PEAK / W, out=out[:W])
        out[W:W + S] = PEAK
        o = out[W + S:W + S + D]
        np.subtract(c.t[W + S:W + S + D], W + S, out=o)
        o /= D
        np.sqrt(o, out=o)
        np.subtract(1.0, o, out=o)
        o *= PEAK
        out[W + S + D:] = 0.0

    def naive(c, out):
        t = c.t
        return np.select([t < W, t < W + S, t < W + S + D],
                         [PEAK * t / W, PEAK, PEAK * (1 - np.sqrt(np.maximum(t - W - S, 0) / D))], 0.0)

    return Case("wsd (1-sqrt cooldown)", s, "wsd_f64", [PEAK, W, S, D],
                {"np.select (naive)": naive, "slices out=": out_form}, n - D // 2)


def _piecewise(n: int) -> Case:
    bounds = [n // 4, n // 2, 3 * n // 4]
    values = [1e-3, 8e-4, 4e-4, 1e-4]
    s = fastlr.piecewise_constant(bounds, values)
    table = None

    def lookup(c, out):
        np.take(np.array(values), np.searchsorted(np.array(bounds), c.t, side="right"), out=out)

    def slices(c, out):
        lo = 0
        for b, v in zip(bounds + [n], values):
            out[lo:b] = v
            lo = b

    def copyto(c, out):  # the memory floor: copying a precomputed table
        nonlocal table
        if table is None:
            table = s.table(n, exact=True)
        np.copyto(out, table)

    return Case("piecewise_constant", s, "piecewise_f64", [*bounds, *values],
                {"searchsorted/take out=": lookup, "slice assignment": slices,
                 "np.copyto of the table (memory floor)": copyto}, n // 2)


BUILDERS = [_warmup_cosine, _exponential, _polynomial, _inverse_sqrt, _noam, _restarts, _restarts2,
            _cyclic, _cyclic_exp, _one_cycle, _wsd, _piecewise]


def cases(n: int) -> list[Case]:
    return [build(n) for build in BUILDERS]
