"""Lookup tables for the traced adapters (optax, Keras): which steps, and what lies past them.

A traced step (a jax or TensorFlow integer) cannot reach the engine, so those
adapters index a table of the schedule's first values. Past the table they
hold the last value only where the schedule really is constant, judged from
its last segment by :data:`FLAT_FROM`: a ``CONSTANT`` segment is constant from
its start, a ``TABLE`` segment from its last entry, and the float32 peer kinds
that clamp their step (Keras ``CosineDecay``/``PolynomialDecay``, optax
``cosine_decay_schedule``/``polynomial_schedule``) from the step their
parameter row names. Any other kind keeps changing (or is not known to stop),
so its table needs an explicit length and yields NaN past it: a run longer
than the table fails visibly rather than training on a wrong learning rate.
The command line's default ranges (``fastlr show``, ``table``, ``plot``) read
the same fact.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, NamedTuple

import numpy as np

from . import _validate
from ._kinds import PARAMS, Kind
from ._spec import Schedule


EXACT_STEPS = 2.0**53
"""Local steps below this are exact float64 values in every formula."""


def _f32_tf_cosine(p: Mapping[str, float]) -> float:
    # the step is clamped to decay_steps, or with warmup to float32(decay_steps + warmup_steps)
    return float(np.float32(p["steps"]) + np.float32(p["warmup_steps"])) if p["warmup"] else p["steps"]


FLAT_FROM: dict[Kind, Callable[[Mapping[str, float]], float | None]] = {
    Kind.CONSTANT: lambda p: 0.0,
    Kind.TABLE: lambda p: max(p["count"] - 1.0, 0.0),
    Kind.F32_TF_POLYNOMIAL: lambda p: None if p["cycle"] else p["steps"],
    Kind.F32_TF_COSINE: _f32_tf_cosine,
    Kind.F32_OPTAX_POLYNOMIAL: lambda p: p["begin"] + p["steps"],
    Kind.F32_OPTAX_COSINE: lambda p: p["begin"] + p["steps"],
}
"""Per kind, the local step from which a segment is constant, read from its parameter row
(named as in ``_kinds.PARAMS``); kinds not listed, or None, are not known to stop.

A value may be late (the segment already constant a little earlier) but never
early: the callers hold the value at that step for every later step.
"""


def constant_from(schedule: Schedule) -> int | None:
    r"""First step from which ``schedule`` is constant, or None if its last phase never stops.

    .. math:: t^* = t_0 + \lceil u^*(\mathrm{row}) \rceil

    where :math:`t_0` is the start of the last segment and :math:`u^*` its
    kind's :data:`FLAT_FROM` rule applied to its parameter row.
    """
    program = schedule.program
    kind, start = Kind(int(program.kinds[-1])), int(program.starts[-1])
    rule = FLAT_FROM.get(kind)
    if rule is None:
        return None
    local = rule(dict(zip(PARAMS[kind], program.params[-1].tolist())))
    if local is None or not local < EXACT_STEPS:  # beyond, float64 local steps are rounded
        return None
    step = start + max(math.ceil(local), 0)
    return step if step <= _validate.INT64_MAX else None


class Table(NamedTuple):
    """The values of steps ``0 .. len(values) - 1`` and whether the last one holds afterwards."""

    values: np.ndarray
    holds: bool

    @property
    def past(self) -> float:
        """Value for every step past the table: the last value, or NaN."""
        return float(self.values[-1]) if self.holds else float("nan")


def lookup_table(schedule: Any, num_steps: Any, dtype: Any) -> Table:
    """Table of ``schedule(0) .. schedule(n - 1)`` as ``dtype``, each value rounded once.

    ``n`` is ``num_steps`` or, by default, one past the start of the final
    constant phase; a schedule that never becomes constant needs ``num_steps``.
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a fastlr schedule, got {type(schedule).__name__}")
    kind = np.dtype(dtype)
    if kind not in (np.float32, np.float64):
        raise TypeError(f"dtype must be float32 or float64, got {kind}")
    flat_from = constant_from(schedule)
    if num_steps is None:
        if flat_from is None:
            last = Kind(int(schedule.program.kinds[-1])).name
            raise ValueError(
                f"num_steps is required for {schedule!r}: its last phase ({last}) never becomes "
                "constant, so no finite table covers every step; pass the number of training steps")
        count = flat_from + 1
    else:
        count = _validate.integer("num_steps", num_steps, 1)
    values = schedule.at(np.arange(count, dtype=np.int64)).astype(kind)
    values.flags.writeable = False
    return Table(values, flat_from is not None and flat_from <= count - 1)
