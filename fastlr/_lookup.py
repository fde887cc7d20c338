"""Lookup tables for the traced adapters (optax, Keras): which steps, and what lies past them.

A traced step (a jax or TensorFlow integer) cannot reach the engine, so those
adapters index a table of the schedule's first values. Past the table they
hold the last value only where the schedule really is constant, judged from
its last segment: a ``CONSTANT`` segment is constant from its start, a
``TABLE`` segment from its last entry; any other kind keeps changing (or is
not known to stop), so its table needs an explicit length and yields NaN past
it: a run longer than the table fails visibly rather than training on a
wrong learning rate.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import _validate
from ._kinds import Kind
from ._spec import Schedule


def constant_from(schedule: Schedule) -> int | None:
    """First step from which ``schedule`` is constant, or None if its last phase never stops."""
    program = schedule.program
    kind, start = Kind(int(program.kinds[-1])), int(program.starts[-1])
    if kind == Kind.CONSTANT:
        return start
    if kind == Kind.TABLE:
        return start + max(int(program.params[-1, 1]) - 1, 0)
    return None


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
