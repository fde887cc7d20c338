/* Vector fills: the formulas of _formulas.h compiled a second time, with the
 * SIMD math declarations and per-CPU clones of _simd.h, through the loops of
 * _fills.h. float32 fills evaluate in double and round once, like the exact
 * ones. Within a few ulp of the exact fills: bounds per kind in
 * tests/test_simd.py and docs/performance.md.
 *
 * (A float32 variant that evaluated cos as float32 cosf, on an argument
 * reduced in double, measured slower on AVX2 than double cos: the reduction
 * and the conversions around the call cost more than the wider cosf saves.
 * See docs/performance.md.) */
#include "_simd.h"
#include "_formulas.h"
#include "_fills.h"
#include "_fill_vec.h"

FL_DEFINE_FILL(fl_fill_vec_f64, double, FL_TARGET_CLONES)
FL_DEFINE_FILL(fl_fill_vec_f32, float, FL_TARGET_CLONES)

int fl_vector_math(void) { return FL_VECTOR_MATH; }
