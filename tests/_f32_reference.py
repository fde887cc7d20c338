"""An independent float32 reference for the Keras/tf_keras/optax compat schedules.

Written from the peers' source (keras/src/optimizers/schedules/
learning_rate_schedule.py, tf_keras's copy, optax/schedules/_schedule.py and
_join.py) as scalar Python, one step at a time, sharing no code with fastlr:
float32 rounding is ``struct`` packing (Python's own float -> float32
conversion), each float32 operation is the exact double operation rounded
once (innocuous for + - * / since double has more than 2 * 24 + 2 bits),
transcendentals are ``math`` functions rounded once, and subnormal results
are flushed to zero (TensorFlow, XLA:CPU). Each ``keras_*``/``optax_*``
function returns ``f(step) -> float``.
"""

from __future__ import annotations

import math
import struct

TINY = 2.0**-126


def r32(x: float) -> float:
    """Round a double to float32 (overflow to a signed infinity)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def z(x: float) -> float:
    """Round to float32 and flush a subnormal result to a signed zero."""
    x = r32(x)
    return math.copysign(0.0, x) if x != 0.0 and abs(x) < TINY else x


def add(a, b): return z(a + b)
def sub(a, b): return z(a - b)
def mul(a, b): return z(a * b)


def div(a, b):
    if b == 0.0:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return z(a / b)


def cos(x): return z(math.cos(x)) if math.isfinite(x) else math.nan


def log(x):
    if math.isnan(x) or x < 0:
        return math.nan
    return -math.inf if x == 0 else z(math.log(x))


def pow_(x, y):
    try:
        return z(math.pow(x, y))
    except OverflowError:
        return math.inf if x > 0 or float(y).is_integer() and int(y) % 2 == 0 else -math.inf
    except ValueError:
        return math.nan


def minimum(a, b): return a if a < b else b


def floor(x): return float(math.floor(x)) if math.isfinite(x) else x


def ceil(x): return float(math.ceil(x)) if math.isfinite(x) else x


PI = r32(math.pi)


# ---------------------------------------------------------------- Keras (TF), both flavours

def keras_exponential(initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None,
                      inverse=False):
    lr, steps, rate = z(initial_learning_rate), z(decay_steps), z(decay_rate)

    def f(k):
        p = div(r32(k), steps)
        if staircase:
            p = floor(p)
        if inverse:
            return div(lr, add(1.0, mul(rate, p)))
        return mul(lr, pow_(rate, p))
    return f


def keras_polynomial(initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                     cycle=False, name=None):
    lr, end, pw, steps = z(initial_learning_rate), z(end_learning_rate), z(power), z(decay_steps)

    def f(k):
        s, d = r32(k), steps
        if cycle:
            q = div(s, steps)
            d = mul(steps, 1.0 if s == 0 else ceil(q))
        else:
            s = minimum(s, steps)
        return add(mul(sub(lr, end), pow_(sub(1.0, div(s, d)), pw)), end)
    return f


def keras_cosine(initial_learning_rate, decay_steps, alpha=0.0, name=None, warmup_target=None,
                 warmup_steps=0):
    lr, steps = z(initial_learning_rate), z(decay_steps)
    one_minus_alpha, alpha32 = z(1 - alpha), z(alpha)

    def decay(s, start):
        decayed = mul(0.5, add(1.0, cos(mul(PI, div(s, steps)))))
        return mul(start, add(mul(one_minus_alpha, decayed), alpha32))

    def f(k):
        s = r32(k)
        if warmup_target is None:
            return decay(minimum(s, steps), lr)
        target, warm = z(warmup_target), z(warmup_steps)
        s = minimum(s, add(steps, warm))
        if s < warm:
            return add(mul(sub(target, lr), div(s, warm)), lr)
        return decay(sub(s, warm), target)
    return f


def keras_restarts(initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                   name=None):
    lr, first, a, tm, mm = (z(v) for v in (initial_learning_rate, first_decay_steps, alpha, t_mul, m_mul))

    def f(k):
        c = div(r32(k), first)
        if tm == 1.0:
            i = floor(c)
            c = sub(c, i)
        else:
            i = floor(div(log(sub(1.0, mul(c, sub(1.0, tm)))), log(tm)))
            total = div(sub(1.0, pow_(tm, i)), sub(1.0, tm))
            c = div(sub(c, total), pow_(tm, i))
        decayed = mul(mul(0.5, pow_(mm, i)), add(1.0, cos(mul(PI, c))))
        return mul(lr, add(mul(sub(1.0, a), decayed), a))
    return f


def keras_piecewise(boundaries, values, name=None, summed=True):
    def f(k):
        hits = [k <= boundaries[0], k > boundaries[-1]]
        hits += [lo < k <= hi for lo, hi in zip(boundaries[:-1], boundaries[1:])]
        levels = [values[0], values[-1], *values[1:-1]]
        if not summed:
            chosen = [v for h, v in zip(hits, levels) if h]
            return r32(chosen[0] if chosen else values[0])
        total = 0.0
        for h, v in zip(hits, levels):
            total = add(total, mul(float(h), z(v)))
        return total
    return f


# ---------------------------------------------------------------- optax

def _integer_pow(x, n):
    if n == 0:
        return 1.0
    result = x
    for _ in range(abs(n) - 1):  # x*x*...*x differs from binary powering for n > 3
        result = mul(result, x)
    return result if n > 0 else div(1.0, result)


def _binary_pow(x, n):
    acc, m = None, abs(n)
    if m == 0:
        return 1.0
    while m:
        if m & 1:
            acc = x if acc is None else mul(acc, x)
        m >>= 1
        if m:
            x = mul(x, x)
    return acc if n > 0 else div(1.0, acc)


def _power(x, e):
    if isinstance(e, int):
        return _binary_pow(x, e) if abs(e) > 3 else _integer_pow(x, e)
    return pow_(x, r32(e))


def optax_polynomial(init_value, end_value, power, transition_steps, transition_begin=0):
    if transition_steps <= 0:
        return lambda k: init_value
    begin = max(transition_begin, 0)

    def f(k):
        count = min(max(k - begin, 0), transition_steps)
        frac = sub(1.0, div(r32(count), r32(transition_steps)))
        return add(mul(z(init_value - end_value), _power(frac, power)), z(end_value))
    return f


def optax_exponential(init_value, transition_steps, decay_rate, transition_begin=0, staircase=False,
                      end_value=None):
    if transition_steps <= 0 or decay_rate == 0:
        return lambda k: init_value
    begin = max(transition_begin, 0)

    def f(k):
        n = k - begin
        p = r32(n / transition_steps)
        if staircase:
            p = floor(p)
        v = z(init_value) if n <= 0 else mul(z(init_value), pow_(z(decay_rate), p))
        if end_value is not None:
            bound = z(end_value)
            v = (bound if v < bound else v) if decay_rate < 1.0 else (bound if v > bound else v)
        return v
    return f


def optax_cosine(init_value, decay_steps, alpha=0.0, exponent=1.0):
    def f(k):
        c = minimum(r32(float(k)), r32(float(decay_steps)))
        decayed = mul(0.5, add(1.0, cos(div(mul(PI, c), r32(float(decay_steps))))))
        return mul(z(init_value), add(mul(z(1 - alpha), _power(decayed, exponent)), z(alpha)))
    return f


def optax_interpolate(interpolate_type, init_value, boundaries_and_scales=None):
    items = sorted((boundaries_and_scales or {}).items())
    bounds = [0] + [b for b, _ in items]
    levels = [r32(init_value)]
    for _, s in items:
        levels.append(mul(levels[-1], r32(s)))

    def f(k):
        for i in range(len(bounds) - 1):
            if bounds[i] <= k < bounds[i + 1]:
                pct = div(r32(k - bounds[i]), r32(max(bounds[i + 1] - bounds[i], 1)))
                a, b = levels[i], levels[i + 1]
                if interpolate_type == "linear":
                    return add(mul(sub(b, a), pct), a)
                return add(b, mul(div(sub(a, b), 2.0), add(cos(mul(PI, pct)), 1.0)))
        return add(0.0, levels[-1])
    return f


def optax_join(schedules, boundaries):
    def f(k):
        out = schedules[0](k)
        for b, s in zip(boundaries, schedules[1:]):
            out = r32(out) if k < b else r32(s(k - b))
        return out
    return f


def optax_warmup_cosine(init_value, peak_value, warmup_steps, decay_steps, end_value=0.0,
                        exponent=1.0):
    alpha = 0.0 if peak_value == 0.0 else end_value / peak_value
    return optax_join([optax_polynomial(init_value, peak_value, 1, warmup_steps),
                       optax_cosine(peak_value, decay_steps - warmup_steps, alpha, exponent)],
                      [warmup_steps])
