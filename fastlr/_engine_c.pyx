"""Compiled engine: evaluates a lowered schedule program with C kernels.

Layering: factories (schedules.py, compat/) build segments; _spec.py lowers
them to a read-only program (kinds, starts, params, data); this engine only
finds the segment of a step and calls the formula of its kind from
_formulas.h. Validation happens in _validate.py before any memory is touched.
The NumPy twin of this module is _engine_py.py.
"""

from libc.stdint cimport int32_t, int64_t
from cpython.long cimport PyLong_AsLongLongAndOverflow
from cython cimport floating

import numpy as np

from . import _validate

cdef extern from "_formulas.h" nogil:
    int FL_NPARAMS
    int fl_kind_known(int kind) noexcept
    double fl_eval(int kind, double u, const double *p, const double *data) noexcept
    void fl_fill_f64(int kind, double *out, int64_t n, int64_t u0,
                     const double *p, const double *data) noexcept
    void fl_fill_f32(int kind, float *out, int64_t n, int64_t u0,
                     const double *p, const double *data) noexcept

NPARAMS = FL_NPARAMS


def known_kinds():
    """Kind values the compiled formulas implement (tests compare them with _kinds.Kind)."""
    return tuple(k for k in range(256) if fl_kind_known(k))


cdef inline void _fill(Engine engine, floating *out, int64_t n, int64_t start) noexcept nogil:
    """Segment-wise fill: one kind dispatch per segment, then a tight loop."""
    cdef Py_ssize_t i = engine._segment(start)
    cdef int64_t done = 0, count, room
    cdef const double *p
    while done < n:
        count = n - done
        if i + 1 < engine._count:
            room = engine._starts[i + 1] - (start + done)
            if room < count:
                count = room
        p = engine._params + i * FL_NPARAMS
        if floating is double:
            fl_fill_f64(engine._kinds[i], out + done, count, start + done - engine._starts[i],
                        p, engine._data)
        else:
            fl_fill_f32(engine._kinds[i], out + done, count, start + done - engine._starts[i],
                        p, engine._data)
        done += count
        i += 1


cdef class Engine:
    """A schedule program evaluated by the compiled engine (immutable)."""

    def __cinit__(self, program, spec=None, *args, **kwargs):
        cdef const int32_t[::1] kinds = program.kinds
        cdef const int64_t[::1] starts = program.starts
        cdef const double[:, ::1] params = program.params
        cdef const double[::1] data = program.data
        if kinds.shape[0] == 0 or starts.shape[0] != kinds.shape[0] \
                or params.shape[0] != kinds.shape[0] or params.shape[1] != FL_NPARAMS:
            raise ValueError("program arrays must be non-empty and of matching lengths")
        self.program = program
        self.spec = spec
        self._count = kinds.shape[0]
        self._kinds = &kinds[0]
        self._starts = &starts[0]
        self._params = &params[0, 0]
        self._data = &data[0] if data.shape[0] else NULL
        self._last = 0

    cdef Py_ssize_t _segment(self, int64_t step) noexcept nogil:
        """Index of the segment holding ``step`` (cached last hit, then bisection)."""
        cdef Py_ssize_t i = self._last
        cdef Py_ssize_t lo, hi, mid
        if self._starts[i] <= step and (i + 1 == self._count or step < self._starts[i + 1]):
            return i
        lo = 0
        hi = self._count - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._starts[mid] <= step:
                lo = mid
            else:
                hi = mid - 1
        self._last = lo
        return lo

    cdef double value_at(self, int64_t step) noexcept nogil:
        """Value at a validated step (no checks; nogil)."""
        cdef Py_ssize_t i = self._segment(step)
        return fl_eval(self._kinds[i], <double>(step - self._starts[i]),
                       self._params + i * FL_NPARAMS, self._data)

    cdef void fill_f64(self, double *out, int64_t n, int64_t start) noexcept nogil:
        """out[j] = value_at(start + j) for j < n (no checks; nogil)."""
        _fill(self, out, n, start)

    cdef void fill_f32(self, float *out, int64_t n, int64_t start) noexcept nogil:
        """Same as fill_f64, rounding each double once to float32."""
        _fill(self, out, n, start)

    def __call__(self, step):
        """Value at integer ``step`` (a float)."""
        cdef int overflow = 0
        cdef long long t = -1
        if type(step) is int:
            t = PyLong_AsLongLongAndOverflow(step, &overflow)
        if t < 0 or overflow:
            t = _validate.step(step)
        return self.value_at(t)

    def at(self, steps):
        """Values at an integer array-like of steps, as a new float64 array of the same shape."""
        cdef const int64_t[::1] flat
        cdef double[::1] res
        cdef Py_ssize_t j
        arr = _validate.steps_array(steps)
        result = np.empty(arr.shape, dtype=np.float64)
        flat = arr.reshape(-1)
        res = result.reshape(-1)
        with nogil:
            for j in range(flat.shape[0]):
                res[j] = self.value_at(flat[j])
        return result

    def fill(self, out, start=0):
        """Write the values at steps start, start+1, ... into ``out``; return ``out``."""
        cdef int64_t first = _validate.fill_range(out, start)
        cdef double[::1] out64
        cdef float[::1] out32
        cdef int64_t n = out.shape[0]
        if n == 0:
            return out
        if out.dtype == np.float64:
            out64 = out
            with nogil:
                self.fill_f64(&out64[0], n, first)
        else:
            out32 = out
            with nogil:
                self.fill_f32(&out32[0], n, first)
        return out

    def table(self, n, dtype=np.float64):
        """Values at steps 0 .. n-1 as a new array of ``dtype`` (float64 or float32)."""
        count, kind = _validate.table_args(n, dtype)
        return self.fill(np.empty(count, dtype=kind))
