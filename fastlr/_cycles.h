/* s(t) of cosine_restarts without libm's log1p, log and pow (period_mult != 1)
 * or fmod (equal cycles of an integral period):
 * a table per segment, made when the engine is, of the steps whose cycle
 * estimate (fl_restarts_estimate, _formulas.h) is known in advance, with
 * pow(mult, k) and pow(decay, k) as libm computes them (and the cycle's
 * divisions, period / (mult - 1) and pow(mult, k) / mult). The value then comes
 * from the kernel's own fl_restarts_cycle and blend, so it is the kernel's,
 * bit for bit; steps outside the table (near a cycle start, past the last
 * band, parameters the table does not cover) take the kernel. The vector
 * fills read the same pow(mult, k) (their cycle positions subtract nearly
 * equal numbers, 1 / (mult - 1) times an ulp of mult ** k: libmvec's pow would
 * move them by more than the bound).
 *
 * Why the estimate is known: with d = mult - 1 and q(u) = log1p(u d / period)
 * / log(mult) in exact arithmetic, q is increasing and q(B_k) = k at the
 * cycle starts B_k = period (mult**k - 1) / d. The computed estimate differs
 * from q by a few ulps (of q, and 2**-52 / log(mult)): below 2**-40 for the
 * parameters tables are made for (1 + 2**-20 <= mult <= 2**20). A step u with
 * B_k (1 + G) < u < B_(k+1) (1 - G), G = 2**-26, has q(u) at least
 * G (1 - 1 / mult) / log(mult) > 2**-27 away from an integer, so its estimate
 * is k. Band k holds those steps (rounded inward by a step), up to 2**52.
 */
#ifndef FASTLR_CYCLES_H
#define FASTLR_CYCLES_H

#include <stdint.h>
#include <stdlib.h>
#include "_formulas.h"
#include "_hint.h"

#define FL_CYCLES_MAX 1024  /* bands per table (later cycles take the kernel) */
#define FL_CYCLES_GUARD 0x1p-26

typedef struct {
    Py_ssize_t count;  /* bands 0 .. count - 1 */
    Py_ssize_t last;   /* band of the previous call: a hint shared by threads (_hint.h) */
    double *lo, *hi;   /* band k: the local steps lo[k] .. hi[k] */
    double scale;      /* period / (mult - 1) */
    double *shrink;    /* pow(mult, k) / mult */
    double *decays;    /* pow(decay, k) for k <= count */
    double *powers;    /* count, then pow(mult, k) for k < count, then NaN: also the
                        * vector fills' data (fl_cycle_power, _vecmath.h) */
    double data[];     /* lo, hi, shrink, decays, powers */
} fl_cycles;

/* the powers of a segment without a table: count 0, then the NaN slot */
static const double fl_no_powers[2] = {0.0, NAN};

/* The table of a COSINE_RESTARTS parameter row, or NULL where there is none
 * (period_mult == 1 or outside the covered range, or no memory: s(t) then
 * takes the kernel, vector fills the exact kernel). Free with free(). */
static fl_cycles *fl_cycles_new(const double *p)
{
    const double period = p[2], mult = p[3], decay = p[4];
    if (mult == 1.0 && period >= 1.0 && period <= 0x1p52 && period == floor(period)) {
        fl_cycles *t = malloc(sizeof *t); /* no bands: equal cycles (fl_restarts_step) */
        if (t != NULL) {
            t->count = t->last = 0;
            t->lo = t->hi = t->shrink = t->decays = t->powers = NULL;
            t->scale = 0.0;
        }
        return t;
    }
    if (!(mult >= 1.0 + 0x1p-20 && mult <= 0x1p20 && period >= 1.0 && period <= 0x1p52
          && decay > 0.0 && decay <= DBL_MAX))
        return NULL;
    const double scale = period / (mult - 1.0);
    Py_ssize_t count = 0;
    while (count < FL_CYCLES_MAX && scale * (pow(mult, (double)(count + 1)) - 1.0) <= 0x1p52)
        count++;
    if (count == 0)
        return NULL;
    fl_cycles *t = malloc(sizeof *t + sizeof(double) * (size_t)(5 * count + 3));
    if (t == NULL)
        return NULL;
    t->count = count;
    t->last = 0;
    t->lo = t->data;
    t->hi = t->lo + count;
    t->shrink = t->hi + count;
    t->decays = t->shrink + count;
    t->powers = t->decays + count + 1;
    t->scale = scale;
    double *grow = t->powers + 1;
    t->powers[0] = (double)count;
    for (Py_ssize_t k = 0; k < count; k++) {
        const double start = scale * (pow(mult, (double)k) - 1.0);
        const double next = scale * (pow(mult, (double)(k + 1)) - 1.0);
        t->lo[k] = k == 0 ? 0.0 : ceil(start * (1.0 + FL_CYCLES_GUARD)) + 1.0;
        t->hi[k] = floor(next * (1.0 - FL_CYCLES_GUARD)) - 1.0; /* < lo[k]: an empty band */
        grow[k] = pow(mult, (double)k);
        t->shrink[k] = grow[k] / mult;
    }
    grow[count] = NAN;
    for (Py_ssize_t k = 0; k <= count; k++)
        t->decays[k] = pow(decay, (double)k);
    return t;
}

/* The vector fills' data for a COSINE_RESTARTS segment with table t (or NULL). */
static inline const double *fl_cycles_powers(const void *t)
{
    return t == NULL || ((const fl_cycles *)t)->powers == NULL ? fl_no_powers : ((const fl_cycles *)t)->powers;
}

/* The band holding local step u, or -1. */
static inline Py_ssize_t fl_cycles_band(fl_cycles *t, double u)
{
    Py_ssize_t k = fl_hint_load(&t->last);
    if (t->lo[k] <= u && u <= t->hi[k])
        return k;
    Py_ssize_t lo = 0, hi = t->count - 1;
    while (lo < hi) { /* the last band starting at or before u */
        const Py_ssize_t mid = (lo + hi + 1) / 2;
        if (t->lo[mid] <= u)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (!(t->lo[lo] <= u && u <= t->hi[lo]))
        return -1;
    fl_hint_store(&t->last, lo);
    return lo;
}

/* fl_cosine_restarts(u, p, data), bit for bit, through the table t of p. Equal
 * cycles (no bands): an integral period and u below 2**53 make floor(u /
 * period) exact, so u - floor(u / period) * period is fmod(u, period) exactly,
 * without libm's fmod. */
static inline double fl_restarts_step(double u, const double *p, const double *data, fl_cycles *t)
{
    const double period = p[2], mult = p[3], decay = p[4];
    if (t->count == 0) {
        if (!(u < 0x1p53))
            return fl_cosine_restarts(u, p, data);
        const double i = floor(u / period);
        return fl_restarts_value(p, u - i * period, period, decay == 1.0 ? 1.0 : pow(decay, i));
    }
    const Py_ssize_t k = fl_cycles_band(t, u);
    if (k < 0)
        return fl_cosine_restarts(u, p, data);
    const double grow = t->powers[1 + k];
    const fl_cycle c = fl_restarts_cycle(u, period, mult, (double)k, grow, t->scale, t->shrink[k]);
    return fl_restarts_value(p, c.phase, c.length, t->decays[(Py_ssize_t)c.index]);
}

#endif /* FASTLR_CYCLES_H */
