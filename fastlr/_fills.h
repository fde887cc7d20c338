/* Bulk fills generated from FL_FOR_EACH_KIND (include after _formulas.h).
 *
 * FL_DEFINE_FILL(NAME, TYPE, ATTRIBUTES) defines
 *     void NAME(int kind, TYPE *out, int64_t n, int64_t u0, const double *p, const double *data)
 * which writes out[j] = (TYPE)fl_<kind>(u0 + j, p, data) for j < n. Every kind
 * listed in FL_FOR_EACH_KIND gets its loop here; nothing else is needed.
 *
 * The loop is what the vectoriser wants: a 32-bit index j and a double
 * offset, off + (double)j, which equals (double)(u0 + j) exactly while
 * u0 + n <= 2**53 (beyond that an int64 loop converts each step, as s(t)
 * does, and the vector builds evaluate it exactly). Every block runs the one inner loop, FL_BLOCK steps long (a
 * constant trip count that every vector width divides, a restrict output: no
 * remainder loop, no alignment peeling, no alias versioning), storing
 * straight into `out`, or for a last partial block into an aligned local
 * buffer of which the needed part is copied. So in a vectorised build every
 * step goes through the same vector code whatever n, start, the output's
 * alignment or the thread split (tests/test_simd.py checks it; the extra
 * steps of a partial block are computed and discarded).
 *
 * The same source is compiled for the exact fills (in _engine_c.pyx, plain
 * libm, bit-identical to s(t)) and for the vector fills (_fill_vec.c,
 * _fill_isa.h: the primitives of _vecmath.h, once per CPU level). In the
 * vector fills a value that is not finite is a request: a primitive returns
 * NaN where it cannot keep its bound (and float32 math overflows where the
 * double value may not), and every such step of a block is recomputed by the
 * exact kernel (fl_eval_exact, compiled with the exact fills). Checking is a
 * pass over the block, in L1; such values are rare (a step whose exact value
 * is inf or NaN gets it back). Whether a step is recomputed depends on the
 * step only, so fills stay independent of start, length and threads.
 */
#ifndef FASTLR_FILLS_H
#define FASTLR_FILLS_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(_MSC_VER)
#define FL_RESTRICT __restrict
#define FL_ALIGNED(x) __declspec(align(x))
#else
#define FL_RESTRICT restrict
#define FL_ALIGNED(x) __attribute__((aligned(x)))
#endif

#define FL_BLOCK 256                        /* steps per inner loop: a multiple of every vector width */
#define FL_EXACT_STEPS ((int64_t)1 << 53)   /* doubles hold every integer below */

