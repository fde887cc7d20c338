"""optax adapter: a fastlr schedule as a jit-safe optax schedule (``count -> lr``).

>>> import fastlr, fastlr.optax, optax
>>> lr = fastlr.optax.schedule(fastlr.warmup_cosine(1e-3, 100, 1_000))
>>> tx = optax.adamw(learning_rate=lr)        # or inject_hyperparams, chain, ...

Importing this module needs jax (``pip install 'fastlr-schedules[jax]'``); optax itself
is only needed by the optimizers you pass the schedule to.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._frameworks import require
from ._spec import Schedule
from ._lookup import lookup_table

jax = require("jax", "optax", "jax", "JAX")
import jax.numpy as jnp  # noqa: E402
from jax import Array  # noqa: E402
from jax.typing import ArrayLike  # noqa: E402

__all__ = ["schedule", "TableSchedule"]


class TableSchedule:
    """An optax schedule reading a table of a fastlr schedule's values (see :func:`schedule`)."""

    __slots__ = ("source", "table", "holds", "_last", "__weakref__")

    def __init__(self, source: Schedule, values: npt.NDArray[np.floating[Any]], holds: bool) -> None:
        self.source = source
        self.table = jnp.asarray(values)
        self.holds = holds
        self._last = len(values) - 1

    def __call__(self, count: ArrayLike) -> Array:
        """The learning rate for optimizer update ``count`` (0-based; a jax or Python integer)."""
        count = jnp.asarray(count)
        value = self.table[jnp.clip(count, 0, self._last)]
        if self.holds:
            return value
        return jnp.where(count <= self._last, value, jnp.asarray(jnp.nan, dtype=self.table.dtype))

    def __repr__(self) -> str:
        return f"fastlr.optax.schedule({self.source!r}, num_steps={self._last + 1})"


def schedule(s: Schedule, num_steps: int | None = None, dtype: npt.DTypeLike = jnp.float32) -> TableSchedule:
    r"""An optax-compatible schedule ``count -> lr`` with the values of ``s``, for ``jax.jit``.

    .. math:: \mathrm{lr}(c) = \mathrm{round}_{\mathrm{dtype}}(s(c)) \quad (0 \le c < N),
              \qquad \mathrm{lr}(c) = \mathrm{lr}(N - 1) \text{ or NaN} \quad (c \ge N)

    The values are a table of ``s(0) .. s(N - 1)`` computed once by fastlr
    (the scalar path, each rounded once to ``dtype``) and indexed with the
    traced ``count``, so the schedule works under ``jax.jit``, inside
    ``optax.inject_hyperparams``, ``optax.chain`` and
    ``optax.scale_by_learning_rate``. Past the table (``c >= N``) it returns
    the last value where ``s`` really is constant from there on (its last
    phase is constant and starts before ``N``), and NaN otherwise, so a run
    longer than the table fails visibly.

    Parameters
    ----------
    s : Schedule
        The fastlr schedule.
    num_steps : int, optional
        Table length ``N`` (>= 1): the number of optimizer updates to cover.
        Default: one past the start of the final constant phase of ``s``
        (e.g. ``total_steps + 1`` for ``warmup_cosine``). Required, with a
        ``ValueError`` otherwise, when ``s`` never becomes constant
        (``noam``, ``exponential``, ``cosine_restarts``, ``cyclic``, ...).
    dtype : float32 (default) or float64
        Table dtype; float64 needs ``jax_enable_x64``.

    Returns
    -------
    TableSchedule
        A callable ``count -> lr``; ``.table`` holds the values (``N * 4`` bytes
        in float32, a constant of the compiled program).
    """
    table = lookup_table(s, num_steps, dtype)
    if table.values.dtype == "float64" and not jax.config.jax_enable_x64:
        raise ValueError("dtype float64 needs 64-bit jax: set jax.config.update('jax_enable_x64', True) "
                         "(or JAX_ENABLE_X64=1) first, or use float32")
    return TableSchedule(s, table.values, table.holds)
