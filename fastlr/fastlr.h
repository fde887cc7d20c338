/* fastlr C API: the struct behind a schedule's PyCapsule "fastlr.Schedule".
 *
 *     PyObject *cap = PyObject_GetAttrString(schedule, "capsule");
 *     fastlr_schedule_t *s = PyCapsule_GetPointer(cap, FASTLR_CAPSULE_NAME);
 *     double lr = s->value_at(s->state, 1000);           // no GIL needed
 *     s->fill_f64(s->state, buffer, n, 0, FASTLR_FAST); // or FASTLR_EXACT
 *
 * The pointers stay valid while the schedule object is alive: keep a
 * reference to it (the capsule does not). Every function is safe to call
 * without the GIL and from several threads at once. Values equal s(t)
 * (value_at, and fills with FASTLR_EXACT) or are within the documented
 * per-kind ulp bound (fills with FASTLR_FAST, see docs/performance.md).
 */
#ifndef FASTLR_H
#define FASTLR_H
#include <stdint.h>

#define FASTLR_CAPSULE_NAME "fastlr.Schedule"
#define FASTLR_FAST 0
#define FASTLR_EXACT 1

typedef struct fastlr_schedule {
    void *state;  /* the schedule object (a PyObject *, borrowed) */
    /* value at a step >= 0 (no checks: a negative step is undefined) */
    double (*value_at)(void *state, int64_t step);
    /* out[j] = value_at(start + j) for 0 <= j < n; start + n - 1 <= INT64_MAX */
    void (*fill_f64)(void *state, double *out, int64_t n, int64_t start, int exact);
    void (*fill_f32)(void *state, float *out, int64_t n, int64_t start, int exact);
    /* the program (read-only): segment i of kind kinds[i] starts at starts[i]
     * and reads params[i * nparams ...]; kinds are fastlr._kinds.Kind values */
    int64_t count;
    const int32_t *kinds;
    const int64_t *starts;
    const double *params;
    int64_t nparams;
    const double *data;
    int64_t ndata;
    /* per segment (rate, offset): segment i is evaluated at the local step
     * (step - starts[i]) * rate + offset; (1, 0) for every catalog schedule */
    const double *warps;
} fastlr_schedule_t;

#endif /* FASTLR_H */
