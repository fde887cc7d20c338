/* Peer formulas: kinds that only a peer library computes this way, owned by
 * fastlr.compat (tier "peer" in fastlr/_kinds.py). Each fl_<kind> keeps its
 * peer's operation order, so its values carry the peer's rounding; the NumPy
 * twins are in _formulas_peer_py.py. Included by _formulas.h, whose helpers
 * (fl_pow, fl_fmin, the primitive fl_cos_blend_turns, M_PI) these use; the
 * rules for vectorisable formulas at the top of _formulas.h apply here too.
 * No native kernel depends on them.
 */
#ifndef FASTLR_FORMULAS_PEER_H
#define FASTLR_FORMULAS_PEER_H

enum fl_peer_kind {
    FL_ANNEAL = 20,
    FL_TIMM_COSINE = 21,
    FL_TIMM_POLY = 22,
    FL_TIMM_TANH = 23,
    FL_TIMM_WSD = 24,
    FL_HF_COSINE = 25,
    FL_HF_HARD_RESTARTS = 26,
    FL_DECAY_COEFF = 27,
    FL_MEGATRON_INV_SQRT = 28,
    FL_OLMO = 29
};

/* torch OneCycleLR phase: pct = (u + offset - begin) / (stop - begin);
 * cos: end + (start - end) / 2 * (cos(pi * pct) + 1); linear: (end - start) * pct + start;
 * turns != 0 makes the cosine's angle (pi * turns) * pct (transformers' order) */
static inline double fl_anneal(double u, const double *p, const double *data)
{
    (void)data;
    const double pct = (u + p[2] - p[3]) / (p[4] - p[3]);
    if (p[5] != 0.0) return (p[1] - p[0]) * pct + p[0];
    const double angle = p[6] != 0.0 ? (M_PI * p[6]) * pct : M_PI * pct;
    return p[1] + (p[0] - p[1]) / 2.0 * (cos(angle) + 1.0);
}

/* timm's cycle of step t: index i from a float log (as timm computes it, so an
 * exact restart may land one step off), cycle length and position in it. */
static inline double fl_timm_cycle(double t, double period, double mult, double *length, double *pos)
{
    double i;
    if (mult != 1.0) {
        i = floor(log(1.0 - t / period * (1.0 - mult)) / log(mult));
        const double grown = pow(mult, i);
        *length = grown * period;
        *pos = t - (1.0 - grown) / (1.0 - mult) * period;
    } else {
        i = floor(t / period);
        if (i * period > t) i -= 1.0;
        *length = period;
        *pos = t - period * i;
    }
    return i;
}

/* timm CosineLRScheduler: low + 0.5 * (peak * decay**i - low) * (1 + cos(pi * pos**k / length**k)) */
static inline double fl_timm_cosine(double u, const double *p, const double *data)
{
    (void)data;
    double length, pos;
    const double i = fl_timm_cycle(u + p[6], p[2], p[3], &length, &pos);
    const double top = p[0] * pow(p[4], i);
    return p[1] + 0.5 * (top - p[1]) * (1.0 + cos(M_PI * pow(pos, p[5]) / pow(length, p[5])));
}

/* timm PolyLRScheduler: low + (peak * decay**i - low) * (1 - pos**k / length**k) ** power */
static inline double fl_timm_poly(double u, const double *p, const double *data)
{
    (void)data;
    double length, pos;
    const double i = fl_timm_cycle(u + p[7], p[2], p[3], &length, &pos);
    const double top = p[0] * pow(p[4], i);
    return p[1] + (top - p[1]) * pow(1.0 - pow(pos, p[5]) / pow(length, p[5]), p[6]);
}

/* timm TanhLRScheduler: low + 0.5 * (peak * decay**i - low) * (1 - tanh(lb * (1 - r) + ub * r)), r = pos / length */
static inline double fl_timm_tanh(double u, const double *p, const double *data)
{
    (void)data;
    double length, pos;
    const double i = fl_timm_cycle(u + p[7], p[2], p[3], &length, &pos);
    const double top = p[0] * pow(p[4], i);
    const double r = pos / length;
    return p[1] + 0.5 * (top - p[1]) * (1.0 - tanh(p[5] * (1.0 - r) + p[6] * r));
}

/* timm WSDLRScheduler after warmup: stable part max(peak * (1 + u / timescale) ** -stable_power, low)
 * (1 where timescale == 0), then low + (stable - low) * d(min((u - decay_begin) / decay_steps, 1)) */
static inline double fl_timm_wsd(double u, const double *p, const double *data)
{
    (void)data;
    const double scale = p[2] == 0.0 ? 1.0 : pow(1.0 + u / p[2], -p[3]);
    double stable = p[0] * scale;
    if (p[1] > stable) stable = p[1];
    const double into = u - p[4];
    if (into <= 0.0) return stable;
    double frac = into / p[5];
    if (1.0 < frac) frac = 1.0;
    double d;
    const double fn = p[6], r = p[7];
    if (fn == 0.0) d = 1.0 - frac;
    else if (fn == 1.0) d = 1.0 - sqrt(frac);
    else if (fn == 2.0) d = 0.5 * (1.0 + cos(M_PI * frac));
    else if (fn == 3.0) d = 1.0 - pow(frac, r);
    else d = (pow(r, frac) - r) / (1.0 - r);
    return p[1] + (stable - p[1]) * d;
}

