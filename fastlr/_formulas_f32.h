/* Float32 formulas of the peers that compute in float32: Keras 3 and tf_keras
 * (TensorFlow, eager, scalar step) and optax (JAX on XLA:CPU, eager, x64 off).
 *
 * Each fl_<kind> replays its peer's float32 pipeline operation by operation:
 * hyper-parameters arrive already rounded to float32 (the compat factories do
 * that, in the peer's order), the step is cast to float32, every +, -, *, /
 * is one float32 operation in the peer's left-to-right order, and each
 * transcendental result is rounded correctly to float32 as (float)f((double)x)
 * (glibc's cosf/powf are not always correctly rounded: they are where the few
 * golden values these kernels miss by an ulp come from). TensorFlow and the
 * XLA:CPU client run with flush-to-zero, so every result passes through fz().
 * The result is a float32 value, returned as a double so both output dtypes
 * hold exactly the peer's number.
 *
 * No excess precision: on x86-64 (SSE2) and AArch64, C evaluates float
 * expressions in float (FLT_EVAL_METHOD == 0), so each operation below rounds
 * to float32; -ffp-contract=off (setup.py) forbids fusing a*b+c. Targets that
 * evaluate float in wider precision (i386 x87) would round twice and are
 * refused here; the pure-Python engine then serves them with the same values.
 *
 * Transcendentals must stay scalar libm calls (cos, pow, log in double): a
 * vectorised libmvec variant would change the double result by an ulp and,
 * rarely, the float32 rounding. The NumPy twins are in _formulas_f32_py.py.
 */
#ifndef FASTLR_FORMULAS_F32_H
#define FASTLR_FORMULAS_F32_H

#include <float.h>
#include <math.h>

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "fastlr's float32 kernels need FLT_EVAL_METHOD == 0 (float evaluated in float)"
#endif

enum fl_f32_kind {
    FL_F32_TF_DECAY = 40,
    FL_F32_TF_POLYNOMIAL = 41,
    FL_F32_TF_COSINE = 42,
    FL_F32_TF_COSINE_RESTARTS = 43,
    FL_F32_OPTAX_POLYNOMIAL = 44,
    FL_F32_OPTAX_EXPONENTIAL = 45,
    FL_F32_OPTAX_COSINE = 46,
    FL_F32_OPTAX_INTERPOLATE = 47
};

/* flush-to-zero: a subnormal result becomes a zero of the same sign */
static inline float fz(float x)
{
    return fabsf(x) < FLT_MIN ? x * 0.0f : x;
}

static inline float f32_cos(float x) { return fz((float)cos((double)x)); }
static inline float f32_log(float x) { return fz((float)log((double)x)); }
static inline float f32_pow(float x, float y) { return fz((float)pow((double)x, (double)y)); }

/* jax.lax.integer_pow: binary exponentiation in float32, 1/acc for y < 0 */
static inline float f32_integer_pow(float x, double y)
{
    long long n = (long long)fabs(y);
    float acc = 1.0f;
    int first = 1;
    if (n == 0) return 1.0f;
    while (n > 0) {
        if (n & 1) {
            acc = first ? x : fz(acc * x);
            first = 0;
        }
        n >>= 1;
        if (n > 0) x = fz(x * x);
    }
    return y < 0.0 ? fz(1.0f / acc) : acc;
}

/* optax `x ** e`: integer_pow for a Python int exponent, else lax.pow */
static inline float f32_optax_power(float x, double e, double is_int)
{
    return is_int != 0.0 ? f32_integer_pow(x, e) : f32_pow(x, (float)e);
}

/* Keras ExponentialDecay (mode 0): lr * rate ** p;
 * Keras InverseTimeDecay (mode 1): lr / (1 + rate * p);
 * p = float32(step) / steps, floored if staircase. */
