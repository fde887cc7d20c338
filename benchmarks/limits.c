/* The limit: hand-written C loops over glibc's vector math, one per benchmark
 * schedule, written the way a C programmer would (32-bit index, straight-line
 * body, no fastlr machinery). benchmarks/_limits.py compiles this file in the
 * benchmark run with
 *     gcc -O3 -march=native -fno-math-errno -fno-trapping-math -ffp-contract=off
 *         -fopenmp-simd -fPIC -shared limits.c -lm
 * (-march=x86-64-v3 etc. instead of native when compare.py --isa caps
 * fastlr's fills at that CPU level; no -ffast-math: the SIMD declarations
 * below bring in libmvec; every loop carries `#pragma omp simd` so that GCC
 * vectorises it even where its cost model or its if-conversion would not)
 * and checks with objdump that the _ZGV* vector functions are called.
 * Every function: (out, n, p) with p the schedule's parameters. */
#include <math.h>

#pragma omp declare simd notinbranch
extern double cos(double);
#pragma omp declare simd notinbranch
extern double pow(double, double);
#pragma omp declare simd notinbranch
extern double exp(double);
#pragma omp declare simd notinbranch
extern double log1p(double);
#pragma omp declare simd notinbranch
extern float cosf(float);

#define MIN(a, b) ((a) < (b) ? (a) : (b))

void store_f64(double *restrict out, int n, const double *restrict p) {
    #pragma omp simd
    for (int i = 0; i < n; i++) out[i] = p[0];
}

void store_f32(float *restrict out, int n, const double *restrict p) {
    const float v = (float)p[0];
    #pragma omp simd
    for (int i = 0; i < n; i++) out[i] = v;
}

/* p: peak, W, T. Linear warmup then half-cosine to 0 at T. */
void warmup_cosine_f64(double *restrict out, int n, const double *restrict p) {
    const double s = p[0] / p[1], k = M_PI / (p[2] - p[1]), h = 0.5 * p[0];
    const int w = MIN((int)p[1], n);
    #pragma omp simd
    for (int i = 0; i < w; i++) out[i] = s * (double)i;
    #pragma omp simd
    for (int i = w; i < n; i++) out[i] = h * (1.0 + cos(k * (double)(i - w)));
}

/* the same in float32 vector math (cosf), the float32 limit */
void warmup_cosine_f32(float *restrict out, int n, const double *restrict p) {
    const float s = (float)(p[0] / p[1]), k = (float)(M_PI / (p[2] - p[1])), h = (float)(0.5 * p[0]);
    const int w = MIN((int)p[1], n);
    #pragma omp simd
    for (int i = 0; i < w; i++) out[i] = s * (float)i;
    #pragma omp simd
    for (int i = w; i < n; i++) out[i] = h * (1.0f + cosf(k * (float)(i - w)));
}

/* p: peak, rate, steps. peak * rate ** (i / steps) */
void exponential_f64(double *restrict out, int n, const double *restrict p) {
    #pragma omp simd
    for (int i = 0; i < n; i++) out[i] = p[0] * pow(p[1], (double)i / p[2]);
}

/* p: start, end, T, power. (start - end) * (1 - i/T) ** power + end, with
 * power 2 as a square (what fastlr's formula does for the common exponents) */
void polynomial_f64(double *restrict out, int n, const double *restrict p) {
    const double a = p[0] - p[1];
    if (p[3] == 2.0) {
        #pragma omp simd
        for (int i = 0; i < n; i++) {
            const double q = 1.0 - (double)i / p[2];
            out[i] = a * (q * q) + p[1];
        }
    } else {
        #pragma omp simd
        for (int i = 0; i < n; i++) out[i] = a * pow(1.0 - (double)i / p[2], p[3]) + p[1];
    }
}

/* p: peak, W, power. linear warmup, then peak * (W / i) ** power (power 0.5: sqrt) */
void inverse_power_f64(double *restrict out, int n, const double *restrict p) {
    const int w = MIN((int)p[1], n);
    #pragma omp simd
    for (int i = 0; i < w; i++) out[i] = p[0] * (double)i / p[1];
    if (p[2] == 0.5) {
        #pragma omp simd
        for (int i = w; i < n; i++) out[i] = p[0] * sqrt(p[1] / (double)i);
    } else {
        #pragma omp simd
        for (int i = w; i < n; i++) out[i] = p[0] * pow(p[1] / (double)i, p[2]);
    }
}

/* p: scale, factor, W. scale * min(i ** -0.5, i * factor), i ** -0.5 as 1 / sqrt(i);
 * the minimum is the ramp up to W = factor ** (-2/3) and the decay after it
 * (GCC does not if-convert the select, so the hand-written limit splits the range) */
