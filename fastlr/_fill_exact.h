/* The exact fills, compiled into _engine_c with plain scalar libm: the same
 * function per kind as s(t), so they agree with it bit for bit. */
#ifndef FASTLR_FILL_EXACT_H
#define FASTLR_FILL_EXACT_H
#include "_formulas.h"
#include "_fills.h"

FL_DEFINE_FILL(fl_fill_exact_f64, double, static)
FL_DEFINE_FILL(fl_fill_exact_f32, float, static)

/* The exact value of one step, for the vector fills' NaN steps (_fills.h). */
double fl_eval_exact(int kind, double u, const double *p, const double *data)
{
    return fl_eval(kind, u, p, data);
}

#endif /* FASTLR_FILL_EXACT_H */
