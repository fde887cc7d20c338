"""The kind registry: one row per formula kind, read by the engines' mirrors and the tests.

A schedule is lowered to segments; each segment names one kind and up to
``NPARAMS`` float64 parameters. Every formula is a function of the *local*
step ``u`` (the global step minus the segment start), so segments can be
shifted freely by combinators.

Kinds come in three tiers:

* ``native``: the primitives of the catalog (``fastlr.schedules``), in
  ``_formulas.h`` / ``_formulas_py.py``;
* ``peer``: formulas that only a peer library computes this way (owned by
  ``fastlr.compat``), in ``_formulas_peer.h`` / ``_formulas_peer_py.py``;
* ``float32``: replays of the peers that compute in float32 (Keras, optax), in
  ``_formulas_f32.h`` / ``_formulas_f32_py.py``.

The C side is a hand-kept mirror of this table (the ``fl_kind`` enums and the
X-lists of each header); ``tests/test_kinds.py`` checks that every engine
implements exactly these kinds, with these tiers and flags. docs/internals.md
gives the recipe to add a kind.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import NamedTuple

NPARAMS = 8
"""Width of the parameter row of every segment (unused slots are 0.0)."""


class Kind(IntEnum):
    """Formula kinds known to both engines (values are the C enum values)."""

    # native primitives (_formulas.h), values 0-19
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
    # peer formulas (_formulas_peer.h), values 20-39
    ANNEAL = 20
    TIMM_COSINE = 21
    TIMM_POLY = 22
    TIMM_TANH = 23
    TIMM_WSD = 24
    HF_COSINE = 25
    HF_HARD_RESTARTS = 26
    DECAY_COEFF = 27
    MEGATRON_INV_SQRT = 28
    OLMO = 29
    # float32 replays of the peers that compute in float32 (_formulas_f32.h), values 40-59
    F32_TF_DECAY = 40
    F32_TF_POLYNOMIAL = 41
    F32_TF_COSINE = 42
    F32_TF_COSINE_RESTARTS = 43
    F32_OPTAX_POLYNOMIAL = 44
    F32_OPTAX_EXPONENTIAL = 45
    F32_OPTAX_COSINE = 46
    F32_OPTAX_INTERPOLATE = 47


class Tier(str, Enum):
    """Who owns a kind's formula (and in which pair of formula files it lives)."""

    NATIVE = "native"
    PEER = "peer"
    FLOAT32 = "float32"


class KindInfo(NamedTuple):
    """The facts about one kind that code and tests read."""

    params: tuple[str, ...]
    """Ordered parameter names: the row layout both engines read."""
    tier: Tier
    fast_ulps: int
    """Bound of a default (vector) float64 fill against the exact one, in ulps of the
    schedule's peak (the largest finite ``|value|``); 0: the same bits."""
    scalar_only: bool = False
    """Fills always take the exact (scalar libm) path."""


def _native(params: str, fast_ulps: int) -> KindInfo:
    return KindInfo(tuple(params.split()), Tier.NATIVE, fast_ulps)


def _peer(params: str, fast_ulps: int) -> KindInfo:
    return KindInfo(tuple(params.split()), Tier.PEER, fast_ulps)


def _float32(params: str) -> KindInfo:
    # every parameter is a float32 value or a flag; "begin" is the count at local
    # step 0 of an optax kind (u - begin is the peer's count). A vector cos/pow
    # could move a float32 rounding by an ulp, so these fill exactly.
    return KindInfo(tuple(params.split()), Tier.FLOAT32, 0, scalar_only=True)


