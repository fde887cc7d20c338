/* fastlr compiled formulas: the compiled engine's only copy of each kind.
 *
 * One `fl_<kind>(u, p, data)` per kind of fastlr/_kinds.py, evaluated at the
 * local step `u` (global step minus segment start) with the segment's
 * parameter row `p` (layout in _kinds.PARAMS). The NumPy twin is
 * fastlr/_formulas_py.py and uses the same operation order, so both engines
 * agree bit for bit wherever they reach the same libm function.
 *
 * Build with -ffp-contract=off: a fused multiply-add would change the last
 * bit and break that agreement.
 *
 * _fills.h turns every kind listed in FL_FOR_EACH_KIND into a fill loop that
 * the compiler vectorises (with libmvec for cos/exp/log/pow) when the
 * formula is straight-line code: read the parameters unconditionally, choose
 * with ?: between values rather than return from branches, no libm calls
 * inside a branch (compute both, then select), fl_fmin instead of fmin.
 * A formula that breaks these rules is still correct, just scalar.
 */
#ifndef FASTLR_FORMULAS_H
#define FASTLR_FORMULAS_H

#include <float.h>
#include <math.h>
#include <stdint.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define FL_NPARAMS 8

enum fl_kind {
    FL_CONSTANT = 0,
    FL_LINEAR = 1,
    FL_POLYNOMIAL = 2,
    FL_COSINE = 3,
    FL_EXPONENTIAL = 4,
    FL_INVERSE_TIME = 5,
    FL_INVERSE_POWER = 6,
    FL_NOAM = 7,
    FL_COSINE_RESTARTS = 8,
    FL_CYCLIC = 9,
    FL_ONE_MINUS_SQRT = 10,
    FL_TABLE = 11,
    /* peer-specific formulas (compat modules), values 20-39 */
    FL_ANNEAL = 20,
    FL_TIMM_COSINE = 21,
    FL_TIMM_POLY = 22,
    FL_TIMM_TANH = 23,
    FL_TIMM_WSD = 24,
    FL_DECAY_COEFF = 25,
    FL_MEGATRON_INV_SQRT = 26,
    FL_OLMO = 27
};

/* fmin(a, b) as a select, which vectorises (libm's fmin is a call):
 * the smaller of a and b, or the other one if one is NaN. */
static inline double fl_fmin(double a, double b)
{
    return (b < a || a != a) ? b : a;
}

/* pow(x, y), with the exact shortcuts for the common exponents 1, 2 and 0.5
 * (x, x * x, sqrt(x): correctly rounded, and vectorised without libmvec). */
static inline double fl_pow(double x, double y)
{
    return y == 2.0 ? x * x : (y == 1.0 ? x : (y == 0.5 ? sqrt(x) : pow(x, y)));
}

/* fastlr.constant */
static inline double fl_constant(double u, const double *p, const double *data)
{
    (void)u; (void)data;
    return p[0];
}

/* fastlr.linear: start + (end - start) * u / steps */
static inline double fl_linear(double u, const double *p, const double *data)
{
    (void)data;
    return p[0] + (p[1] - p[0]) * u / p[2];
}

/* fastlr.polynomial: (start - end) * (1 - u / steps) ** power + end */
static inline double fl_polynomial(double u, const double *p, const double *data)
{
    (void)data;
    return (p[0] - p[1]) * fl_pow(1.0 - u / p[2], p[3]) + p[1];
}

/* fastlr.cosine: end + (start - end) * (1 + cos(pi * u / steps)) / 2; with
 * turns != 0 the angle is (pi * turns) * (u / steps) instead, transformers'
 * order (steps is then the whole span), so it stays exact far past the end */
static inline double fl_cosine(double u, const double *p, const double *data)
{
    (void)data;
    const double angle = p[3] != 0.0 ? (M_PI * p[3]) * (u / p[2]) : M_PI * u / p[2];
    return p[1] + (p[0] - p[1]) * (1.0 + cos(angle)) / 2.0;
}

/* fastlr.exponential: clamp(start * rate ** e, low, high), e = u / steps (floored if staircase);
 * a zero start stays zero where rate ** e overflows (the exact product is 0, not NaN) */
static inline double fl_exponential(double u, const double *p, const double *data)
{
    (void)data;
    double e = u / p[2];
    if (p[3] != 0.0) e = floor(e);
    const double v = p[0] == 0.0 ? p[0] : p[0] * pow(p[1], e), low = p[4], high = p[5];
    return v < low ? low : (v > high ? high : v);
}

