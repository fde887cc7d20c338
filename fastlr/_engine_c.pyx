"""Compiled engine: evaluates a lowered schedule program with C kernels.

Layering: factories (schedules.py, compat/) build segments; _spec.py lowers
them to a read-only program (kinds, starts, params, data); this engine only
finds the segment of a step and calls the formula of its kind from
_formulas.h. Validation happens in _validate.py before any memory is touched.
The NumPy twin of this module is _engine_py.py.

The formulas are compiled here with scalar libm (s(t), ``at`` and exact fills,
via _fill_exact.h) and again for the default fills: _fill_vec.c and one unit
per CPU level (_fill_isa.h; libmvec and the primitives of _vecmath.h), chosen
at import. cosine_restarts' s(t) and vector fills use a per-segment table
(_cycles.h), made here with the engine.
"""

from libc.stdint cimport int32_t, int64_t
from cpython.object cimport PyObject
from cpython.pycapsule cimport PyCapsule_New
from cython cimport floating
from libc.stdlib cimport calloc, free

import functools
import os

import numpy as np

from . import _threads, _validate

cdef extern from "_formulas.h" nogil:
    int FL_NPARAMS
    int fl_kind_tier(int kind) noexcept
    int fl_kind_scalar_only(int kind) noexcept
    double fl_eval(int kind, double u, const double *p, const double *data) noexcept

cdef extern from "_fill_exact.h" nogil:
    int64_t FL_EXACT_STEPS
    void fl_fill_exact_f64(int kind, double *out, int64_t n, int64_t u0,
                           const double *p, const double *data) noexcept
    void fl_fill_exact_f32(int kind, float *out, int64_t n, int64_t u0,
                           const double *p, const double *data) noexcept

cdef extern from "_cycles.h" nogil:
    ctypedef struct fl_cycles:
        pass
    fl_cycles *fl_cycles_new(const double *p) noexcept
    double fl_restarts_step(double u, const double *p, const double *data, fl_cycles *t) noexcept
    const double *fl_cycles_powers(const void *t) noexcept
    int FL_COSINE_RESTARTS

cdef extern from "_hint.h" nogil:
    Py_ssize_t fl_hint_load(const Py_ssize_t *hint) noexcept
    void fl_hint_store(Py_ssize_t *hint, Py_ssize_t value) noexcept

cdef extern from "_fill_vec.h" nogil:
    void fl_fill_vec_f64(int kind, double *out, int64_t n, int64_t u0,
                         const double *p, const double *data) noexcept
    void fl_fill_vec_f32(int kind, float *out, int64_t n, int64_t u0,
                         const double *p, const double *data) noexcept
    int fl_vector_math() noexcept
    int fl_simd_select(int cap) noexcept

cdef extern from *:
    """
    /* Calls to an object take CPython's vectorcall path when its type has
     * Py_TPFLAGS_HAVE_VECTORCALL and a tp_vectorcall_offset. Cython gives
     * Engine neither, and CPython 3.10 and 3.11 do not pass the flag on to
     * heap subclasses (the public Schedule type): Engine gets it at import,
     * each Schedule type when _spec.schedule_type makes it (Engine.adopt). */
    static void fl_enable_vectorcall(PyObject *type, Py_ssize_t offset)
    {
        PyTypeObject *tp = (PyTypeObject *)type;
        tp->tp_vectorcall_offset = offset;
        tp->tp_flags |= Py_TPFLAGS_HAVE_VECTORCALL;
        PyType_Modified(tp);
    }
    static int fl_calls_like(PyObject *type, PyObject *engine)
    {
        return ((PyTypeObject *)type)->tp_call == ((PyTypeObject *)engine)->tp_call;
    }
    /* A non-negative int that fits one machine word, read without a call:
     * 1 and *t set, or 0 (the caller then takes the general path). */
    static inline int fl_small_step(PyObject *o, long long *t)
    {
    #if PY_VERSION_HEX >= 0x030C0000
        if (!PyUnstable_Long_IsCompact((PyLongObject *)o)) return 0;
        *t = (long long)PyUnstable_Long_CompactValue((PyLongObject *)o);
        return *t >= 0;
    #else
        const Py_ssize_t size = Py_SIZE(o);
        if (size != 0 && size != 1) return 0;
        *t = size ? (long long)((PyLongObject *)o)->ob_digit[0] : 0;
        return 1;
    #endif
    }
    static int fl_uses_vectorcall(PyObject *type)
    {
        return (((PyTypeObject *)type)->tp_flags & Py_TPFLAGS_HAVE_VECTORCALL) != 0;
    }
    """
    void fl_enable_vectorcall(object type, Py_ssize_t offset)
    int fl_uses_vectorcall(object type)
    int fl_calls_like(object type, object engine)
    int fl_small_step(PyObject *o, long long *t)
    Py_ssize_t PyVectorcall_NARGS(size_t nargsf)
    bint PyLong_CheckExact(PyObject *o)
    long long PyLong_AsLongLongAndOverflow(PyObject *o, int *overflow)
    object PyFloat_FromDouble(double v)

