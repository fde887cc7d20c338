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

#endif /* FASTLR_FILL_VEC_H */
