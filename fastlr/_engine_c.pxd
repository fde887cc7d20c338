# C-level interface of the compiled engine, for downstream Cython code:
#     from fastlr cimport Engine
#     cdef double lr = (<Engine>schedule).value_at(1000)   # nogil-safe
from libc.stdint cimport int32_t, int64_t


cdef class Engine:
    cdef readonly object spec
    cdef readonly object program
    cdef const int32_t *_kinds
    cdef const int64_t *_starts
    cdef const double *_params
    cdef const double *_data
    cdef Py_ssize_t _count
    cdef Py_ssize_t _last

    cdef Py_ssize_t _segment(self, int64_t step) noexcept nogil
    cdef double value_at(self, int64_t step) noexcept nogil
    cdef void fill_f64(self, double *out, int64_t n, int64_t start) noexcept nogil
    cdef void fill_f32(self, float *out, int64_t n, int64_t start) noexcept nogil