REGISTRY: dict[Kind, KindInfo] = {
    # bounds: 0 for kinds built from + - * / and sqrt only; pow/exp/log kinds 2;
    # cos kinds 4 (glibc's vector cos is within 3 ulp of scalar cos)
    Kind.CONSTANT: _native("value", 0),
    Kind.LINEAR: _native("start end steps", 0),
    Kind.POLYNOMIAL: _native("start end steps power", 2),
    Kind.COSINE: _native("start end steps", 4),
    Kind.EXPONENTIAL: _native("start rate steps staircase low high", 2),
    Kind.INVERSE_TIME: _native("start rate steps staircase", 0),
    Kind.INVERSE_POWER: _native("peak offset power", 2),
    Kind.NOAM: _native("scale warmup_factor", 4),
    Kind.COSINE_RESTARTS: _native("peak end period period_mult decay", 4),
    Kind.CYCLIC: _native("low high total_size step_ratio mode gamma", 2),
    Kind.ONE_MINUS_SQRT: _native("start end steps", 0),
    Kind.TABLE: _native("offset count", 0),
    Kind.ANNEAL: _peer("start end offset begin stop linear turns", 4),
    Kind.TIMM_COSINE: _peer("peak low period mult decay k offset", 4),
    # timm's 1 - (pos/len)**k cancels before a fractional power amplifies it
    # (the exact path has the same conditioning): measured 12
    Kind.TIMM_POLY: _peer("peak low period mult decay k power offset", 16),
    Kind.TIMM_TANH: _peer("peak low period mult decay lb ub offset", 4),
    Kind.TIMM_WSD: _peer("peak low timescale stable_power decay_begin decay_steps decay_fn "
                         "decay_param", 4),
    Kind.HF_COSINE: _peer("start end steps turns", 4),
    Kind.HF_HARD_RESTARTS: _peer("peak end period cycles", 4),
    # Megatron-LM / torchtitan / OLMo-core: measured <= 2 on their golden cases
    Kind.DECAY_COEFF: _peer("scale low delta offset begin span shape", 4),
    Kind.MEGATRON_INV_SQRT: _peer("peak root low offset", 2),
    Kind.OLMO: _peer("shape low high span end power offset", 4),
    Kind.F32_TF_DECAY: _float32("lr steps rate staircase inverse"),
    Kind.F32_TF_POLYNOMIAL: _float32("lr end power steps cycle"),
    Kind.F32_TF_COSINE: _float32("lr steps one_minus_alpha alpha target warmup_steps warmup"),
    Kind.F32_TF_COSINE_RESTARTS: _float32("lr first_steps alpha t_mul m_mul"),
    Kind.F32_OPTAX_POLYNOMIAL: _float32("diff end power steps begin int_power"),
    Kind.F32_OPTAX_EXPONENTIAL: _float32("init rate steps begin staircase low high"),
    Kind.F32_OPTAX_COSINE: _float32("init steps one_minus_alpha alpha exponent int_exponent begin"),
    Kind.F32_OPTAX_INTERPOLATE: _float32("start end size cosine begin"),
}
"""Kind -> its facts. Adding a kind starts here (docs/internals.md)."""

PARAMS: dict[Kind, tuple[str, ...]] = {kind: info.params for kind, info in REGISTRY.items()}
"""Ordered parameter names per kind: the row layout both engines read."""

F32_FAST_ULPS = 2
"""Bound of a default float32 fill against the exact one, in float32 ulps of the peak
(every kind)."""


def kinds_of(tier: Tier) -> tuple[Kind, ...]:
    """The kinds of one tier, in value order."""
    return tuple(kind for kind, info in REGISTRY.items() if info.tier is tier)


# CYCLIC "mode" codes (torch CyclicLR's three policies)
CYCLIC_MODES = ("triangular", "triangular2", "exp_range")

# TIMM_WSD "decay_fn" codes (timm WSDLRScheduler's cooldown shapes)
WSD_DECAY_FNS = ("linear", "1-sqrt", "cosine", "power", "exp")

# DECAY_COEFF "shape" codes (Megatron-LM's and torchtitan's coefficients of the progress r)
DECAY_COEFF_SHAPES = ("linear", "cosine", "exponential", "minus_sqrt", "ramp", "cosine_rise")

# OLMO "shape" codes (OLMo-core's formulas of the local count c = u + offset)
OLMO_SHAPES = ("up", "cosine", "tail", "down", "inv_sqrt", "half_cos", "power", "exponential")

assert set(REGISTRY) == set(Kind) and all(len(i.params) <= NPARAMS for i in REGISTRY.values())
