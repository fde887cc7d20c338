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
 * does). Every block runs the one inner loop, FL_BLOCK steps long (a
 * constant trip count that every vector width divides, a restrict output: no
 * remainder loop, no alignment peeling, no alias versioning), storing
 * straight into `out`, or for a last partial block into an aligned local
 * buffer of which the needed part is copied. So in a vectorised build every
 * step goes through the same vector code whatever n, start, the output's
 * alignment or the thread split (tests/test_simd.py checks it; the extra
 * steps of a partial block are computed and discarded).
 *
 * The same source is compiled twice: in _engine_c.pyx with plain libm (the
 * exact fills, bit-identical to s(t)) and in _fill_vec.c with
 * the SIMD declarations of _simd.h (the vector fills).
 */
#ifndef FASTLR_FILLS_H
#define FASTLR_FILLS_H

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

#define FL_FILL_KIND(NAME, TYPE)                                                     \
    if (u0 <= FL_EXACT_STEPS - n) {                                                  \
        FL_ALIGNED(64) TYPE buf[FL_BLOCK];                                           \
        for (int64_t b = 0; b < n; b += FL_BLOCK) {                                  \
            const double off = (double)(u0 + b);                                     \
            const int64_t left = n - b;                                              \
            TYPE *FL_RESTRICT dst = left >= FL_BLOCK ? out + b : buf;                \
            for (int j = 0; j < FL_BLOCK; j++)                                       \
                dst[j] = (TYPE)fl_##NAME(off + (double)j, p, data);                  \
            if (left < FL_BLOCK)                                                     \
                memcpy(out + b, buf, (size_t)left * sizeof(TYPE));                   \
        }                                                                            \
    } else {                                                                         \
        for (int64_t j = 0; j < n; j++)                                              \
            out[j] = (TYPE)fl_##NAME((double)(u0 + j), p, data);                     \
    }

#define FL_DEFINE_FILL(NAME_, TYPE, ATTRIBUTES)                                      \
    ATTRIBUTES void NAME_(int kind, TYPE *FL_RESTRICT out, int64_t n, int64_t u0,    \
                          const double *FL_RESTRICT p, const double *FL_RESTRICT data) \
    {                                                                                \
        switch (kind) {                                                              \
        FL_FOR_EACH_KIND(FL_FILL_CASE_##TYPE)                                        \
        default:                                                                     \
            for (int64_t j = 0; j < n; j++) out[j] = (TYPE)NAN;                      \
        }                                                                            \
    }
#define FL_FILL_CASE_double(ENUM, NAME) case ENUM: { FL_FILL_KIND(NAME, double) } break;
#define FL_FILL_CASE_float(ENUM, NAME) case ENUM: { FL_FILL_KIND(NAME, float) } break;

#endif /* FASTLR_FILLS_H */