NPARAMS = FL_NPARAMS
VECTOR_MATH = bool(fl_vector_math())
"""True when default fills use SIMD math (glibc libmvec on x86-64)."""

_SIMD_LEVELS = {"x86-64-v4": 4, "x86-64-v3": 3, "x86-64": 1}


def _simd_cap():
    """The highest CPU level the vector fills may use: ``FASTLR_SIMD`` (``auto``, the default,
    or a level of ``_SIMD_LEVELS``, to measure or reproduce another CPU's fills)."""
    value = os.environ.get("FASTLR_SIMD", "").strip().lower() or "auto"
    if value == "auto":
        return 4
    if value not in _SIMD_LEVELS:
        raise ValueError(f"FASTLR_SIMD must be auto or one of {', '.join(_SIMD_LEVELS)}; "
                         f"got {os.environ['FASTLR_SIMD']!r}")
    return _SIMD_LEVELS[value]


_level = fl_simd_select(_simd_cap())
SIMD = {4: "x86-64-v4", 3: "x86-64-v3", 1: "x86-64", 0: "target_clones"}.get(_level)
"""CPU level of the vector fills (None without vector math; ``target_clones`` when the
loader picks it); ``FASTLR_SIMD`` caps it."""


_TIERS = ("native", "peer", "float32")


def kind_facts():
    """{kind value: (tier, scalar_only)} as the compiled formulas' X-lists define them
    (tests compare them with _kinds.REGISTRY)."""
    return {k: (_TIERS[fl_kind_tier(k)], bool(fl_kind_scalar_only(k)))
            for k in range(256) if fl_kind_tier(k) >= 0}


# ---------------------------------------------------------------- kernels (nogil, no checks)

cdef inline Py_ssize_t _bisect(const fl_program *p, int64_t step) noexcept nogil:
    """Index of the last segment starting at or before ``step``."""
    cdef Py_ssize_t lo = 0, hi = p.count - 1, mid
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if p.starts[mid] <= step:
            lo = mid
        else:
            hi = mid - 1
    return lo


cdef inline Py_ssize_t _segment(fl_program *p, int64_t step) noexcept nogil:
    """Segment of ``step``: the previous call's segment if it holds, else bisection
    (the hint is shared by threads, race-free: see _hint.h)."""
    cdef Py_ssize_t i = fl_hint_load(&p.last)
    if p.starts[i] <= step and (i + 1 == p.count or step < p.starts[i + 1]):
        return i
    i = _bisect(p, step)
    fl_hint_store(&p.last, i)
    return i


cdef inline bint _warped(const fl_program *p, Py_ssize_t i) noexcept nogil:
    """Whether segment ``i`` has a time warp (rate, offset) other than the identity (1, 0)."""
    return p.warps[2 * i] != 1.0 or p.warps[2 * i + 1] != 0.0


