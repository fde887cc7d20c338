"""Pure-Python engine: the NumPy twin of ``_engine_c.pyx``.

Same class, same methods, same validation, same numbers: it evaluates the
same program with the formulas of ``_formulas_py.py`` (whose operation order
follows ``_formulas.h``). It is what runs when the extension is missing or
``FASTLR_BACKEND=python``.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import numpy as np

from . import _validate
from ._formulas_py import FORMULAS, TIERS
from ._kinds import NPARAMS, Kind


def kind_facts() -> dict[int, tuple[str, bool]]:
    """{kind value: (tier, scalar_only)} as the NumPy formula tables define them (tests
    compare them with _kinds.REGISTRY; this engine's fills are all exact)."""
    return {int(kind): (tier, tier == "float32") for tier, table in TIERS.items() for kind in table}


_CHUNK = 1 << 18  # steps evaluated per NumPy call in fills, to bound temporaries


class Engine:
    """A schedule program evaluated by the NumPy engine (immutable)."""

    __slots__ = ("_spec", "_program", "_starts", "_rows", "_formulas", "_warps")

    def __init__(self, program: Any, spec: Any = None, *args: Any, **kwargs: Any) -> None:
        kinds, starts, params = program.kinds, program.starts, program.params
        if len(kinds) == 0 or len(starts) != len(kinds) or params.shape != (len(kinds), NPARAMS):
            raise ValueError("program arrays must be non-empty and of matching lengths")
        set_slot = object.__setattr__
        set_slot(self, "_spec", spec)
        set_slot(self, "_program", program)
        set_slot(self, "_starts", [int(s) for s in starts])
        set_slot(self, "_rows", [tuple(float(x) for x in row) for row in params])
        set_slot(self, "_formulas", [FORMULAS[Kind(int(k))] for k in kinds])
        set_slot(self, "_warps", [None if tuple(w) == (1.0, 0.0) else (float(w[0]), float(w[1]))
                                  for w in program.warps.tolist()])

    @staticmethod
    def adopt(cls: type) -> None:
        """Nothing to prepare in a subclass (the compiled Engine wires its fast call here)."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} objects are immutable")

    @property
    def spec(self) -> Any:
        return self._spec

    @property
    def program(self) -> Any:
        return self._program

    def _values(self, segment: int, local_steps: np.ndarray) -> np.ndarray:
        u = local_steps.astype(np.float64)
        warp = self._warps[segment]
        if warp is not None:
            u = u * warp[0] + warp[1]
        with np.errstate(all="ignore"):
            return self._formulas[segment](u, self._rows[segment], self._program.data)

    def __call__(self, step: Any) -> float:
        """Value at integer ``step`` (a float)."""
        t = _validate.step(step)
        i = bisect_right(self._starts, t) - 1
        return float(self._values(i, np.array([t - self._starts[i]], dtype=np.int64))[0])

    def at(self, steps: Any) -> np.ndarray:
        """Values at an integer array-like of steps, as a new float64 array of the same shape."""
        arr = _validate.steps_array(steps)
        flat = arr.reshape(-1)
        result = np.empty(flat.shape, dtype=np.float64)
        segments = np.searchsorted(np.array(self._starts, dtype=np.int64), flat, side="right") - 1
        for i in np.unique(segments).tolist():
            where = segments == i
            result[where] = self._values(i, flat[where] - self._starts[i])
        return result.reshape(arr.shape)

    def fill(self, out: np.ndarray, start: Any = 0, *, exact: bool = False,
             threads: int | None = None) -> np.ndarray:
        """Write the values at steps start, start+1, ... into ``out``; return ``out``.

        Same signature as the compiled engine; here every fill is exact (the
        formulas evaluated as in ``s(t)``) and runs on the calling thread.
        """
        first = _validate.fill_range(out, start)
        _validate.boolean("exact", exact)
        if threads is not None:
            _validate.integer("threads", threads, 1)
        n = out.shape[0]
        i = bisect_right(self._starts, first) - 1
        done = 0
        while done < n:
            end = n if i + 1 == len(self._starts) else min(n, self._starts[i + 1] - first)
            for lo in range(done, end, _CHUNK):
                hi = min(end, lo + _CHUNK)
                local = np.arange(first + lo - self._starts[i], first + hi - self._starts[i],
                                  dtype=np.int64)
                with np.errstate(over="ignore"):  # float32 out: beyond its range is inf, as in C
                    out[lo:hi] = self._values(i, local)
            done = end
            i += 1
        return out

    def table(self, n: Any, dtype: Any = np.float64, *, start: Any = 0, exact: bool = False,
              threads: int | None = None) -> np.ndarray:
        """Values at steps start .. start+n-1 as a new array of ``dtype`` (float64 or float32)."""
        count, kind, first = _validate.table_args(n, dtype, start)
        return self.fill(np.empty(count, dtype=kind), first, exact=exact, threads=threads)
