/* Vector fills: the formulas of _formulas.h compiled again with the vector
 * primitives of _vecmath.h and the SIMD declarations of _simd.h, through the
 * loops of _fills.h. Within a few ulp of the exact fills: bounds per kind in
 * fastlr/_kinds.py (tests/test_simd.py) and docs/performance.md.
 *
 * This unit holds the baseline fills (float32 ones compute in double and
 * round once) and the dispatch: where the compiler allows (FL_ISA_DISPATCH,
 * _simd.h) fl_simd_select picks at import the x86-64-v4 or x86-64-v3 fills of
 * _fill_v4*.c / _fill_v3*.c that the CPU supports, whose float32 fills
 * compute the cosine kinds in float32. Otherwise the baseline fills are
 * target_clones (FL_TARGET_CLONES) or, without vector math, scalar loops.
 */
#include "_simd.h"
#if FL_VECTOR_MATH
#define FL_F32_MATH 0
#include "_vecmath.h"
#endif
#include "_formulas.h"
#include "_fills.h"
#include "_fill_vec.h"

FL_DEFINE_FILL(fl_fill_base_f64, double, FL_TARGET_CLONES)
FL_DEFINE_FILL(fl_fill_base_f32, float, FL_TARGET_CLONES)

typedef void fl_fill_f64_fn(int, double *, int64_t, int64_t, const double *, const double *);
typedef void fl_fill_f32_fn(int, float *, int64_t, int64_t, const double *, const double *);

#if FL_ISA_DISPATCH
fl_fill_f64_fn fl_fill_v4_f64 __asm__("fl_fill_f64.arch_x86_64_v4");
fl_fill_f64_fn fl_fill_v3_f64 __asm__("fl_fill_f64.arch_x86_64_v3");
fl_fill_f32_fn fl_fill_v4_f32 __asm__("fl_fill_f32.arch_x86_64_v4");
fl_fill_f32_fn fl_fill_v3_f32 __asm__("fl_fill_f32.arch_x86_64_v3");
#endif

/* set once, by fl_simd_select at import (before any fill can run) */
static fl_fill_f64_fn *fl_fill_f64_level = fl_fill_base_f64;
static fl_fill_f32_fn *fl_fill_f32_level = fl_fill_base_f32;

int fl_simd_select(int cap)
{
#if FL_ISA_DISPATCH
    __builtin_cpu_init();
    int level = __builtin_cpu_supports("x86-64-v4") ? 4 : (__builtin_cpu_supports("x86-64-v3") ? 3 : 1);
    if (level > cap)
        level = cap >= 3 ? cap : 1;
    fl_fill_f64_level = level == 4 ? fl_fill_v4_f64 : (level == 3 ? fl_fill_v3_f64 : fl_fill_base_f64);
    fl_fill_f32_level = level == 4 ? fl_fill_v4_f32 : (level == 3 ? fl_fill_v3_f32 : fl_fill_base_f32);
    return level;
#else
    (void)cap;
    return FL_VECTOR_MATH ? 0 : -1;
#endif
}

void fl_fill_vec_f64(int kind, double *out, int64_t n, int64_t u0, const double *p, const double *data)
{
    fl_fill_f64_level(kind, out, n, u0, p, data);
}

void fl_fill_vec_f32(int kind, float *out, int64_t n, int64_t u0, const double *p, const double *data)
{
    fl_fill_f32_level(kind, out, n, u0, p, data);
}

int fl_vector_math(void) { return FL_VECTOR_MATH; }