cdef inline double _local(const fl_program *p, Py_ssize_t i, int64_t local) noexcept nogil:
    """Local step of segment ``i``: ``local * rate + offset`` for a warped segment."""
    if not _warped(p, i):
        return <double>local
    return <double>local * p.warps[2 * i] + p.warps[2 * i + 1]


cdef inline double _value(fl_program *p, int64_t step) noexcept nogil:
    cdef Py_ssize_t i = _segment(p, step)
    if p.cycles != NULL and p.cycles[i] != NULL and not _warped(p, i):
        return fl_restarts_step(<double>(step - p.starts[i]), p.params + i * FL_NPARAMS, p.data,
                                <fl_cycles *>p.cycles[i])
    return fl_eval(p.kinds[i], _local(p, i, step - p.starts[i]), p.params + i * FL_NPARAMS, p.data)


cdef void _fill_warped(const fl_program *p, Py_ssize_t i, floating *out, int64_t n, int64_t u0) noexcept nogil:
    """A warped segment, step by step with the scalar formulas (rare: spliced or stretched runs)."""
    cdef int64_t j
    cdef const double *row = p.params + i * FL_NPARAMS
    for j in range(n):
        out[j] = <floating>fl_eval(p.kinds[i], _local(p, i, u0 + j), row, p.data)


cdef void _fill(const fl_program *p, floating *out, int64_t n, int64_t start,
                bint exact) noexcept nogil:
    """out[j] = value at start + j: one kind dispatch per segment, then a tight loop."""
    cdef Py_ssize_t i = _bisect(p, start)
    cdef int64_t done = 0, count, room, u0
    cdef const double *row
    cdef const double *data
    cdef bint vector
    while done < n:
        count = n - done
        if i + 1 < p.count:
            room = p.starts[i + 1] - (start + done)
            if room < count:
                count = room
        row = p.params + i * FL_NPARAMS
        u0 = start + done - p.starts[i]
        # the vector loops cover local steps below 2**53 and every kind but
        # the peer-float32 ones; the rest takes the exact (scalar) loops
        vector = not exact and u0 <= FL_EXACT_STEPS - count and not fl_kind_scalar_only(p.kinds[i])
        data = p.data
        if vector and p.kinds[i] == FL_COSINE_RESTARTS:  # its vector kernel reads the s(t) table's mult ** k
            data = fl_cycles_powers(p.cycles[i] if p.cycles != NULL else NULL)
        if _warped(p, i):
            _fill_warped(p, i, out + done, count, u0)
        elif floating is double:
            if not vector:
                fl_fill_exact_f64(p.kinds[i], out + done, count, u0, row, p.data)
            else:
                fl_fill_vec_f64(p.kinds[i], out + done, count, u0, row, data)
        else:
            if not vector:
                fl_fill_exact_f32(p.kinds[i], out + done, count, u0, row, p.data)
            else:
                fl_fill_vec_f32(p.kinds[i], out + done, count, u0, row, data)
        done += count
        i += 1


cdef void **_cycle_tables(const fl_program *p) except? NULL:
    """The s(t) tables of the program's cosine_restarts segments (_cycles.h), one pointer per
    segment (NULL where there is none); NULL when no segment has one."""
    cdef Py_ssize_t i, made = 0
    cdef void **tables = <void **>calloc(p.count, sizeof(void *))
    if tables == NULL:
        raise MemoryError()
    for i in range(p.count):
        if p.kinds[i] == FL_COSINE_RESTARTS:
            tables[i] = fl_cycles_new(p.params + i * FL_NPARAMS)
            made += tables[i] != NULL
    if made == 0:
        free(tables)
        return NULL
    return tables


# C API entry points (fastlr.h): ``state`` is the schedule's fl_program.
cdef double _api_value_at(void *state, int64_t step) noexcept nogil:
    return _value(<fl_program *>state, step)


cdef void _api_fill_f64(void *state, double *out, int64_t n, int64_t start, int exact) noexcept nogil:
    _fill(<const fl_program *>state, out, n, start, exact != 0)


