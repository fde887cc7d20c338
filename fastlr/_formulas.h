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
 * One exception: a branch on a parameter alone, the same for every step of
 * a segment, with small arms (cosine_restarts' mult == 1), which GCC
 * unswitches (one loop per arm); nested selects over the same conditions
 * can defeat if-conversion (write each select on its own, fl_restarts_cycle).
 * A formula that breaks these rules is still correct, just scalar.
 *
 * Kernels reach cos and pow of a constant base only through the primitives
 * fl_cos_blend(_cycle, _turns), fl_pow_base, fl_cycle_power and fl_cyclic_scale
 * below, defined here
 * exactly (scalar libm). The vector builds bring their own definitions
 * (_vecmath.h: hoisted divisions and logs, exp in double-double, float32
 * math for float32 fills), so each formula still lives once.
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
    FL_TABLE = 11
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

/* fmod for the kernels: libm's, or in the vector build the select form that
 * _simd.h supplies as FL_FMOD (it vectorises; the same value on the steps the
 * vector fills evaluate). */
#ifndef FL_FMOD
#define FL_FMOD fmod
#endif
static inline double fl_fmod(double x, double y)
{
    return FL_FMOD(x, y);
}

/* The primitives, exactly (_vecmath.h replaces them in the vector builds). */
#ifndef FL_VECTOR_PRIMITIVES
/* end + span * (1 + cos(pi * num / den)) / 2 */
static inline double fl_cos_blend(double end, double span, double num, double den)
{
    return end + span * (1.0 + cos(M_PI * num / den)) / 2.0;
}

/* the same for a position in a cycle, 0 <= pos <= len (the vector builds may
 * hoist pi / len) */
static inline double fl_cos_blend_cycle(double end, double span, double pos, double len)
{
    return end + span * (1.0 + cos(M_PI * pos / len)) / 2.0;
}

/* end + span * (1 + cos((pi * turns) * x)) / 2 */
static inline double fl_cos_blend_turns(double end, double span, double turns, double x)
{
    return end + span * (1.0 + cos((M_PI * turns) * x)) / 2.0;
}

/* mult ** i for a cycle index i of cosine_restarts; the vector fills read it
 * from the segment's table (data, _cycles.h) */
static inline double fl_cycle_power(double mult, double i, const double *data)
{
    (void)data;
    return pow(mult, i);
}

/* base ** e, base constant over a segment */
static inline double fl_pow_base(double base, double e)
{
    return pow(base, e);
}
#endif

/* torch CyclicLR's amplitude factor of cycle `cycle` (counted from 1) at step u:
 * 1 (mode 0, triangular), 1 / 2 ** (cycle - 1) (mode 1, triangular2) or
 * gamma ** u (mode 2, exp_range). The x86-64-v3/v4 fills have their own
 * (_vecmath.h); the baseline vector fills keep this one, where the branches
 * cost less than fastlr's exp without FMA. */
#ifndef FL_VECTOR_CYCLIC_SCALE
static inline double fl_cyclic_scale(double mode, double cycle, double gamma, double u)
{
    if (mode == 1.0) return 1.0 / pow(2.0, cycle - 1.0);
    if (mode == 2.0) return pow(gamma, u);
    return 1.0;
}
#endif

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

/* fastlr.cosine: end + (start - end) * (1 + cos(pi * u / steps)) / 2 */
static inline double fl_cosine(double u, const double *p, const double *data)
{
    (void)data;
    return fl_cos_blend(p[1], p[0] - p[1], u, p[2]);
}

/* fastlr.exponential: clamp(start * rate ** e, low, high), e = u / steps (floored if staircase);
 * a zero start stays zero where rate ** e overflows (the exact product is 0, not NaN);
 * low <= high (the factories' floors and caps), NaN passes through */
static inline double fl_exponential(double u, const double *p, const double *data)
{
    (void)data;
    double e = u / p[2];
    if (p[3] != 0.0) e = floor(e);
    const double g = fl_pow_base(p[1], e), low = p[4], high = p[5];
    const double v = p[0] == 0.0 ? p[0] : p[0] * g;
    const double capped = high < v ? high : v; /* min and max as x86 computes them */
    return low > capped ? low : capped;
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

/* cosine_restarts with period_mult != 1: the estimate of the index of the
 * cycle holding step u, floor(log1p(u (mult - 1) / period) / log(mult)) */
static inline double fl_restarts_estimate(double u, double period, double mult)
{
    double x = u * (mult - 1.0) / period;
    if (isinf(x)) x = DBL_MAX; /* huge mult: the estimate stays exact (index <= 1) */
    return floor(log1p(x) / log(mult));
}

/* ... and the cycle itself, from the estimate i and grow = pow(mult, i): its
 * index (i corrected by one so that a restart falls exactly on its step), the
 * position of u in it and its length. A cycle start within 2**-50 (relative,
 * at most a quarter step) of step u counts as u: pow is only accurate to an
 * ulp or so (libmvec's less than scalar libm's), and a start that is an
 * integer in exact arithmetic (period 1000, mult 1.7: 2700) must not land one
 * step late. s(t) takes i and grow from a table where it can (_cycles.h). */
typedef struct { double index, phase, length; } fl_cycle;

static inline fl_cycle fl_restarts_cycle(double u, double period, double mult, double i, double grow,
                                         double scale, double shrink)
{
    /* scale = period / (mult - 1), shrink = grow / mult: the callers' (s(t) keeps them in a table) */
    const double slack = u * 0x1p-50; /* capped: never a neighbour's start */
    const double reach = u + (slack < 0.25 ? slack : 0.25);
    const double first = scale * (grow - 1.0), next = scale * (grow * mult - 1.0);
    /* next >= first: late excludes early (selects of selects, no && : they vectorise) */
    const int early = first > reach, late = next <= reach;
    const double from = late ? next : first, index = late ? i + 1.0 : i, grown = late ? grow * mult : grow;
    fl_cycle c;
    c.phase = u - (early ? scale * (shrink - 1.0) : from);
    c.index = early ? i - 1.0 : index;
    c.length = period * (early ? shrink : grown); /* period * mult**index */
    return c;
}

/* ... and the value at position phase of a cycle of that length, given power = decay**i */
static inline double fl_restarts_value(const double *p, double phase, double length, double power)
{
    const double peak = p[0], end = p[1], decay = p[4];
    const double top = decay == 1.0 ? peak : peak * power;
    return fl_cos_blend_cycle(end, top - end, phase, length);
}

/* fastlr.cosine_restarts: cosine from peak * decay**i to end over cycle i of
 * length period * period_mult**i (the cycle and the value: above); decay**i
 * after the branch, so that each arm stays small (see the rules above) */
static inline double fl_cosine_restarts(double u, const double *p, const double *data)
{
    const double period = p[2], mult = p[3], decay = p[4];
    double i, phase, length;
    if (mult == 1.0) {
        i = floor(u / period);
        phase = fl_fmod(u, period); /* exact even where u / period rounds */
        length = period;
    } else {
        const double estimate = fl_restarts_estimate(u, period, mult);
        const double grow = fl_cycle_power(mult, estimate, data);
        const fl_cycle c = fl_restarts_cycle(u, period, mult, estimate, grow, period / (mult - 1.0),
                                             grow / mult);
        i = c.index;
        phase = c.phase;
        length = c.length;
    }
    return fl_restarts_value(p, phase, length, fl_pow_base(decay, i));
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
    return low + height * fl_cyclic_scale(mode, cycle, gamma, u);
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

#include "_formulas_peer.h"
#include "_formulas_f32.h"

/* The native kinds, as X(ENUM_NAME, function_suffix); FL_FOR_EACH_KIND adds the
 * peer and float32 tiers (their lists are in their own headers). These lists
 * are the one source the dispatchers below and the fills of _fills.h are
 * generated from, and a hand-kept mirror of fastlr/_kinds.py's REGISTRY
 * (tests/test_kinds.py compares them; docs/internals.md has the recipe). */
#define FL_FOR_EACH_NATIVE_KIND(X)                \
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
    X(FL_TABLE, table)

#define FL_FOR_EACH_KIND(X)                       \
    FL_FOR_EACH_NATIVE_KIND(X)                    \
    FL_FOR_EACH_PEER_KIND(X)                      \
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

/* Tier of `kind`, as in _kinds.Tier: 0 native, 1 peer, 2 float32; -1 for an
 * unknown kind (tests compare with _kinds.REGISTRY). */
static inline int fl_kind_tier(int kind)
{
    switch (kind) {
#define FL_TIER_NATIVE(ENUM, NAME) case ENUM: return 0;
#define FL_TIER_PEER(ENUM, NAME) case ENUM: return 1;
#define FL_TIER_F32(ENUM, NAME) case ENUM: return 2;
    FL_FOR_EACH_NATIVE_KIND(FL_TIER_NATIVE)
    FL_FOR_EACH_PEER_KIND(FL_TIER_PEER)
    FL_FOR_EACH_F32_KIND(FL_TIER_F32)
#undef FL_TIER_NATIVE
#undef FL_TIER_PEER
#undef FL_TIER_F32
    default: return -1;
    }
}

/* 1 for kinds whose fills must always take the exact path: the float32 tier
 * replays a peer's float32 pipeline with scalar libm, and a vector cos/pow
 * could move a float32 rounding by an ulp (_kinds.KindInfo.scalar_only). */
static inline int fl_kind_scalar_only(int kind)
{
    return fl_kind_tier(kind) == 2;
}

/* Bulk fills of every kind listed above are generated by _fills.h. */

#endif /* FASTLR_FORMULAS_H */