/* fastlr.inverse_time: start / (1 + rate * e), e = u / steps (floored if staircase) */
static inline double fl_inverse_time(double u, const double *p, const double *data)
{
    (void)data;
    double e = u / p[2];
    if (p[3] != 0.0) e = floor(e);
    return p[0] / (1.0 + p[1] * e);
}

/* fastlr.warmup_inverse decay: peak * (offset / (u + offset)) ** power */
static inline double fl_inverse_power(double u, const double *p, const double *data)
{
    (void)data;
    return p[0] * fl_pow(p[1] / (u + p[1]), p[2]);
}

/* fastlr.noam: scale * min(u ** -0.5, u * warmup_factor), 0 at u = 0;
 * u ** -0.5 as 1 / sqrt(u) (two correctly rounded operations) */
static inline double fl_noam(double u, const double *p, const double *data)
{
    (void)data;
    return p[0] * fl_fmin(1.0 / sqrt(u), u * p[1]);
}

/* fastlr.cosine_restarts: cosine from peak * decay**i to end over cycle i of
 * length period * period_mult**i; the cycle index has a closed form, corrected
 * by one so that a restart falls exactly on its step. A cycle start within
 * 2**-50 (relative, at most a quarter step) of step u counts as u: pow is
 * only accurate to an ulp or so (libmvec's less than scalar libm's), and a
 * start that is an integer in exact arithmetic (period 1000, mult 1.7: 2700)
 * must not land one step late. With cycles != 0 (and mult 1) the span `period`
 * holds that many cycles and the position in them is frac(cycles * (u / period)),
 * transformers' hard restarts, whose restarts need not fall on whole steps. */
static inline double fl_cosine_restarts(double u, const double *p, const double *data)
{
    (void)data;
    const double peak = p[0], end = p[1], period = p[2], mult = p[3], decay = p[4], cycles = p[5];
    double i, phase, length;
    if (mult == 1.0 && cycles != 0.0) {
        const double x = cycles * (u / period);
        i = floor(x);
        phase = x - i; /* exact */
        length = 1.0;
    } else if (mult == 1.0) {
        i = floor(u / period);
        phase = fmod(u, period); /* exact even where u / period rounds */
        length = period;
    } else {
        const double slack = u * 0x1p-50; /* capped: never a neighbour's start */
        const double reach = u + (slack < 0.25 ? slack : 0.25), scale = period / (mult - 1.0);
        double x = u * (mult - 1.0) / period;
        if (isinf(x)) x = DBL_MAX; /* huge mult: the estimate stays exact (index <= 1) */
        i = floor(log1p(x) / log(mult));
        const double grow = pow(mult, i); /* cycle i spans period * grow steps */
        const double first = scale * (grow - 1.0), next = scale * (grow * mult - 1.0);
        const int early = first > reach, late = !early && next <= reach;
        phase = u - (early ? scale * (grow / mult - 1.0) : (late ? next : first));
        i = early ? i - 1.0 : (late ? i + 1.0 : i);
        length = period * (early ? grow / mult : (late ? grow * mult : grow));
    }
    const double top = decay == 1.0 ? peak : peak * pow(decay, i);
    return end + (top - end) * (1.0 + cos(M_PI * phase / length)) / 2.0;
}

/* fastlr.cyclic (torch CyclicLR's closed form): triangle between low and high */
static inline double fl_cyclic(double u, const double *p, const double *data)
{
    (void)data;
    const double low = p[0], high = p[1], total = p[2], ratio = p[3], mode = p[4], gamma = p[5];
    double cycle = floor(1.0 + u / total);
    double x = 1.0 + u / total - cycle;
    double scale = x <= ratio ? x / ratio : (x - 1.0) / (ratio - 1.0);
    double height = (high - low) * scale;
    if (mode == 1.0) return low + height * (1.0 / pow(2.0, cycle - 1.0));
    if (mode == 2.0) return low + height * pow(gamma, u);
    return low + height * 1.0;
}

/* fastlr.wsd "1-sqrt" cooldown: end + (start - end) * (1 - sqrt(u / steps)) */
static inline double fl_one_minus_sqrt(double u, const double *p, const double *data)
{
    (void)data;
    return p[1] + (p[0] - p[1]) * (1.0 - sqrt(u / p[2]));
}

/* precomputed values: data[offset + min(u, count - 1)] */
static inline double fl_table(double u, const double *p, const double *data)
{
    const double last = p[1] - 1.0;
    return data[(int64_t)p[0] + (int64_t)(u < last ? u : last)];
}

/* ---- peer-specific formulas (compat modules) ---- */

/* torch OneCycleLR phase: pct = (u + offset - begin) / (stop - begin);
 * cos: end + (start - end) / 2 * (cos(pi * pct) + 1); linear: (end - start) * pct + start;
 * turns != 0 makes the cosine's angle (pi * turns) * pct (transformers' order) */