cdef void _api_fill_f32(void *state, float *out, int64_t n, int64_t start, int exact) noexcept nogil:
    _fill(<const fl_program *>state, out, n, start, exact != 0)


def _fill_chunk(Engine engine, size_t address, int64_t n, int64_t start, bint exact, bint single):
    """Fill ``n`` values at raw ``address`` without the GIL (one thread's share of a fill)."""
    with nogil:
        if single:
            _fill(&engine._p, <float *>address, n, start, exact)
        else:
            _fill(&engine._p, <double *>address, n, start, exact)


# ---------------------------------------------------------------- s(t) entry point

cdef object _call_slow(object self, PyObject **args, Py_ssize_t nargs, PyObject *kwnames):
    positional = tuple([<object>args[k] for k in range(nargs)])
    keywords = {}
    if kwnames != NULL:
        names = <tuple>kwnames
        keywords = {names[k]: <object>args[nargs + k] for k in range(len(names))}
    return Engine.__call__(self, *positional, **keywords)


cdef object _vectorcall(object self, PyObject **args, size_t nargsf, PyObject *kwnames):
    """s(t) through CPython's vectorcall: no argument tuple, no parsing for an int step."""
    cdef int overflow = 0
    cdef long long t
    if PyVectorcall_NARGS(nargsf) == 1 and kwnames == NULL and PyLong_CheckExact(args[0]):
        if fl_small_step(args[0], &t):
            return PyFloat_FromDouble(_value(&(<Engine>self)._p, t))
        t = PyLong_AsLongLongAndOverflow(args[0], &overflow)
        if t >= 0 and not overflow:
            return PyFloat_FromDouble(_value(&(<Engine>self)._p, t))
    return _call_slow(self, args, PyVectorcall_NARGS(nargsf), kwnames)


# ---------------------------------------------------------------- the engine type

