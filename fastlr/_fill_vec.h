/* The vector fills (_fill_vec.c), called by _engine_c.pyx. */
#ifndef FASTLR_FILL_VEC_H
#define FASTLR_FILL_VEC_H
#include <stdint.h>

void fl_fill_vec_f64(int kind, double *out, int64_t n, int64_t u0,
                     const double *p, const double *data);
void fl_fill_vec_f32(int kind, float *out, int64_t n, int64_t u0,
                     const double *p, const double *data);
/* 1 if the fills above use SIMD math (libmvec), 0 if they are scalar loops. */
int fl_vector_math(void);
/* Choose the fills of the highest CPU level the CPU supports, at most `cap`
 * (4: x86-64-v4, 3: x86-64-v3, 1: baseline); returns the level chosen, 0 when
 * target_clones choose it, -1 without vector math. Called once, at import. */
int fl_simd_select(int cap);

#endif /* FASTLR_FILL_VEC_H */
