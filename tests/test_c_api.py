"""The C API: a downstream Cython module that cimports fastlr, and the PyCapsule through ctypes."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits

pytestmark = pytest.mark.compiled  # the C API belongs to the compiled engine

SCHEDULES = [
    fastlr.warmup_cosine(1e-3, 100, 1000, end=1e-5),
    fastlr.join([fastlr.cosine_restarts(1.0, 7, period_mult=2.0), fastlr.noam(64, warmup_steps=5)], [50]),
    fastlr.piecewise_constant([10, 20], [1.0, 0.5, 0.25]),
]
STEPS = [0, 1, 5, 49, 50, 51, 99, 100, 101, 999, 1000, 5000, 2**40 + 3, 2**63 - 1]

FILL = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64,
                        ctypes.c_int)


class CSchedule(ctypes.Structure):
    """Mirror of fastlr_schedule_t in fastlr/fastlr.h."""

    _fields_ = [
        ("state", ctypes.c_void_p),
        ("value_at", ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_void_p, ctypes.c_int64)),
        ("fill_f64", FILL),
        ("fill_f32", FILL),
        ("count", ctypes.c_int64),
        ("kinds", ctypes.POINTER(ctypes.c_int32)),
        ("starts", ctypes.POINTER(ctypes.c_int64)),
        ("params", ctypes.POINTER(ctypes.c_double)),
        ("nparams", ctypes.c_int64),
        ("data", ctypes.POINTER(ctypes.c_double)),
        ("ndata", ctypes.c_int64),
    ]


def _struct(schedule) -> CSchedule:
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype, get.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    return CSchedule.from_address(get(schedule.capsule, b"fastlr.Schedule"))


@pytest.fixture(params=range(len(SCHEDULES)), ids=["warmup_cosine", "join_periodic", "piecewise"])
def compiled(request, engines):
    return engines[0].bind(SCHEDULES[request.param])


def test_capsule_is_named_and_cached(compiled):
    cap = compiled.capsule
    assert type(cap).__name__ == "PyCapsule" and '"fastlr.Schedule"' in repr(cap)
    assert compiled.capsule is cap


def test_capsule_value_at_equals_s_of_t(compiled):
    api = _struct(compiled)
    for t in STEPS:
        assert api.value_at(api.state, t) == compiled(t)


@pytest.mark.parametrize("exact", [0, 1])
def test_capsule_fills_equal_the_python_methods(compiled, exact):
    api = _struct(compiled)
    for dtype, fill in ((np.float64, api.fill_f64), (np.float32, api.fill_f32)):
        out = np.empty(777, dtype)
        fill(api.state, out.ctypes.data, out.shape[0], 33, exact)
        assert_same_bits(out, compiled.fill(np.empty(777, dtype), start=33, exact=bool(exact)))


def test_capsule_exposes_the_program(compiled):
    api = _struct(compiled)
    prog = compiled.program
    assert api.count == len(prog.kinds) and api.nparams == prog.params.shape[1]
    assert [api.kinds[i] for i in range(api.count)] == prog.kinds.tolist()
    assert [api.starts[i] for i in range(api.count)] == prog.starts.tolist()
    assert [api.params[i] for i in range(prog.params.size)] == prog.params.ravel().tolist()
    assert api.ndata == prog.data.size


CONSUMER = '''
# cython: language_level=3, boundscheck=False, wraparound=False
from libc.stdint cimport int64_t
from cpython.pycapsule cimport PyCapsule_GetPointer
from fastlr cimport Schedule, fastlr_schedule_t


def values(Schedule s, const int64_t[::1] steps):
    """s(t) for each step, computed in nogil code through the cimported type."""
    cdef double[::1] res = __import__("numpy").empty(steps.shape[0])
    cdef Py_ssize_t j
    with nogil:
        for j in range(steps.shape[0]):
            res[j] = s.value_at(steps[j])
    return res.base


def fill(Schedule s, double[::1] out, int64_t start, bint exact):
    with nogil:
        s.fill_f64(&out[0], out.shape[0], start, exact)


def fill32(Schedule s, float[::1] out, int64_t start, bint exact):
    with nogil:
        s.fill_f32(&out[0], out.shape[0], start, exact)


def via_capsule(object capsule, int64_t t):
    cdef fastlr_schedule_t *api = <fastlr_schedule_t *>PyCapsule_GetPointer(capsule, "fastlr.Schedule")
    cdef double v
    with nogil:
        v = api.value_at(api.state, t)
    return v
'''

SETUP = '''
import sys
from setuptools import Extension, setup
from Cython.Build import cythonize
setup(name="fastlr_consumer", script_args=["build_ext", "--inplace", "-q"],
      ext_modules=cythonize([Extension("fastlr_consumer", ["fastlr_consumer.pyx"],
                                       include_dirs=[{pkg!r}])],
                            include_path=[{root!r}], quiet=True))
'''


@pytest.fixture(scope="module")
def consumer(tmp_path_factory):
    pytest.importorskip("Cython", reason="building a downstream consumer needs Cython")
    where = tmp_path_factory.mktemp("consumer")
    pkg = os.path.dirname(fastlr.__file__)
    (where / "fastlr_consumer.pyx").write_text(textwrap.dedent(CONSUMER))
    (where / "setup_consumer.py").write_text(SETUP.format(pkg=pkg, root=os.path.dirname(pkg)))
    done = subprocess.run([sys.executable, "setup_consumer.py"], cwd=where, capture_output=True,
                          text=True)
    assert done.returncode == 0, f"consumer build failed:\n{done.stdout}\n{done.stderr}"
    sys.path.insert(0, str(where))
    try:
        import fastlr_consumer
    finally:
        sys.path.remove(str(where))
    return fastlr_consumer


def test_downstream_cython_calls_value_at_in_nogil_code(consumer, compiled):
    steps = np.array(STEPS, dtype=np.int64)
    assert_same_bits(consumer.values(compiled, steps), [compiled(int(t)) for t in steps])


@pytest.mark.parametrize("exact", [False, True])
def test_downstream_cython_fills(consumer, compiled, exact):
    out = np.empty(1234)
    consumer.fill(compiled, out, 17, exact)
    assert_same_bits(out, compiled.fill(np.empty(1234), start=17, exact=exact))
    out32 = np.empty(1234, np.float32)
    consumer.fill32(compiled, out32, 17, exact)
    assert_same_bits(out32, compiled.fill(np.empty(1234, np.float32), start=17, exact=exact))


def test_downstream_cython_reads_the_capsule(consumer, compiled):
    for t in STEPS:
        assert consumer.via_capsule(compiled.capsule, t) == compiled(t)


def test_downstream_type_check_rejects_other_objects(consumer):
    with pytest.raises(TypeError):
        consumer.values(lambda t: 0.0, np.zeros(1, np.int64))
