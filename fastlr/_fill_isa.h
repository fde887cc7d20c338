/* The vector fill of one CPU level, for the units _fill_v3.c, _fill_v4.c,
 * _fill_v3_f32.c and _fill_v4_f32.c (dispatched by _fill_vec.c).
 *
 * A unit defines, then includes this:
 *   FL_ISA_TARGET  the level, as GCC's target attribute spells it;
 *   FL_FILL_NAME   the C name of its fill, FL_FILL_SYMBOL its symbol, which
 *                  carries the level as target_clones would name a clone
 *                  (.arch_x86_64_v4): the code runs only after the CPU check;
 *   FL_FILL_TYPE   double or float;
 *   FL_F32_MATH    1 for the float32 fills that compute in float32.
 * Only the fill function gets the level's instructions (target attribute):
 * the kernels are inlined into it, and anything GCC leaves out of line stays
 * baseline code. These levels all have FMA, so the primitives of _vecmath.h
 * may use it (FL_HAVE_FMA).
 */
#include "_simd.h"

#if FL_ISA_DISPATCH
#define FL_HAVE_FMA 1
#include "_vecmath.h"
#include "_formulas.h"
#include "_fills.h"

void FL_FILL_NAME(int kind, FL_FILL_TYPE *out, int64_t n, int64_t u0, const double *p,
                  const double *data) __asm__(FL_FILL_SYMBOL);
#define FL_DEFINE_FILL_EXPANDED(NAME, TYPE, ATTRIBUTES) FL_DEFINE_FILL(NAME, TYPE, ATTRIBUTES)
FL_DEFINE_FILL_EXPANDED(FL_FILL_NAME, FL_FILL_TYPE, __attribute__((target(FL_ISA_TARGET))))
#endif