/* transformers' cosine decay: end + (start - end) * (1 + cos((pi * turns) * (u / steps))) / 2,
 * the angle in transformers' order (pi * 2c * progress), so that it stays exact far past
 * the end; steps is the whole span of the turns */
static inline double fl_hf_cosine(double u, const double *p, const double *data)
{
    (void)data;
    return fl_cos_blend_turns(p[1], p[0] - p[1], p[3], u / p[2]);
}

/* transformers' hard restarts: end + (peak - end) * (1 + cos(pi * frac(cycles * (u / period)))) / 2,
 * the position in the cycle as transformers computes it (restarts need not fall on whole steps) */
static inline double fl_hf_hard_restarts(double u, const double *p, const double *data)
{
    (void)data;
    const double x = p[3] * (u / p[2]);
    const double phase = x - floor(x); /* exact */
    return fl_cos_blend_turns(p[1], p[0] - p[1], 1.0, phase); /* pi * 1.0: exact */
}

/* Megatron-LM / torchtitan decay: scale * (low + coeff(r) * delta), r = ((u + offset) - begin) / span,
 * coeff by shape (_kinds.DECAY_COEFF_SHAPES): 1 - r, 0.5 * (cos(pi r) + 1), 2 * 0.5**r - 1, 1 - sqrt(r), r,
 * 0.5 * (cos(pi (1 - r)) + 1) */
static inline double fl_decay_coeff(double u, const double *p, const double *data)
{
    (void)data;
    const double r = ((u + p[3]) - p[4]) / p[5], shape = p[6];
    double coeff;
    if (shape == 0.0) coeff = 1.0 - r;
    else if (shape == 1.0) coeff = 0.5 * (cos(M_PI * r) + 1.0);
    else if (shape == 2.0) coeff = 2.0 * pow(0.5, r) - 1.0;
    else if (shape == 3.0) coeff = 1.0 - sqrt(r);
    else if (shape == 4.0) coeff = r;
    else coeff = 0.5 * (cos(M_PI * (1.0 - r)) + 1.0);
    return p[0] * (p[1] + coeff * p[2]);
}

/* Megatron-LM inverse-square-root: max(low, peak * root / (u + offset) ** 0.5), with pow as Python's ** */
static inline double fl_megatron_inv_sqrt(double u, const double *p, const double *data)
{
    (void)data;
    const double v = p[0] * p[1] / pow(u + p[3], 0.5);
    return v > p[2] ? v : p[2];
}

/* OLMo-core's formulas of the count c = u + offset, by shape (_kinds.OLMO_SHAPES), with d = high - low:
 * up low + d * c / span; cosine low + d * (1 + cos(pi c / span)) / 2; tail low + d * (end - c) / span;
 * down high - d * (c / span); inv_sqrt low + d * sqrt(span / c);
 * half_cos low + d * (1 + cos(pi (c + span) / (2 span))) / 2; power high * (c / span) ** power;
 * exponential low * high ** (c / span) */
static inline double fl_olmo(double u, const double *p, const double *data)
{
    (void)data;
    const double shape = p[0], low = p[1], high = p[2], span = p[3], c = u + p[6];
    if (shape == 0.0) return low + (high - low) * c / span;
    if (shape == 1.0) return low + (high - low) * (1.0 + cos(M_PI * c / span)) / 2.0;
    if (shape == 2.0) return low + (high - low) * (p[4] - c) / span;
    if (shape == 3.0) return high - (high - low) * (c / span);
    if (shape == 4.0) return low + (high - low) * sqrt(span / c);
    if (shape == 5.0) return low + (high - low) * (1.0 + cos(M_PI * (c + span) / (2.0 * span))) / 2.0;
    if (shape == 6.0) return high * pow(c / span, p[5]);
    return low * pow(high, c / span);
}

#define FL_FOR_EACH_PEER_KIND(X)                  \
    X(FL_ANNEAL, anneal)                          \
    X(FL_TIMM_COSINE, timm_cosine)                \
    X(FL_TIMM_POLY, timm_poly)                    \
    X(FL_TIMM_TANH, timm_tanh)                    \
    X(FL_TIMM_WSD, timm_wsd)                      \
    X(FL_HF_COSINE, hf_cosine)                    \
    X(FL_HF_HARD_RESTARTS, hf_hard_restarts)      \
    X(FL_DECAY_COEFF, decay_coeff)                \
    X(FL_MEGATRON_INV_SQRT, megatron_inv_sqrt)    \
    X(FL_OLMO, olmo)

#endif /* FASTLR_FORMULAS_PEER_H */
