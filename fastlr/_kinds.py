"""The engine vocabulary: primitive formula kinds and their parameter layouts.

A schedule is lowered to segments; each segment names one kind and up to
``NPARAMS`` float64 parameters. Both engines implement exactly these kinds
(``_formulas.h`` for the compiled engine, ``_formulas_py.py`` for the NumPy
engine); ``tests/test_kinds.py`` checks that the three tables agree.

Every formula is a function of the *local* step ``u`` (the global step minus
the segment start), so segments can be shifted freely by combinators.
"""

from __future__ import annotations

from enum import IntEnum

NPARAMS = 8
"""Width of the parameter row of every segment (unused slots are 0.0)."""


class Kind(IntEnum):
    """Primitive formulas known to both engines (values are the C enum values)."""

    CONSTANT = 0
    LINEAR = 1
    POLYNOMIAL = 2
    COSINE = 3
    EXPONENTIAL = 4
    INVERSE_TIME = 5
    INVERSE_POWER = 6
    NOAM = 7
    COSINE_RESTARTS = 8
    CYCLIC = 9
    ONE_MINUS_SQRT = 10
    TABLE = 11
    # peer-specific formulas (compat modules), values 20-39
    ANNEAL = 20
    TIMM_COSINE = 21
    TIMM_POLY = 22
    TIMM_TANH = 23
    TIMM_WSD = 24
    DECAY_COEFF = 25
    MEGATRON_INV_SQRT = 26
    OLMO = 27
    # float32 replays of the peers that compute in float32 (_formulas_f32.h)
    F32_TF_DECAY = 40
    F32_TF_POLYNOMIAL = 41
    F32_TF_COSINE = 42
    F32_TF_COSINE_RESTARTS = 43
    F32_OPTAX_POLYNOMIAL = 44
    F32_OPTAX_EXPONENTIAL = 45
    F32_OPTAX_COSINE = 46
    F32_OPTAX_INTERPOLATE = 47


PARAMS: dict[Kind, tuple[str, ...]] = {
    Kind.CONSTANT: ("value",),
    Kind.LINEAR: ("start", "end", "steps"),
    Kind.POLYNOMIAL: ("start", "end", "steps", "power"),
    Kind.COSINE: ("start", "end", "steps", "turns"),
    Kind.EXPONENTIAL: ("start", "rate", "steps", "staircase", "low", "high"),
    Kind.INVERSE_TIME: ("start", "rate", "steps", "staircase"),
    Kind.INVERSE_POWER: ("peak", "offset", "power"),
    Kind.NOAM: ("scale", "warmup_factor"),
    Kind.COSINE_RESTARTS: ("peak", "end", "period", "period_mult", "decay", "cycles"),
    Kind.CYCLIC: ("low", "high", "total_size", "step_ratio", "mode", "gamma"),
    Kind.ONE_MINUS_SQRT: ("start", "end", "steps"),
    Kind.TABLE: ("offset", "count"),
    # peer-specific formulas (compat modules)
    Kind.ANNEAL: ("start", "end", "offset", "begin", "stop", "linear", "turns"),
    Kind.TIMM_COSINE: ("peak", "low", "period", "mult", "decay", "k", "offset"),
    Kind.TIMM_POLY: ("peak", "low", "period", "mult", "decay", "k", "power", "offset"),
    Kind.TIMM_TANH: ("peak", "low", "period", "mult", "decay", "lb", "ub", "offset"),
    Kind.TIMM_WSD: ("peak", "low", "timescale", "stable_power", "decay_begin", "decay_steps",
                    "decay_fn", "decay_param"),
    Kind.DECAY_COEFF: ("scale", "low", "delta", "offset", "begin", "span", "shape"),
    Kind.MEGATRON_INV_SQRT: ("peak", "root", "low", "offset"),
    Kind.OLMO: ("shape", "low", "high", "span", "end", "power", "offset"),
    # float32 kinds: every parameter is a float32 value or a flag; "begin" is
    # the count at local step 0 of an optax kind (u - begin is the peer's count)
    Kind.F32_TF_DECAY: ("lr", "steps", "rate", "staircase", "inverse"),
    Kind.F32_TF_POLYNOMIAL: ("lr", "end", "power", "steps", "cycle"),
    Kind.F32_TF_COSINE: ("lr", "steps", "one_minus_alpha", "alpha", "target", "warmup_steps",
                         "warmup"),
    Kind.F32_TF_COSINE_RESTARTS: ("lr", "first_steps", "alpha", "t_mul", "m_mul"),
    Kind.F32_OPTAX_POLYNOMIAL: ("diff", "end", "power", "steps", "begin", "int_power"),
    Kind.F32_OPTAX_EXPONENTIAL: ("init", "rate", "steps", "begin", "staircase", "low", "high"),
    Kind.F32_OPTAX_COSINE: ("init", "steps", "one_minus_alpha", "alpha", "exponent",
                            "int_exponent", "begin"),
    Kind.F32_OPTAX_INTERPOLATE: ("start", "end", "size", "cosine", "begin"),
}
"""Ordered parameter names per kind: the row layout both engines read."""

# CYCLIC "mode" codes (torch CyclicLR's three policies)
CYCLIC_MODES = ("triangular", "triangular2", "exp_range")

# TIMM_WSD "decay_fn" codes (timm WSDLRScheduler's cooldown shapes)
WSD_DECAY_FNS = ("linear", "1-sqrt", "cosine", "power", "exp")

# DECAY_COEFF "shape" codes (Megatron-LM's and torchtitan's coefficients of the progress r)
DECAY_COEFF_SHAPES = ("linear", "cosine", "exponential", "minus_sqrt", "ramp", "cosine_rise")

# OLMO "shape" codes (OLMo-core's formulas of the local count c = u + offset)
OLMO_SHAPES = ("up", "cosine", "tail", "down", "inv_sqrt", "half_cos", "power", "exponential")

assert set(PARAMS) == set(Kind) and all(len(p) <= NPARAMS for p in PARAMS.values())
