/* Platform switches for the vector fills (_fill_vec.c).
 *
 * On glibc/x86-64 with GCC >= 11 or Clang >= 14 (FL_VECTOR_MATH = 1):
 *   - cos, sin, exp, log, pow (and float twins) are declared SIMD-capable, so
 *     the vectoriser calls glibc's libmvec (_ZGV* symbols, glibc >= 2.22;
 *     also log1p from glibc 2.35). Needs -fopenmp-simd (no OpenMP runtime);
 *   - FL_TARGET_CLONES compiles a function for x86-64-v4 (AVX-512),
 *     x86-64-v3 (AVX2+FMA) and the baseline, chosen at load time (ifunc).
 * Everywhere else both are empty and the same loops run on scalar libm.
 * Include before <math.h> users (_formulas.h).
 */
#ifndef FASTLR_SIMD_H
#define FASTLR_SIMD_H

#include <math.h>

#if defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__) \
    && !defined(__FAST_MATH__) && !defined(FASTLR_NO_VECTOR_MATH) \
    && ((defined(__clang__) && __clang_major__ >= 14) \
        || (!defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 11))
#define FL_VECTOR_MATH 1
#else
#define FL_VECTOR_MATH 0
#endif

#if FL_VECTOR_MATH && defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 22)
#pragma omp declare simd notinbranch
extern double cos(double);
#pragma omp declare simd notinbranch
extern double sin(double);
#pragma omp declare simd notinbranch
extern double exp(double);
#pragma omp declare simd notinbranch
extern double log(double);
#pragma omp declare simd notinbranch
extern double pow(double, double);
#pragma omp declare simd notinbranch
extern float cosf(float);
#pragma omp declare simd notinbranch
extern float sinf(float);
#pragma omp declare simd notinbranch
extern float expf(float);
#pragma omp declare simd notinbranch
extern float logf(float);
#pragma omp declare simd notinbranch
extern float powf(float, float);
#endif
#if __GLIBC_PREREQ(2, 35)
#pragma omp declare simd notinbranch
extern double log1p(double);
#endif
#endif

/* libm's fmod has no vector variant, so a formula calling it would not
 * vectorise: the vector build gives _formulas.h's fl_fmod this select form
 * instead (FL_FMOD). The vector fills only evaluate steps below 2**53 (larger
 * ones take the exact path, see _engine_c.pyx), where fmod of integer-valued
 * doubles (steps, periods) is this subtraction exactly; for other arguments
 * it is within an ulp or so of fmod (bounded per kind in _kinds.REGISTRY). */
#if FL_VECTOR_MATH
static inline double fl_fmod_vec(double x, double y)
{
    double r = x - floor(x / y) * y;
    r = r < 0.0 ? r + y : r;
    return r >= y ? r - y : r;
}
#define FL_FMOD fl_fmod_vec
#endif

#if FL_VECTOR_MATH
#define FL_TARGET_CLONES \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define FL_TARGET_CLONES
#endif

#endif /* FASTLR_SIMD_H */
