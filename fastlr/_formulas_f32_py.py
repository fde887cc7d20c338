"""NumPy twins of the float32 kinds in ``_formulas_f32.h``.

Same operation order as the C kernels, in ``np.float32`` arithmetic (each
NumPy float32 ``+ - * /`` is one IEEE float32 operation); transcendentals are
evaluated in float64 and rounded once to float32, and every result is flushed
to zero when subnormal, as TensorFlow and XLA:CPU do. Parameters are float32
values stored as float64 (exact). Both engines agree bit for bit, except that
NumPy's float64 ``power``/``log`` may be SIMD code that differs from libm by
one float64 ulp, which changes the float32 rounding only when the exact value
lies within that ulp of a float32 rounding boundary (about 1 value in 10**8).
"""

from __future__ import annotations

import math

import numpy as np

from ._float32 import fz
from ._kinds import Kind

F32 = np.float32
_ZERO, _HALF, _ONE, _TWO = F32(0.0), F32(0.5), F32(1.0), F32(2.0)
_PI = F32(math.pi)


def _cos(x):
    return fz(np.cos(np.asarray(x, dtype=np.float64)).astype(F32))


def _log(x):
    return fz(np.log(np.asarray(x, dtype=np.float64)).astype(F32))


def _pow(x, y):
    return fz(np.power(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)).astype(F32))


def _integer_pow(x, y: float):
    """jax.lax.integer_pow: binary exponentiation in float32, 1/acc for y < 0."""
    n = int(abs(y))
    if n == 0:
        return np.ones_like(x)
    acc = None
    while n > 0:
        if n & 1:
            acc = x if acc is None else fz(acc * x)
        n >>= 1
        if n > 0:
            x = fz(x * x)
    return fz(_ONE / acc) if y < 0 else acc


def _optax_power(x, e: float, is_int: float):
    return _integer_pow(x, e) if is_int != 0.0 else _pow(x, F32(e))


def _steps(u):
    return u.astype(F32)


def f32_tf_decay(u, p, data):
    """Keras ExponentialDecay lr * rate ** p, or InverseTimeDecay lr / (1 + rate * p)"""
    lr, steps, rate = F32(p[0]), F32(p[1]), F32(p[2])
    q = fz(_steps(u) / steps)
    if p[3] != 0.0:
        q = np.floor(q)
    if p[4] == 0.0:
        return fz(lr * _pow(rate, q))
    return fz(lr / fz(_ONE + fz(rate * q)))


def f32_tf_polynomial(u, p, data):
    """Keras PolynomialDecay: (lr - end) * (1 - s / d) ** power + end"""
    lr, end, power, steps = F32(p[0]), F32(p[1]), F32(p[2]), F32(p[3])
    s = _steps(u)
    if p[4] != 0.0:
        mult = np.where(s == _ZERO, _ONE, np.ceil(fz(s / steps)))
        d = fz(steps * mult)
    else:
        s = np.where(s < steps, s, steps)
        d = steps
    q = fz(s / d)
    return fz(fz(fz(lr - end) * _pow(fz(_ONE - q), power)) + end)


def _tf_cosine_decay(s, steps, start, one_minus_alpha, alpha):
    fraction = fz(s / steps)
    decayed = fz(_HALF * fz(_ONE + _cos(fz(_PI * fraction))))
    return fz(start * fz(fz(one_minus_alpha * decayed) + alpha))


def f32_tf_cosine(u, p, data):
    """Keras CosineDecay with optional linear warmup to warmup_target"""
    lr, steps, oma, alpha = F32(p[0]), F32(p[1]), F32(p[2]), F32(p[3])
    target, warmup = F32(p[4]), F32(p[5])
    s = _steps(u)
    if p[6] == 0.0:
        return _tf_cosine_decay(np.where(s < steps, s, steps), steps, lr, oma, alpha)
    last = fz(steps + warmup)
    s = np.where(s < last, s, last)
    rising = fz(fz(fz(target - lr) * fz(s / warmup)) + lr)
    falling = _tf_cosine_decay(fz(s - warmup), steps, target, oma, alpha)
    return np.where(s < warmup, rising, falling)