void noam_f64(double *restrict out, int n, const double *restrict p) {
    const int w = MIN((int)p[2] + 1, n);
    #pragma omp simd
    for (int i = 0; i < w; i++) out[i] = p[0] * ((double)i * p[1]);
    #pragma omp simd
    for (int i = w; i < n; i++) out[i] = p[0] * (1.0 / sqrt((double)i));
}

/* p: peak, period. SGDR with equal cycles */
void restarts_f64(double *restrict out, int n, const double *restrict p) {
    const double k = M_PI / p[1];
    #pragma omp simd
    for (int i = 0; i < n; i++) {
        const double u = (double)i, c = floor(u / p[1]);
        out[i] = 0.5 * p[0] * (1.0 + cos(k * (u - c * p[1])));
    }
}

/* p: peak, period. SGDR with cycles doubling */
void restarts_mult2_f64(double *restrict out, int n, const double *restrict p) {
    const double inv_log2 = 1.0 / log(2.0);
    #pragma omp simd
    for (int i = 0; i < n; i++) {
        const double u = (double)i, c = floor(log1p(u / p[1]) * inv_log2), g = pow(2.0, c);
        out[i] = 0.5 * p[0] * (1.0 + cos(M_PI * (u - p[1] * (g - 1.0)) / (p[1] * g)));
    }
}

/* torch CyclicLR's triangle at step u, 0 .. 1 (p: low, high, step_size_up, step_size_down) */
static inline double cyclic_triangle(double u, const double *p) {
    const double total = p[2] + p[3], r = p[2] / total;
    const double c = floor(1.0 + u / total), x = 1.0 + u / total - c;
    return x <= r ? x / r : (x - 1.0) / (r - 1.0);
}

/* p: low, high, step_size_up, step_size_down. torch CyclicLR "triangular" */
void cyclic_f64(double *restrict out, int n, const double *restrict p) {
    #pragma omp simd
    for (int i = 0; i < n; i++)
        out[i] = p[0] + (p[1] - p[0]) * cyclic_triangle((double)i, p);
}

/* p: low, high, step_size_up, step_size_down, gamma. torch CyclicLR "exp_range" */
void cyclic_exp_f64(double *restrict out, int n, const double *restrict p) {
    #pragma omp simd
    for (int i = 0; i < n; i++)
        out[i] = p[0] + (p[1] - p[0]) * cyclic_triangle((double)i, p) * pow(p[4], (double)i);
}

/* p: initial, peak, minimum, W, T. cosine up to peak at W, cosine down to minimum at T */
void one_cycle_f64(double *restrict out, int n, const double *restrict p) {
    const int w = MIN((int)p[3], n), t = MIN((int)p[4], n);
    const double ku = M_PI / p[3], kd = M_PI / (p[4] - p[3]);
    #pragma omp simd
    for (int i = 0; i < w; i++) out[i] = p[1] + (p[0] - p[1]) * (1.0 + cos(ku * (double)i)) / 2.0;
    #pragma omp simd
    for (int i = w; i < t; i++) out[i] = p[2] + (p[1] - p[2]) * (1.0 + cos(kd * (double)(i - w))) / 2.0;
    #pragma omp simd
    for (int i = t; i < n; i++) out[i] = p[2];
}

/* p: peak, W, S, D. linear warmup, plateau, "1-sqrt" cooldown to 0 */
void wsd_f64(double *restrict out, int n, const double *restrict p) {
    const int w = MIN((int)p[1], n), s = MIN(w + (int)p[2], n), d = MIN(s + (int)p[3], n);
    #pragma omp simd
    for (int i = 0; i < w; i++) out[i] = p[0] * (double)i / p[1];
    #pragma omp simd
    for (int i = w; i < s; i++) out[i] = p[0];
    #pragma omp simd
    for (int i = s; i < d; i++) out[i] = p[0] * (1.0 - sqrt((double)(i - s) / p[3]));
    #pragma omp simd
    for (int i = d; i < n; i++) out[i] = 0.0;
}

/* p: b1, b2, b3, v0, v1, v2, v3. four constant pieces */
void piecewise_f64(double *restrict out, int n, const double *restrict p) {
    int lo = 0;
    for (int k = 0; k < 4; k++) {
        const int hi = k < 3 ? MIN((int)p[k], n) : n;
        const double v = p[3 + k];
        #pragma omp simd
        for (int i = lo; i < hi; i++) out[i] = v;
        lo = hi;
    }
}
