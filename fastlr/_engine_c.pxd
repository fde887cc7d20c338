# C-level interface of the compiled engine, for downstream Cython code:
#
#     from fastlr cimport Schedule           # the compiled engine type (fastlr._engine_c.Engine)
#     cdef Schedule s = fastlr.warmup_cosine(1e-3, 100, 1000)
#     cdef double lr
#     with nogil:
#         lr = s.value_at(500)                # = s(500), bit for bit
#         s.fill_f64(&buf[0], n, 0, False)    # vector fill (True: exact, scalar libm)
#
# No checks happen at this level: steps must be >= 0, start + n - 1 <= 2**63 - 1,
# and the buffers must hold n values. Keep a reference to the schedule.
from libc.stdint cimport int32_t, int64_t

cdef extern from "fastlr.h":
    ctypedef struct fastlr_schedule_t:
        void *state
        double (*value_at)(void *state, int64_t step) noexcept nogil
        void (*fill_f64)(void *state, double *out, int64_t n, int64_t start, int exact) noexcept nogil
        void (*fill_f32)(void *state, float *out, int64_t n, int64_t start, int exact) noexcept nogil
        int64_t count
        const int32_t *kinds
        const int64_t *starts
        const double *params
        int64_t nparams
        const double *data
        int64_t ndata
        const double *warps


# A C view of the lowered program (the arrays belong to Engine.program).
cdef struct fl_program:
    Py_ssize_t count
    const int32_t *kinds
    const int64_t *starts
    const double *params
    const double *data
    const double *warps  # (rate, offset) per segment: local step = (step - start) * rate + offset
    Py_ssize_t last  # segment of the previous s(t): a hint shared by threads (_hint.h)
    void **cycles    # per segment, the s(t) table of cosine_restarts (_cycles.h) or NULL; NULL: none


cdef class Engine:
    cdef void *_vectorcall  # CPython vectorcall entry of s(t) (set in __cinit__)
    cdef readonly object spec
    cdef readonly object program
    cdef fl_program _p
    cdef fastlr_schedule_t _c_api
    cdef object _capsule

    cdef Py_ssize_t _segment(self, int64_t step) noexcept nogil
    cdef double value_at(self, int64_t step) noexcept nogil
    cdef void fill_f64(self, double *out, int64_t n, int64_t start, bint exact) noexcept nogil
    cdef void fill_f32(self, float *out, int64_t n, int64_t start, bint exact) noexcept nogil