static inline double fl_f32_tf_decay(double u, const double *p, const double *data)
{
    (void)data;
    const float lr = (float)p[0], steps = (float)p[1], rate = (float)p[2];
    float q = fz((float)u / steps);
    if (p[3] != 0.0) q = floorf(q);
    if (p[4] == 0.0) return fz(lr * f32_pow(rate, q));
    return fz(lr / fz(1.0f + fz(rate * q)));
}

/* Keras PolynomialDecay: (lr - end) * (1 - s / d) ** power + end, with
 * s = min(step, steps), d = steps; or, if cycle, s = step and
 * d = steps * (step == 0 ? 1 : ceil(step / steps)). */
static inline double fl_f32_tf_polynomial(double u, const double *p, const double *data)
{
    (void)data;
    const float lr = (float)p[0], end = (float)p[1], power = (float)p[2], steps = (float)p[3];
    float s = (float)u, d = steps;
    if (p[4] != 0.0) {
        float mult = s == 0.0f ? 1.0f : ceilf(fz(s / steps));
        d = fz(steps * mult);
    } else if (!(s < steps)) {
        s = steps;
    }
    float q = fz(s / d);
    return fz(fz(fz(lr - end) * f32_pow(fz(1.0f - q), power)) + end);
}

/* Keras CosineDecay's decay: from * ((1 - alpha) * 0.5 * (1 + cos(pi * (s / steps))) + alpha) */
static inline float f32_tf_cosine_decay(float s, float steps, float from, float one_minus_alpha,
                                        float alpha)
{
    const float pi = (float)M_PI;
    float fraction = fz(s / steps);
    float decayed = fz(0.5f * fz(1.0f + f32_cos(fz(pi * fraction))));
    return fz(from * fz(fz(one_minus_alpha * decayed) + alpha));
}

/* Keras CosineDecay: without warmup, the decay at min(step, steps) from lr;
 * with warmup (warmup_target given), s = min(step, steps + warmup_steps) and
 * (target - lr) * (s / warmup_steps) + lr while s < warmup_steps, then the
 * decay at s - warmup_steps from target. */
static inline double fl_f32_tf_cosine(double u, const double *p, const double *data)
{
    (void)data;
    const float lr = (float)p[0], steps = (float)p[1], oma = (float)p[2], alpha = (float)p[3];
    const float target = (float)p[4], warmup = (float)p[5];
    float s = (float)u;
    if (p[6] == 0.0) {
        if (!(s < steps)) s = steps;
        return f32_tf_cosine_decay(s, steps, lr, oma, alpha);
    }
    float last = fz(steps + warmup);
    if (!(s < last)) s = last;
    if (s < warmup) return fz(fz(fz(target - lr) * fz(s / warmup)) + lr);
    return f32_tf_cosine_decay(fz(s - warmup), steps, target, oma, alpha);
}

/* Keras CosineDecayRestarts: cycle i and its fraction from
 * c = step / first_steps (geometric cycles through log when t_mul != 1), then
 * lr * ((1 - alpha) * (0.5 * m_mul ** i) * (1 + cos(pi * c)) + alpha). */
static inline double fl_f32_tf_cosine_restarts(double u, const double *p, const double *data)
{
    (void)data;
    const float lr = (float)p[0], first = (float)p[1], alpha = (float)p[2];
    const float t_mul = (float)p[3], m_mul = (float)p[4];
    const float pi = (float)M_PI;
    float c = fz((float)u / first), i;
    if (t_mul == 1.0f) {
        i = floorf(c);
        c = fz(c - i);
    } else {
        float one_minus_t = fz(1.0f - t_mul);
        i = floorf(fz(f32_log(fz(1.0f - fz(c * one_minus_t))) / f32_log(t_mul)));
        float sum = fz(fz(1.0f - f32_pow(t_mul, i)) / one_minus_t);
        c = fz(fz(c - sum) / f32_pow(t_mul, i));
    }
    float decayed = fz(fz(0.5f * f32_pow(m_mul, i)) * fz(1.0f + f32_cos(fz(pi * c))));
    return fz(lr * fz(fz(fz(1.0f - alpha) * decayed) + alpha));
}