#ifdef FL_VECTOR_PRIMITIVES /* the vector fills: recompute what is not finite */
double fl_eval_exact(int kind, double u, const double *p, const double *data);
/* |v| <= largest finite, per type: false for inf and NaN */
#define FL_FINITE_double(v) (fabs(v) <= DBL_MAX)
#define FL_FINITE_float(v) (fabsf(v) <= FLT_MAX)
#define FL_DEFINE_FIX(TYPE)                                                          \
    __attribute__((unused, noinline, cold))                                          \
    static void fl_fix_##TYPE(int kind, TYPE *dst, double off, const double *p,      \
                              const double *data)                                    \
    {                                                                                \
        for (int j = 0; j < FL_BLOCK; j++)                                           \
            if (!FL_FINITE_##TYPE(dst[j]))                                           \
                dst[j] = (TYPE)fl_eval_exact(kind, off + (double)j, p, data);        \
    }
FL_DEFINE_FIX(double)
FL_DEFINE_FIX(float)
#define FL_FIX(TYPE, kind, dst, off, p, data) fl_fix_##TYPE(kind, dst, off, p, data)

/* a separate pass over the block (in L1): partial sums over 64 bytes of lanes
 * (added in a fixed order, so they vectorise without reassociation), not
 * finite if a value is not (a sum of large values may overflow: the fix-up
 * pass then finds nothing to recompute) */
#define FL_LANES(TYPE) (64 / (int)sizeof(TYPE))
#define FL_DEFINE_ANY_NONFINITE(TYPE)                                                \
    static inline int fl_any_nonfinite_##TYPE(const TYPE *v)                         \
    {                                                                                \
        TYPE sum[FL_LANES(TYPE)] = {0};                                              \
        for (int j = 0; j < FL_BLOCK; j += FL_LANES(TYPE))                           \
            for (int k = 0; k < FL_LANES(TYPE); k++)                                 \
                sum[k] += v[j + k];                                                  \
        int any = 0;                                                                 \
        for (int k = 0; k < FL_LANES(TYPE); k++)                                     \
            any |= !FL_FINITE_##TYPE(sum[k]);                                        \
        return any;                                                                  \
    }
FL_DEFINE_ANY_NONFINITE(double)
FL_DEFINE_ANY_NONFINITE(float)
#define FL_ANY_NONFINITE(TYPE, dst) fl_any_nonfinite_##TYPE(dst)
#define FL_EVAL_BEYOND(NAME, u) fl_eval_exact(kind, u, p, data)

/* The block's steps 0 .. FL_BLOCK - 1 as doubles: off + fl_block_steps[j] is
 * off + (double)j, a load instead of an int-to-double conversion on the FP
 * ports. The pointer is laundered through an empty asm so that GCC loads it
 * rather than unrolling the loop around 256 constants. */
#define FL_I4(n) (n), (n) + 1, (n) + 2, (n) + 3
#define FL_I16(n) FL_I4(n), FL_I4((n) + 4), FL_I4((n) + 8), FL_I4((n) + 12)
#define FL_I64(n) FL_I16(n), FL_I16((n) + 16), FL_I16((n) + 32), FL_I16((n) + 48)
static const double fl_block_steps[FL_BLOCK] __attribute__((aligned(64), unused)) = {
    FL_I64(0), FL_I64(64), FL_I64(128), FL_I64(192)};
#define FL_STEPS(steps) const double *steps = fl_block_steps; __asm__("" : "+r"(steps))
#define FL_STEP(steps, j) steps[j]
#else
#define FL_FIX(TYPE, kind, dst, off, p, data) ((void)0)
#define FL_ANY_NONFINITE(TYPE, dst) 0
#define FL_EVAL_BEYOND(NAME, u) fl_##NAME(u, p, data)
#define FL_STEPS(steps) (void)0
#define FL_STEP(steps, j) (double)(j)
#endif

#define FL_FILL_KIND(NAME, TYPE)                                                     \
    if (u0 <= FL_EXACT_STEPS - n) {                                                  \
        FL_ALIGNED(64) TYPE buf[FL_BLOCK];                                           \
        double row[FL_NPARAMS]; /* a private copy: the calls below cannot change */  \
        memcpy(row, p, sizeof row); /* it, so what a kernel derives from it hoists */ \
        FL_STEPS(steps);                                                             \
        int64_t b = 0;                                                               \
        do {                                                                         \
            const double off = (double)(u0 + b);                                     \
            const int64_t left = n - b;                                              \
            TYPE *FL_RESTRICT dst = left >= FL_BLOCK ? out + b : buf;                \
            for (int j = 0; j < FL_BLOCK; j++)                                       \
                dst[j] = (TYPE)fl_##NAME(off + FL_STEP(steps, j), row, data);        \
            if (FL_ANY_NONFINITE(TYPE, dst))                                         \
                FL_FIX(TYPE, kind, dst, off, p, data);                               \
            if (left < FL_BLOCK)                                                     \
                memcpy(out + b, buf, (size_t)left * sizeof(TYPE));                   \
            b += FL_BLOCK;                                                           \
        } while (b < n);                                                             \
    } else {                                                                         \
        for (int64_t j = 0; j < n; j++)                                              \
            out[j] = (TYPE)FL_EVAL_BEYOND(NAME, (double)(u0 + j));                   \
    }

#define FL_DEFINE_FILL(NAME_, TYPE, ATTRIBUTES)                                      \
    ATTRIBUTES void NAME_(int kind, TYPE *FL_RESTRICT out, int64_t n, int64_t u0,    \
                          const double *FL_RESTRICT p, const double *FL_RESTRICT data) \
    {                                                                                \
        if (n <= 0)                                                                  \
            return;                                                                  \
        switch (kind) {                                                              \
        FL_FOR_EACH_KIND(FL_FILL_CASE_##TYPE)                                        \
        default:                                                                     \
            for (int64_t j = 0; j < n; j++) out[j] = (TYPE)NAN;                      \
        }                                                                            \
    }
#define FL_FILL_CASE_double(ENUM, NAME) case ENUM: { FL_FILL_KIND(NAME, double) } break;
#define FL_FILL_CASE_float(ENUM, NAME) case ENUM: { FL_FILL_KIND(NAME, float) } break;

#endif /* FASTLR_FILLS_H */
