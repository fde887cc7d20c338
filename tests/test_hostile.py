"""Hostile inputs: every NumPy scalar type, signed zeros, extreme floats, odd arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits

S = fastlr.warmup_cosine(1e-3, 10, 100)
INTEGER_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                 np.intp, np.uintp, np.longlong, np.ulonglong]
NON_INTEGER_TYPES = [np.float16, np.float32, np.float64, np.longdouble, np.complex64, np.complex128,
                     np.bool_, np.str_, np.bytes_, np.datetime64, np.timedelta64]


@pytest.mark.parametrize("kind", INTEGER_TYPES, ids=lambda k: k.__name__)
def test_every_numpy_integer_scalar_is_a_step(engine, kind):
    s = engine.bind(S)
    assert s(kind(7)) == s(7)
    assert_same_bits(s.at(np.array([0, 7, 120], dtype=kind)), [s(0), s(7), s(120)])
    assert s.fill(np.empty(3), start=kind(7))[0] == s(7)


@pytest.mark.parametrize("kind", NON_INTEGER_TYPES, ids=lambda k: k.__name__)
def test_every_other_numpy_scalar_is_rejected_as_a_step(engine, kind):
    value = kind("2020-01-01") if kind is np.datetime64 else kind(1)
    with pytest.raises(TypeError, match="step must be an integer"):
        engine.bind(S)(value)
    with pytest.raises(TypeError, match="steps must be"):
        engine.bind(S).at(np.array([value]))


@pytest.mark.parametrize("kind", [np.float16, np.float32, np.float64, np.longdouble, np.int8, np.uint64],
                         ids=lambda k: k.__name__)
def test_numpy_scalars_are_accepted_as_parameters(kind):
    s = fastlr.warmup_cosine(kind(1), 10, 100)
    assert s(10) == float(kind(1))
    assert fastlr.from_dict(s.to_dict()) == s


@pytest.mark.parametrize("bad", [np.complex128(1), np.str_("1"), np.bool_(True), np.datetime64(1, "D")],
                         ids=repr)
def test_non_real_numpy_scalars_are_rejected_as_parameters(bad):
    with pytest.raises(TypeError, match="peak must be a real number"):
        fastlr.warmup_cosine(bad, 10, 100)


def test_negative_zero_is_a_legitimate_value_and_not_a_step(engine):
    s = engine.bind(fastlr.constant(-0.0))
    assert math.copysign(1.0, s(5)) == -1.0
    with pytest.raises(TypeError):
        s(-0.0)
    assert engine.bind(fastlr.linear(1.0, 10, end=-0.0))(10) == 0.0


@pytest.mark.parametrize("value", [5e-324, 1e-300, 1e300, -1e300])
def test_extreme_finite_values_give_finite_schedules(engine, value):
    for s in (fastlr.constant(value), fastlr.cosine(value, 100), fastlr.step(value, 3, gamma=0.5),
              fastlr.piecewise_constant([5], [value, value / 2])):
        b = engine.bind(s)
        table = b.table(200)
        assert np.all(np.isfinite(table))
        assert b(0) == value


def test_steps_at_and_beyond_the_int64_limit(engine):
    s = engine.bind(S)
    assert s(2**63 - 1) == 0.0
    for bad in (2**63, 2**64, 10**30):
        with pytest.raises(ValueError, match="at most 2\\*\\*63 - 1"):
            s(bad)
        with pytest.raises(ValueError, match="at most 2\\*\\*63 - 1"):
            s.at([0, bad])
        with pytest.raises(ValueError):
            s.fill(np.empty(2), start=bad)


def test_odd_but_legitimate_arrays(engine, tmp_path):
    s = engine.bind(S)
    big_endian_steps = np.array([1, 50], dtype=">i8")
    assert_same_bits(s.at(big_endian_steps), [s(1), s(50)])
    strided_steps = np.arange(100)[::7]
    assert_same_bits(s.at(strided_steps), [s(int(t)) for t in strided_steps])
    fortran = np.asfortranarray(np.arange(12).reshape(3, 4))
    assert_same_bits(s.at(fortran), [[s(int(t)) for t in row] for row in fortran])
    steps_file = np.lib.format.open_memmap(tmp_path / "steps.npy", mode="w+", dtype=np.int32, shape=(5,))
    steps_file[:] = [0, 9, 10, 11, 99]
    assert_same_bits(s.at(steps_file), [s(0), s(9), s(10), s(11), s(99)])
    view = np.zeros(20)[5:15]  # a contiguous view with an offset
    s.fill(view, start=3)
    assert_same_bits(view, s.table(13)[3:])


def test_float32_fills_beyond_float32_range_give_inf_quietly(engine):
    s = engine.bind(fastlr.constant(1e300))
    out = s.fill(np.empty(3, dtype=np.float32), exact=True)  # filterwarnings=error: no warning allowed
    assert np.all(np.isinf(out))
    assert np.all(np.isinf(s.table(3, dtype=np.float32)))


# ---------------------------------------------------------------- steps that are not ints but index like one

class Index:
    """An object that converts to an int only through ``__index__`` (as ``range`` and lists accept)."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


def test_objects_with_index_are_steps_on_every_entry_point(engine):
    s = engine.bind(S)
    assert s(Index(11)) == s(11)
    assert s.fill(np.empty(2), start=Index(9), exact=True).tolist() == [s(9), s(10)]
    assert s.table(2, start=Index(99), exact=True).tolist() == [s(99), s(100)]
    with pytest.raises(ValueError, match="step must be at most 2\\*\\*63 - 1, got 1180591620717411303424"):
        s(Index(2**70))
    with pytest.raises(ValueError, match="start must be a non-negative integer, got -2"):
        s.table(3, start=Index(-2))
    with pytest.raises(TypeError, match="step must be an integer, got Index"):
        s(Index(TypeError("no")))


def test_an_int_subclass_and_an_int_enum_are_steps(engine):
    import enum

    class Phase(enum.IntEnum):
        END = 100

    class Tick(int):
        pass

    s = engine.bind(S)
    assert s(Phase.END) == s(100) and s(Tick(5)) == s(5)
    assert fastlr.cosine(1.0, Phase.END) == fastlr.cosine(1.0, 100)
    assert type(fastlr.cosine(1.0, Tick(7)).args["steps"]) is int


TORCH_STEPS = [("int64", 7, None), ("int32", 7, None), ("uint8", 7, None),
               ("bool", True, "step must be an integer, got Tensor tensor(True)"),
               ("float32", 7.0, "step must be an integer, got Tensor tensor(7.) (use int(step))"),
               ("float64", 7.5, "step must be an integer, got Tensor tensor(7.5000, dtype=torch.float64)")]


@pytest.mark.parametrize("dtype, value, message", TORCH_STEPS, ids=[c[0] for c in TORCH_STEPS])
def test_torch_scalar_tensors_as_steps(engine, dtype, value, message):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    s = engine.bind(S)
    t = torch.tensor(value, dtype=getattr(torch, dtype))
    if message is None:
        assert s(t) == s(7)
        assert s.table(3, start=t, exact=True).tolist() == [s(7), s(8), s(9)]
        assert fastlr.cosine(1.0, t) == fastlr.cosine(1.0, 7)
    else:
        with pytest.raises(TypeError) as info:
            s(t)
        assert str(info.value) == message


def test_one_element_tensors_are_not_steps(engine):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    with pytest.raises(TypeError, match=r"step must be an integer, got Tensor tensor\(\[7\]\)"):
        engine.bind(S)(torch.tensor([7]))  # torch's own __index__ takes it; fastlr wants a scalar