/* optax polynomial_schedule / linear_schedule:
 * diff * (1 - clip(n - begin, 0, steps) / steps) ** power + end, where
 * diff = float32(init - end) was subtracted in double by Python. */
static inline double fl_f32_optax_polynomial(double u, const double *p, const double *data)
{
    (void)data;
    const float diff = (float)p[0], end = (float)p[1], steps = (float)p[3];
    double n = u - p[4];
    if (n < 0.0) n = 0.0;
    if (n > p[3]) n = p[3];
    float frac = fz(1.0f - fz((float)n / steps));
    return fz(fz(diff * f32_optax_power(frac, p[2], p[5])) + end);
}

/* optax exponential_decay: init while n = u - begin <= 0, else
 * init * rate ** float32(n / steps) (the division in double, floored in
 * float32 if staircase), then clipped to [low, high]. */
static inline double fl_f32_optax_exponential(double u, const double *p, const double *data)
{
    (void)data;
    const float init = (float)p[0], rate = (float)p[1];
    double n = u - p[3];
    float v = init;
    if (n > 0.0) {
        float q = (float)(n / p[2]);
        if (p[4] != 0.0) q = floorf(q);
        v = fz(init * f32_pow(rate, q));
    }
    if (v < (float)p[5]) v = (float)p[5];
    if (v > (float)p[6]) v = (float)p[6];
    return v;
}

/* optax cosine_decay_schedule: c = min(n, steps) with n = u - begin,
 * init * ((1 - alpha) * (0.5 * (1 + cos(pi * c / steps))) ** exponent + alpha),
 * 1 - alpha subtracted in double by Python. */
static inline double fl_f32_optax_cosine(double u, const double *p, const double *data)
{
    (void)data;
    const float init = (float)p[0], steps = (float)p[1], oma = (float)p[2], alpha = (float)p[3];
    const float pi = (float)M_PI;
    float c = (float)(u - p[6]);
    if (!(c < steps)) c = steps;
    float decayed = fz(0.5f * fz(1.0f + f32_cos(fz(fz(pi * c) / steps))));
    return fz(init * fz(fz(oma * f32_optax_power(decayed, p[4], p[5])) + alpha));
}

/* optax piecewise_interpolate_schedule, one interval: pct = (u - begin) / size,
 * linear (end - start) * pct + start, or
 * cosine end + (start - end) / 2 * (cos(pi * pct) + 1). */
static inline double fl_f32_optax_interpolate(double u, const double *p, const double *data)
{
    (void)data;
    const float start = (float)p[0], end = (float)p[1];
    const float pi = (float)M_PI;
    float pct = fz((float)(u - p[4]) / (float)p[2]);
    if (p[3] == 0.0) return fz(fz(fz(end - start) * pct) + start);
    return fz(end + fz(fz(fz(start - end) / 2.0f) * fz(f32_cos(fz(pi * pct)) + 1.0f)));
}

#define FL_FOR_EACH_F32_KIND(X)                               \
    X(FL_F32_TF_DECAY, f32_tf_decay)                          \
    X(FL_F32_TF_POLYNOMIAL, f32_tf_polynomial)                \
    X(FL_F32_TF_COSINE, f32_tf_cosine)                        \
    X(FL_F32_TF_COSINE_RESTARTS, f32_tf_cosine_restarts)      \
    X(FL_F32_OPTAX_POLYNOMIAL, f32_optax_polynomial)          \
    X(FL_F32_OPTAX_EXPONENTIAL, f32_optax_exponential)        \
    X(FL_F32_OPTAX_COSINE, f32_optax_cosine)                  \
    X(FL_F32_OPTAX_INTERPOLATE, f32_optax_interpolate)

#endif /* FASTLR_FORMULAS_F32_H */