cdef class Engine:
    """A schedule program evaluated by the compiled engine (immutable)."""

    def __cinit__(self, program, spec=None, *args, **kwargs):
        cdef const int32_t[::1] kinds = program.kinds
        cdef const int64_t[::1] starts = program.starts
        cdef const double[:, ::1] params = program.params
        cdef const double[::1] data = program.data
        cdef const double[:, ::1] warps = program.warps
        if kinds.shape[0] == 0 or starts.shape[0] != kinds.shape[0] \
                or params.shape[0] != kinds.shape[0] or params.shape[1] != FL_NPARAMS \
                or warps.shape[0] != kinds.shape[0] or warps.shape[1] != 2:
            raise ValueError("program arrays must be non-empty and of matching lengths")
        self.program = program
        self.spec = spec
        self._p.count = kinds.shape[0]
        self._p.kinds = &kinds[0]
        self._p.starts = &starts[0]
        self._p.params = &params[0, 0]
        self._p.data = &data[0] if data.shape[0] else NULL
        self._p.warps = &warps[0, 0]
        self._p.last = 0
        self._p.cycles = _cycle_tables(&self._p)
        self._c_api.state = &self._p
        self._c_api.value_at = _api_value_at
        self._c_api.fill_f64 = _api_fill_f64
        self._c_api.fill_f32 = _api_fill_f32
        self._c_api.count = self._p.count
        self._c_api.kinds = self._p.kinds
        self._c_api.starts = self._p.starts
        self._c_api.params = self._p.params
        self._c_api.nparams = FL_NPARAMS
        self._c_api.data = self._p.data
        self._c_api.ndata = data.shape[0]
        self._c_api.warps = self._p.warps
        self._vectorcall = <void *>_vectorcall
        self._capsule = PyCapsule_New(&self._c_api, b"fastlr.Schedule", NULL)

    def __dealloc__(self):
        cdef Py_ssize_t i
        if self._p.cycles != NULL:
            for i in range(self._p.count):
                free(self._p.cycles[i])
            free(self._p.cycles)
            self._p.cycles = NULL

    @staticmethod
    def adopt(cls):
        """Give ``cls``, a Python subclass made once per engine (the public Schedule type),
        Engine's vectorcall entry for ``s(t)``, unless it overrides ``__call__``."""
        if not issubclass(cls, Engine):
            raise TypeError(f"{cls!r} is not a subclass of Engine")
        if fl_calls_like(cls, Engine):
            fl_enable_vectorcall(cls, _VECTORCALL_OFFSET)

    cdef Py_ssize_t _segment(self, int64_t step) noexcept nogil:
        """Index of the segment holding ``step`` (cached last hit, then bisection)."""
        return _segment(&self._p, step)

    cdef double value_at(self, int64_t step) noexcept nogil:
        """Value at a validated step (no checks; nogil)."""
        return _value(&self._p, step)

    cdef void fill_f64(self, double *out, int64_t n, int64_t start, bint exact) noexcept nogil:
        """out[j] = value_at(start + j) for j < n, by the vector or (exact) scalar kernels."""
        _fill(&self._p, out, n, start, exact)

    cdef void fill_f32(self, float *out, int64_t n, int64_t start, bint exact) noexcept nogil:
        """Same as fill_f64 into float32 (exact: each double rounded once)."""
        _fill(&self._p, out, n, start, exact)

    @property
    def capsule(self):
        """PyCapsule ``"fastlr.Schedule"`` holding a ``fastlr_schedule_t`` (see fastlr.h).

        Its pointers are valid while this schedule is alive.
        """
        return self._capsule

    def __call__(self, step):
        """Value at integer ``step`` (a float)."""
        return _value(&self._p, _validate.step(step))

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
                res[j] = _value(&self._p, flat[j])
        return result

    def fill(self, out, start=0, *, exact=False, threads=None):
        """Write the values at steps start, start+1, ... into ``out``; return ``out``.

        ``exact=True`` uses scalar libm (bit-identical to ``s(t)``); the default
        uses vector math within the per-kind bound of docs/performance.md.
        ``threads``: None splits large fills across the available cores; an int
        caps the thread count (1 = this thread only).
        """
        cdef int64_t first = _validate.fill_range(out, start)
        cdef bint precise = _validate.boolean("exact", exact)
        cdef int64_t n = out.shape[0]
        cdef double[::1] out64
        cdef float[::1] out32
        cdef bint single = out.dtype == np.float32
        cdef int parts = _threads.plan(n, threads)
        if n == 0:
            return out
        if parts > 1:
            address, size = out.ctypes.data, out.itemsize
            _threads.run([functools.partial(_fill_chunk, self, address + offset * size, count,
                                            first + offset, precise, single)
                          for offset, count in _threads.chunks(n, parts)])
        elif single:
            out32 = out
            with nogil:
                _fill(&self._p, &out32[0], n, first, precise)
        else:
            out64 = out
            with nogil:
                _fill(&self._p, &out64[0], n, first, precise)
        return out

    def table(self, n, dtype=np.float64, *, start=0, exact=False, threads=None):
        """Values at steps start .. start+n-1 as a new array of ``dtype`` (float64 or float32)."""
        count, kind, first = _validate.table_args(n, dtype, start)
        return self.fill(np.empty(count, dtype=kind), first, exact=exact, threads=threads)


cdef Py_ssize_t _VECTORCALL_OFFSET = 0


cdef Py_ssize_t _offset_of_vectorcall():
    """Byte offset of Engine._vectorcall in the object, measured on a one-segment engine."""
    from ._spec import Segment, lower
    from ._kinds import Kind
    cdef Engine probe = Engine(lower([Segment(Kind.CONSTANT, 0, (0.0,))]))
    return <char *>&probe._vectorcall - <char *><PyObject *>probe


_VECTORCALL_OFFSET = _offset_of_vectorcall()
fl_enable_vectorcall(Engine, _VECTORCALL_OFFSET)


def uses_vectorcall(cls):
    """True if calls to instances of ``cls`` take the vectorcall fast path (tests)."""
    return bool(fl_uses_vectorcall(cls)) and cls.__call__ is Engine.__call__