def f32_tf_cosine_restarts(u, p, data):
    """Keras CosineDecayRestarts"""
    lr, first, alpha, t_mul, m_mul = (F32(v) for v in p[:5])
    c = fz(_steps(u) / first)
    if t_mul == _ONE:
        i = np.floor(c)
        c = fz(c - i)
    else:
        one_minus_t = fz(_ONE - t_mul)
        i = np.floor(fz(_log(fz(_ONE - fz(c * one_minus_t))) / _log(t_mul)))
        total = fz(fz(_ONE - _pow(t_mul, i)) / one_minus_t)
        c = fz(fz(c - total) / _pow(t_mul, i))
    decayed = fz(fz(_HALF * _pow(m_mul, i)) * fz(_ONE + _cos(fz(_PI * c))))
    return fz(lr * fz(fz(fz(_ONE - alpha) * decayed) + alpha))


def f32_optax_polynomial(u, p, data):
    """optax polynomial_schedule: diff * (1 - clip(n, 0, steps) / steps) ** power + end"""
    diff, end, steps = F32(p[0]), F32(p[1]), F32(p[3])
    n = np.clip(u - p[4], 0.0, p[3])
    frac = fz(_ONE - fz(n.astype(F32) / steps))
    return fz(fz(diff * _optax_power(frac, p[2], p[5])) + end)


def f32_optax_exponential(u, p, data):
    """optax exponential_decay: init * rate ** float32(n / steps), clipped"""
    init, rate = F32(p[0]), F32(p[1])
    n = u - p[3]
    q = (n / p[2]).astype(F32)
    if p[4] != 0.0:
        q = np.floor(q)
    v = np.where(n > 0.0, fz(init * _pow(rate, q)), init)
    v = np.where(v < F32(p[5]), F32(p[5]), v)
    return np.where(v > F32(p[6]), F32(p[6]), v)


def f32_optax_cosine(u, p, data):
    """optax cosine_decay_schedule"""
    init, steps, oma, alpha = F32(p[0]), F32(p[1]), F32(p[2]), F32(p[3])
    c = (u - p[6]).astype(F32)
    c = np.where(c < steps, c, steps)
    decayed = fz(_HALF * fz(_ONE + _cos(fz(fz(_PI * c) / steps))))
    return fz(init * fz(fz(oma * _optax_power(decayed, p[4], p[5])) + alpha))


def f32_optax_interpolate(u, p, data):
    """optax piecewise_interpolate_schedule, one interval (linear or cosine)"""
    start, end = F32(p[0]), F32(p[1])
    pct = fz((u - p[4]).astype(F32) / F32(p[2]))
    if p[3] == 0.0:
        return fz(fz(fz(end - start) * pct) + start)
    return fz(end + fz(fz(fz(start - end) / _TWO) * fz(_cos(fz(_PI * pct)) + _ONE)))


FORMULAS_F32 = {
    Kind.F32_TF_DECAY: f32_tf_decay,
    Kind.F32_TF_POLYNOMIAL: f32_tf_polynomial,
    Kind.F32_TF_COSINE: f32_tf_cosine,
    Kind.F32_TF_COSINE_RESTARTS: f32_tf_cosine_restarts,
    Kind.F32_OPTAX_POLYNOMIAL: f32_optax_polynomial,
    Kind.F32_OPTAX_EXPONENTIAL: f32_optax_exponential,
    Kind.F32_OPTAX_COSINE: f32_optax_cosine,
    Kind.F32_OPTAX_INTERPOLATE: f32_optax_interpolate,
}
"""Float32 kinds -> NumPy formula (merged into ``_formulas_py.FORMULAS``)."""