static inline double fl_anneal(double u, const double *p, const double *data)
{
    (void)data;
    const double pct = (u + p[2] - p[3]) / (p[4] - p[3]);
    if (p[5] != 0.0) return (p[1] - p[0]) * pct + p[0];
    const double angle = p[6] != 0.0 ? (M_PI * p[6]) * pct : M_PI * pct;
    return p[1] + (p[0] - p[1]) / 2.0 * (cos(angle) + 1.0);
}

/* timm's cycle of step t: index i from a float log (as timm computes it, so an
 * exact restart may land one step off), cycle length and position in it. */
static inline double fl_timm_cycle(double t, double period, double mult, double *length, double *pos)
{
    double i;
    if (mult != 1.0) {
        i = floor(log(1.0 - t / period * (1.0 - mult)) / log(mult));
        const double grown = pow(mult, i);
        *length = grown * period;
        *pos = t - (1.0 - grown) / (1.0 - mult) * period;
    } else {
        i = floor(t / period);
        if (i * period > t) i -= 1.0;
        *length = period;
        *pos = t - period * i;
    }
    return i;
}

/* timm CosineLRScheduler: low + 0.5 * (peak * decay**i - low) * (1 + cos(pi * pos**k / length**k)) */
static inline double fl_timm_cosine(double u, const double *p, const double *data)
{
    (void)data;
    double length, pos;
    const double i = fl_timm_cycle(u + p[6], p[2], p[3], &length, &pos);
    const double top = p[0] * pow(p[4], i);
    return p[1] + 0.5 * (top - p[1]) * (1.0 + cos(M_PI * pow(pos, p[5]) / pow(length, p[5])));
}

/* timm PolyLRScheduler: low + (peak * decay**i - low) * (1 - pos**k / length**k) ** power */
static inline double fl_timm_poly(double u, const double *p, const double *data)
{
    (void)data;
    double length, pos;
    const double i = fl_timm_cycle(u + p[7], p[2], p[3], &length, &pos);
    const double top = p[0] * pow(p[4], i);
    return p[1] + (top - p[1]) * pow(1.0 - pow(pos, p[5]) / pow(length, p[5]), p[6]);
}

/* timm TanhLRScheduler: low + 0.5 * (peak * decay**i - low) * (1 - tanh(lb * (1 - r) + ub * r)), r = pos / length */
static inline double fl_timm_tanh(double u, const double *p, const double *data)
{
    (void)data;
    double length, pos;
    const double i = fl_timm_cycle(u + p[7], p[2], p[3], &length, &pos);
    const double top = p[0] * pow(p[4], i);
    const double r = pos / length;
    return p[1] + 0.5 * (top - p[1]) * (1.0 - tanh(p[5] * (1.0 - r) + p[6] * r));
}

/* timm WSDLRScheduler after warmup: stable part max(peak * (1 + u / timescale) ** -stable_power, low)
 * (1 where timescale == 0), then low + (stable - low) * d(min((u - decay_begin) / decay_steps, 1)) */
static inline double fl_timm_wsd(double u, const double *p, const double *data)
{
    (void)data;
    const double scale = p[2] == 0.0 ? 1.0 : pow(1.0 + u / p[2], -p[3]);
    double stable = p[0] * scale;
    if (p[1] > stable) stable = p[1];
    const double into = u - p[4];
    if (into <= 0.0) return stable;
    double frac = into / p[5];
    if (1.0 < frac) frac = 1.0;
    double d;
    const double fn = p[6], r = p[7];
    if (fn == 0.0) d = 1.0 - frac;
    else if (fn == 1.0) d = 1.0 - sqrt(frac);
    else if (fn == 2.0) d = 0.5 * (1.0 + cos(M_PI * frac));
    else if (fn == 3.0) d = 1.0 - pow(frac, r);
    else d = (pow(r, frac) - r) / (1.0 - r);
    return p[1] + (stable - p[1]) * d;
}

/* Megatron-LM / torchtitan decay: scale * (low + coeff(r) * delta), r = ((u + offset) - begin) / span,
 * coeff by shape (_kinds.DECAY_COEFF_SHAPES): 1 - r, 0.5 * (cos(pi r) + 1), 2 * 0.5**r - 1, 1 - sqrt(r), r,
 * 0.5 * (cos(pi (1 - r)) + 1) */
