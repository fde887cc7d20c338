"""Compiled fast path of ``fastlr.torch.LRScheduler.step`` (no torch import here).

A ``GroupStepper`` advances the update count kept in each param-group dict
and stores the schedule's value, calling the compiled engine directly. It
handles only the plain case (float learning rates, counts present, one
schedule per group, each group still holding the spec object the scheduler
stored in it); when anything else holds it changes nothing, and the
scheduler's Python ``step`` (the reference behaviour) runs.
"""

from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.object cimport PyObject
from libc.math cimport isnan
from libc.stdint cimport int64_t
from cpython.mem cimport PyMem_Free, PyMem_Malloc

from ._engine_c cimport Engine

cdef int64_t STEP_MAX = 0x7FFFFFFFFFFFFFFE


def drives(schedules):
    """True if every schedule runs on the compiled engine (the only ones a GroupStepper takes)."""
    return all(isinstance(s, Engine) for s in schedules)


cdef class GroupStepper:
    """Advance ``group[key]`` and set ``group["lr"]`` for every param group of an optimizer."""

    cdef object optimizer
    cdef object attrs         # the optimizer's __dict__ (param_groups is looked up there)
    cdef tuple schedules      # one Engine per param group
    cdef tuple specs          # per group: the spec dict object the scheduler stored in the group
    cdef object spec_key
    cdef double *scales       # per group; NaN: no scale
    cdef Py_ssize_t count
    cdef object key
    cdef object lr_key
    cdef bint advance
    cdef dict state           # the scheduler's __dict__: "last_epoch" and "_last_lr" live there
    cdef object fallback      # the scheduler's Python step, for every other case

    def __cinit__(self, optimizer, schedules, scales, *args):
        self.count = len(schedules)
        if self.count == 0 or len(scales) != self.count:
            raise ValueError("one schedule and one scale per param group")
        self.scales = <double *>PyMem_Malloc(self.count * sizeof(double))
        if self.scales == NULL:
            raise MemoryError()

    def __dealloc__(self):
        PyMem_Free(self.scales)

    def __init__(self, optimizer, schedules, scales, key, bint advance, dict state, fallback,
                 spec_key, specs):
        cdef Py_ssize_t i
        if len(specs) != self.count:
            raise ValueError("one spec per param group")
        self.spec_key = spec_key
        self.specs = tuple(specs)
        self.optimizer = optimizer
        self.attrs = getattr(optimizer, "__dict__", None)
        self.schedules = tuple(schedules)
        for i in range(self.count):
            if not isinstance(self.schedules[i], Engine):
                raise TypeError("schedules must run on the compiled engine")
            self.scales[i] = float("nan") if scales[i] is None else float(scales[i])
        self.key = key
        self.lr_key = "lr"
        self.advance = advance
        self.state = state
        self.fallback = fallback

    def step(self, epoch=None):
        """One scheduler step (the Python ``fallback`` runs whenever the plain case does not hold)."""
        cdef int64_t small[16]
        cdef int64_t *steps = small  # this call's counts (no state shared between calls)
        if epoch is not None:
            return self._fallback(epoch)
        if self.count > 16:
            steps = <int64_t *>PyMem_Malloc(self.count * sizeof(int64_t))
            if steps == NULL:
                raise MemoryError()
        try:
            if not self._apply(steps):
                return self._fallback(epoch)
        finally:
            if steps != small:
                PyMem_Free(steps)

    cdef bint _apply(self, int64_t *steps) except -1:
        """Set every group's lr from the plain case; False (nothing changed) if it does not hold."""
        cdef object groups
        cdef PyObject *item
        cdef Py_ssize_t i
        cdef int64_t t
        cdef double value
        cdef object lr, count
        cdef list last
        item = PyDict_GetItem(self.attrs, "param_groups") if type(self.attrs) is dict else NULL
        groups = <object>item if item is not NULL else self.optimizer.param_groups
        if type(groups) is not list or PyList_GET_SIZE(groups) != self.count:
            return False
        item = PyDict_GetItem(self.state, "_last_lr")
        if item is NULL or type(<object>item) is not list or PyList_GET_SIZE(<object>item) != self.count:
            return False
        last = <list><object>item
        for i in range(self.count):  # check every group before changing any
            group = <object>PyList_GET_ITEM(groups, i)
            if type(group) is not dict:
                return False
            item = PyDict_GetItem(group, self.key)
            if item is NULL or type(<object>item) is not int:
                return False
            t = <object>item
            if t < 0 or t > STEP_MAX:
                return False
            item = PyDict_GetItem(group, self.lr_key)
            if item is NULL or type(<object>item) is not float:
                return False
            # the group still holds the spec this scheduler put there (not a reloaded one)
            if PyDict_GetItem(group, self.spec_key) != <PyObject *>self.specs[i]:
                return False
            steps[i] = t + 1 if self.advance else t
        for i in range(self.count):
            group = <object>PyList_GET_ITEM(groups, i)
            value = (<Engine>self.schedules[i]).value_at(steps[i])
            if not isnan(self.scales[i]):
                value = self.scales[i] * value
            lr = value
            if self.advance or i == 0:
                count = steps[i]
                if self.advance:
                    PyDict_SetItem(group, self.key, count)
                if i == 0:
                    PyDict_SetItem(self.state, "last_epoch", count)
            PyDict_SetItem(group, self.lr_key, lr)
            last[i] = lr
        return True

    cdef object _fallback(self, epoch):
        return self.fallback(epoch)
