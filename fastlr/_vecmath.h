/* The vector builds' primitives (_fill_vec.c and _fill_isa.h include this
 * before _formulas.h).
 *
 * _formulas.h reaches cos and pow of a constant base only through the
 * primitives fl_cos_blend(_cycle, _turns), fl_pow_base, fl_cycle_power and
 * fl_cyclic_scale.
 * Its own definitions are the exact ones (scalar libm: s(t), exact fills, the
 * NumPy twin's operation order); the vector fills get these instead:
 *
 *   - float64 vector fills: libmvec's cos (of pi * (pos / len) within a
 *     cycle, where the division hoists), cosine_restarts' mult ** k from the
 *     segment's table (libm's bits), and base ** e as exp(e * log(base))
 *     with log(base) hoisted and the exponent carried in double-double
 *     (fl_exp_dd), so that growth rates and long decays stay within an ulp
 *     or so of pow; with FMA (x86-64-v3/v4) also the cyclic kind's
 *     amplitude factor, one such power for every mode;
 *   - float32 vector fills (FL_F32_MATH, x86-64-v3/v4 only: they need FMA):
 *     the half-cosine blends in float32 (fl_cos2pi_f32), on an argument
 *     reduced exactly in double.
 *
 * A primitive that cannot keep its bound for an argument returns NaN; the
 * fill loops of _fills.h recompute every step whose value is not finite with
 * the exact kernel.
 * Bounds per kind: _kinds.REGISTRY, docs/performance.md.
 */
#ifndef FASTLR_VECMATH_H
#define FASTLR_VECMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define FL_VECTOR_PRIMITIVES 1

/* FL_HAVE_FMA: the fills that include this run only on CPUs with FMA (the
 * x86-64-v3/v4 units of _fill_isa.h set it); fused operations then become
 * single instructions, elsewhere they would be slow library calls. */
#ifndef FL_HAVE_FMA
#ifdef __FMA__
#define FL_HAVE_FMA 1
#else
#define FL_HAVE_FMA 0
#endif
#endif

/* x + FL_ROUND - FL_ROUND is x rounded to an integer, for |x| < 2**51 */
#define FL_ROUND 0x1.8p52

/* a * b + c, fused where the build has FMA (the vector results may differ
 * by CPU level anyway) */
#if FL_HAVE_FMA
#define FL_MADD(a, b, c) __builtin_fma(a, b, c)
#else
#define FL_MADD(a, b, c) ((a) * (b) + (c))
#endif

/* a * b - fl(a * b), exactly (Dekker's product where there is no FMA) */
static inline double fl_prod_err(double a, double b, double p)
{
#if FL_HAVE_FMA
    return __builtin_fma(a, b, -p);
#else
    const double split = 134217729.0; /* 2**27 + 1 */
    const double ca = a * split, a1 = ca - (ca - a), a2 = a - a1;
    const double cb = b * split, b1 = cb - (cb - b), b2 = b - b1;
    return ((a1 * b1 - p) + a1 * b2 + a2 * b1) + a2 * b2;
#endif
}

/* exp(hi + lo) for |lo| <= 2**-40, within about 1.1 ulp (1.4 without FMA):
 * hi + lo = k ln2 + r, |r| <= ln2 / 2 (Cody-Waite, 33-bit head: k ln2hi is
 * exact), exp(r) = 1 + r (1 + r P(r)), P of degree 9 (Chebyshev fit, 0.15
 * ulp), the last step fused; times 2**k as two powers of two built in the
 * exponent bits (exact; a subnormal result rounds once). NaN above 708,
 * where pow and this may round differently to overflow. */
static inline double fl_exp_dd(double hi, double lo)
{
    const double x = -746.0 > hi ? -746.0 : hi; /* exp(-746) rounds to 0; NaN stays */
    const double k = FL_MADD(x, 0x1.71547652b82fep0, FL_ROUND) - FL_ROUND;
    const double rh = FL_MADD(-k, 0x1.62e42feep-1, x);   /* exact */
    const double r = FL_MADD(-k, 0x1.a39ef35793c76p-33, rh + lo);
    double p = 0x1.af38b4925be09p-26;
    p = FL_MADD(p, r, 0x1.28918e390a71ep-22);
    p = FL_MADD(p, r, 0x1.71de0da9d06acp-19);
    p = FL_MADD(p, r, 0x1.a019b905bafb1p-16);
    p = FL_MADD(p, r, 0x1.a01a01a7c54aep-13);
    p = FL_MADD(p, r, 0x1.6c16c1788dc33p-10);
    p = FL_MADD(p, r, 0x1.11111111109b2p-7);
    p = FL_MADD(p, r, 0x1.5555555553d5ep-5);
    p = FL_MADD(p, r, 0x1.5555555555556p-3);
    p = FL_MADD(p, r, 0x1.0000000000001p-1);
    const double e = FL_MADD(r, FL_MADD(r, p, 1.0), 1.0); /* exp(r) */
    /* 2**k = 2**ka 2**kb, ka = max(k, -1000): both normal for -1076 <= k <= 1023 */
    const double ka = k < -1000.0 ? -1000.0 : k;
    const double ba = ka + (0x1p52 + 1023.0), bb = (k - ka) + (0x1p52 + 1023.0); /* biased, low bits */
    uint64_t ia, ib;
    memcpy(&ia, &ba, sizeof ia);
    memcpy(&ib, &bb, sizeof ib);
    ia <<= 52;
    ib <<= 52;
    double sa, sb;
    memcpy(&sa, &ia, sizeof sa);
    memcpy(&sb, &ib, sizeof sb);
    return hi > 708.0 ? NAN : (e * sa) * sb;
}