static inline double fl_decay_coeff(double u, const double *p, const double *data)
{
    (void)data;
    const double r = ((u + p[3]) - p[4]) / p[5], shape = p[6];
    double coeff;
    if (shape == 0.0) coeff = 1.0 - r;
    else if (shape == 1.0) coeff = 0.5 * (cos(M_PI * r) + 1.0);
    else if (shape == 2.0) coeff = 2.0 * pow(0.5, r) - 1.0;
    else if (shape == 3.0) coeff = 1.0 - sqrt(r);
    else if (shape == 4.0) coeff = r;
    else coeff = 0.5 * (cos(M_PI * (1.0 - r)) + 1.0);
    return p[0] * (p[1] + coeff * p[2]);
}

/* Megatron-LM inverse-square-root: max(low, peak * root / (u + offset) ** 0.5), with pow as Python's ** */
static inline double fl_megatron_inv_sqrt(double u, const double *p, const double *data)
{
    (void)data;
    const double v = p[0] * p[1] / pow(u + p[3], 0.5);
    return v > p[2] ? v : p[2];
}

/* OLMo-core's formulas of the count c = u + offset, by shape (_kinds.OLMO_SHAPES), with d = high - low:
 * up low + d * c / span; cosine low + d * (1 + cos(pi c / span)) / 2; tail low + d * (end - c) / span;
 * down high - d * (c / span); inv_sqrt low + d * sqrt(span / c);
 * half_cos low + d * (1 + cos(pi (c + span) / (2 span))) / 2; power high * (c / span) ** power;
 * exponential low * high ** (c / span) */
static inline double fl_olmo(double u, const double *p, const double *data)
{
    (void)data;
    const double shape = p[0], low = p[1], high = p[2], span = p[3], c = u + p[6];
    if (shape == 0.0) return low + (high - low) * c / span;
    if (shape == 1.0) return low + (high - low) * (1.0 + cos(M_PI * c / span)) / 2.0;
    if (shape == 2.0) return low + (high - low) * (p[4] - c) / span;
    if (shape == 3.0) return high - (high - low) * (c / span);
    if (shape == 4.0) return low + (high - low) * sqrt(span / c);
    if (shape == 5.0) return low + (high - low) * (1.0 + cos(M_PI * (c + span) / (2.0 * span))) / 2.0;
    if (shape == 6.0) return high * pow(c / span, p[5]);
    return low * pow(high, c / span);
}

#include "_formulas_f32.h"

/* Every kind, as X(ENUM_NAME, function_suffix): the one list that the
 * dispatchers below are generated from. Adding a kind = its enum value in
 * `enum fl_kind` and _kinds.py, its fl_<suffix> function, and one line here. */
#define FL_FOR_EACH_KIND(X)                       \
    X(FL_CONSTANT, constant)                      \
    X(FL_LINEAR, linear)                          \
    X(FL_POLYNOMIAL, polynomial)                  \
    X(FL_COSINE, cosine)                          \
    X(FL_EXPONENTIAL, exponential)                \
    X(FL_INVERSE_TIME, inverse_time)              \
    X(FL_INVERSE_POWER, inverse_power)            \
    X(FL_NOAM, noam)                              \
    X(FL_COSINE_RESTARTS, cosine_restarts)        \
    X(FL_CYCLIC, cyclic)                          \
    X(FL_ONE_MINUS_SQRT, one_minus_sqrt)          \
    X(FL_TABLE, table)                            \
    X(FL_ANNEAL, anneal)                          \
    X(FL_TIMM_COSINE, timm_cosine)                \
    X(FL_TIMM_POLY, timm_poly)                    \
    X(FL_TIMM_TANH, timm_tanh)                    \
    X(FL_TIMM_WSD, timm_wsd)                      \
    X(FL_DECAY_COEFF, decay_coeff)                \
    X(FL_MEGATRON_INV_SQRT, megatron_inv_sqrt)    \
    X(FL_OLMO, olmo)                              \
    FL_FOR_EACH_F32_KIND(X)

/* Value of one segment of kind `kind` at local step u. */
static inline double fl_eval(int kind, double u, const double *p, const double *data)
{
    switch (kind) {
#define FL_EVAL_CASE(ENUM, NAME) case ENUM: return fl_##NAME(u, p, data);
    FL_FOR_EACH_KIND(FL_EVAL_CASE)
#undef FL_EVAL_CASE
    default: return NAN;
    }
}

/* 1 if `kind` is a kind this header implements (tests compare with _kinds.Kind). */
static inline int fl_kind_known(int kind)
{
    switch (kind) {
#define FL_KNOWN_CASE(ENUM, NAME) case ENUM: return 1;
    FL_FOR_EACH_KIND(FL_KNOWN_CASE)
#undef FL_KNOWN_CASE
    default: return 0;
    }
}

/* Bulk fills of every kind listed above are generated by _fills.h. */

#endif /* FASTLR_FORMULAS_H */