/* mult ** i for a cycle index of cosine_restarts, from the segment's table
 * (_cycles.h): data = count, then mult ** k for k < count (libm's bits), then
 * NaN, read for i out of that range. */
static inline double fl_cycle_power(double mult, double i, const double *data)
{
    (void)mult;
    const double count = data[0], slot = i < count ? i : count;
    return data[1 + (int)(i >= 0.0 ? slot : count)];
}

/* base ** e as exp(e * log(base)): log(base) in long double (64 bits, hoisted
 * out of the fill loop), the product in double-double. base <= 0, e * log(base)
 * not finite: NaN (the exact kernel recomputes the step). */
static inline double fl_pow_base(double base, double e)
{
    const long double l = logl(base);
    const double lh = (double)l, ll = (double)(l - (long double)lh);
    const double ph = e * lh;
    return fl_exp_dd(ph, fl_prod_err(e, lh, ph) + e * ll);
}

#if FL_HAVE_FMA
#define FL_VECTOR_CYCLIC_SCALE 1
/* the cyclic factor as one power for every mode, 0.5 ** (cycle - 1) or
 * gamma ** u (the base is the same for every step of a segment, so its log
 * hoists), then a choice: straight-line code */
static inline double fl_cyclic_scale(double mode, double cycle, double gamma, double u)
{
    const int halving = mode == 1.0;
    const double power = fl_pow_base(halving ? 0.5 : gamma, halving ? cycle - 1.0 : u);
    return halving || mode == 2.0 ? power : 1.0;
}
#endif

#if FL_F32_MATH
#if !FL_HAVE_FMA
#error "the float32 vector math needs FMA (built for x86-64-v3 and up)"
#endif

/* cos(2 pi z) in float32 (z = x / 2 for cos(pi x)), reduced exactly in
 * double: r = z - rint(z), cos(2 pi z) = cos(2 pi r) = sin(2 pi b),
 * b = 1/4 - |r|, |b| <= 1/4; then sin(2 pi b) = 2 pi b + b**3 Q(b**2) in
 * float32 with 2 pi split in two (measured: within 2.2 float32 ulps of 1). */
static inline float fl_cos2pi_f32(double z)
{
    const float b = (float)(0.25 - fabs(z - rint(z)));
    const float s = b * b;
    const float q = __builtin_fmaf(s, __builtin_fmaf(s, __builtin_fmaf(s, 0x1.3d7630p+5f, -0x1.32499cp+6f),
                                                     0x1.46689cp+6f), -0x1.4abbc2p+5f);
    return __builtin_fmaf(b, 0x1.921fb6p+2f, b * __builtin_fmaf(s, q, -0x1.777a5cp-23f));
}

/* end + span * (1 + cos(2 pi z)) / 2 as mid + half * cos(2 pi z) in float32
 * (one rounding, FMA). Where mid or half leave float32's range the result is
 * not finite, and the fill recomputes the step exactly (_fills.h). */
static inline double fl_cos_blend_f32(double end, double span, double z)
{
    const double half = span / 2.0, mid = end + half;
    return (double)__builtin_fmaf((float)half, fl_cos2pi_f32(z), (float)mid);
}

/* |x| > 2**22: NaN (recomputed exactly), as there the exact angle, pi * x
 * rounded in double, differs from pi x by more than float32 can ignore */
static inline double fl_cos_blend(double end, double span, double num, double den)
{
    const double z = num * (0.5 / den);
    return fl_cos_blend_f32(end, span, fabs(z) <= 0x1p21 ? z : NAN);
}

static inline double fl_cos_blend_turns(double end, double span, double turns, double x)
{
    const double z = (0.5 * turns) * x;
    return fl_cos_blend_f32(end, span, fabs(z) <= 0x1p21 ? z : NAN);
}

/* 0 <= pos <= len: no check needed */
static inline double fl_cos_blend_cycle(double end, double span, double pos, double len)
{
    return fl_cos_blend_f32(end, span, pos * (0.5 / len));
}

#else /* float64 vector math */

/* mid + half * c for end + span * (1 + c) / 2: after the vector cos call, which
 * clobbers every vector register, one fused operation and two reloads (within
 * an ulp of the exact order) */
static inline double fl_blend(double end, double span, double c)
{
    const double half = span / 2.0;
    return FL_MADD(half, c, end + half);
}

/* the exact angle: a division is cheap next to cos, and the cosine kinds may
 * run far past their end (torch's CosineAnnealingLR), where pi * (num / den)
 * would move it by more than the bound */
static inline double fl_cos_blend(double end, double span, double num, double den)
{
    return fl_blend(end, span, cos(M_PI * num / den));
}

/* a position in a cycle, 0 <= pos <= len: the angle is at most pi, where
 * pos * (pi / len) (a loop invariant for equal cycles) is within an ulp */
static inline double fl_cos_blend_cycle(double end, double span, double pos, double len)
{
    return fl_blend(end, span, cos(pos * (M_PI / len)));
}

static inline double fl_cos_blend_turns(double end, double span, double turns, double x)
{
    return fl_blend(end, span, cos((M_PI * turns) * x));
}

#endif /* FL_F32_MATH */

#endif /* FASTLR_VECMATH_H */
