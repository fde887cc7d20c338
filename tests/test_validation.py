"""Bad input: a clear ValueError/TypeError naming the parameter, the same on both engines,
and never a write to the caller's array."""

from __future__ import annotations

import math

import numpy as np
import pytest

import fastlr

S = fastlr.warmup_cosine(1e-3, 10, 100)

BAD_STEPS = [
    (-1, ValueError, "step must be a non-negative integer, got -1"),
    (-(2**70), ValueError, "non-negative"),
    (2**63, ValueError, "step must be at most 2**63 - 1"),
    (2**100, ValueError, "at most 2**63 - 1"),
    (1.0, TypeError, "step must be an integer, got float 1.0"),
    (1.5, TypeError, "step must be an integer"),
    (math.nan, TypeError, "step must be an integer"),
    (True, TypeError, "step must be an integer, got bool True"),
    (np.bool_(False), TypeError, "step must be an integer"),
    ("3", TypeError, "got str '3'"),
    (None, TypeError, "got NoneType None"),
    (np.float64(2.0), TypeError, "step must be an integer"),
    (np.int64(-5), ValueError, "got -5"),
    (np.uint64(2**63), ValueError, "at most 2**63 - 1"),
    ([1], TypeError, "step must be an integer"),
    (10.0, TypeError, "step must be an integer, got float 10.0 (use int(step))"),
    (np.float32(3.0), TypeError, "(use int(step))"),
    (np.array(3.0), TypeError, "step must be an integer, got ndarray array(3.) (use int(step))"),
    (np.array(True), TypeError, "step must be an integer, got ndarray"),
    (np.array([5]), TypeError, "step must be an integer, got ndarray array([5])"),
    (np.array(-3), ValueError, "step must be a non-negative integer, got -3"),
    (np.array(2**63, dtype=np.uint64), ValueError, "step must be at most 2**63 - 1"),
]

NO_INT_HINT = [1.5, math.nan, math.inf, True, np.bool_(True), np.array(True), np.complex128(3), "3"]


@pytest.mark.parametrize("bad", NO_INT_HINT, ids=repr)
def test_int_hint_only_for_whole_floats(engine, bad):
    with pytest.raises(TypeError) as info:
        engine.bind(S)(bad)
    assert "step must be an integer" in str(info.value) and "int(step)" not in str(info.value)


@pytest.mark.parametrize("bad, error, message", BAD_STEPS, ids=[repr(b[0])[:20] for b in BAD_STEPS])
def test_bad_step_is_rejected_with_a_clear_message(engine, bad, error, message):
    s = engine.bind(S)
    with pytest.raises(error, match=None) as info:
        s(bad)
    assert message in str(info.value)


@pytest.mark.parametrize("good", [0, 5, np.int8(5), np.uint16(5), np.int64(5), np.uint64(5), 2**63 - 1,
                                  np.array(5), np.array(9, dtype=np.uint8), np.array(10, dtype=np.int32),
                                  np.array(2**63 - 1)])
def test_integer_steps_of_every_type_are_accepted(engine, good):
    s = engine.bind(S)
    t = int(good)
    assert s(good) == s(t) == (1e-3 * t / 10 if t < 10 else
                               0.5 * 1e-3 * (1 + math.cos(math.pi * (t - 10) / 90)) if t < 100 else 0.0)
    assert type(s(good)) is float


BAD_STEP_ARRAYS = [
    ([1.0, 2.0], TypeError, "steps must be an integer, got float 1.0"),
    (np.array([1, 2], dtype=np.float32), TypeError, "dtype float32"),
    (np.array([True, False]), TypeError, "steps must be integers"),
    ([0, -1], ValueError, "non-negative"),
    (np.array([2**63], dtype=np.uint64), ValueError, "at most 2**63 - 1"),
    ([2**64], ValueError, "at most 2**63 - 1"),
    (["a"], TypeError, "steps must be an integer, got str"),
    ([None], TypeError, "steps must be an integer"),
    (True, TypeError, "bool"),
]


@pytest.mark.parametrize("bad, error, message", BAD_STEP_ARRAYS, ids=[repr(b[0])[:30] for b in BAD_STEP_ARRAYS])
def test_bad_step_arrays_are_rejected(engine, bad, error, message):
    with pytest.raises(error) as info:
        engine.bind(S).at(bad)
    assert message in str(info.value)


@pytest.mark.parametrize("steps", [[], [[0, 1], [2, 3]], np.array(7), np.arange(5, dtype=np.uint8),
                                   np.arange(10)[::3], [2**63 - 1], range(4)])
def test_at_accepts_integer_array_likes_and_keeps_the_shape(engine, steps):
    s = engine.bind(S)
    got = s.at(steps)
    arr = np.asarray(steps)
    assert got.shape == arr.shape and got.dtype == np.float64
    assert [s(int(t)) for t in arr.ravel()] == got.ravel().tolist()


def _bad_outputs():
    base = np.zeros(16)
    read_only = np.zeros(16)
    read_only.flags.writeable = False
    misaligned = np.frombuffer(np.zeros(17 * 8, dtype=np.uint8)[1:129].tobytes(), dtype=np.uint8)
    misaligned = np.zeros(16 * 8 + 1, dtype=np.uint8)[1:].view(np.float64)
    return [
        ("list", [0.0] * 4, TypeError, "out must be a numpy.ndarray"),
        ("int64", np.zeros(4, dtype=np.int64), TypeError, "float64 or float32"),
        ("float16", np.zeros(4, dtype=np.float16), TypeError, "float64 or float32"),
        ("complex", np.zeros(4, dtype=np.complex128), TypeError, "float64 or float32"),
        ("byteswapped", np.zeros(4, dtype=">f8"), TypeError, "native byte order"),
        ("2-D", np.zeros((4, 4)), ValueError, "one-dimensional"),
        ("0-d", np.zeros(()), ValueError, "one-dimensional"),
        ("strided", base[::2], ValueError, "C-contiguous"),
        ("read-only", read_only, ValueError, "writable"),
        ("misaligned", misaligned, ValueError, "aligned"),
    ]


@pytest.mark.parametrize("case", _bad_outputs(), ids=lambda c: c[0])
def test_bad_output_arrays_are_rejected_untouched(engine, case):
    _, out, error, message = case
    before = np.array(out, copy=True) if isinstance(out, np.ndarray) else None
    with pytest.raises(error) as info:
        engine.bind(S).fill(out)
    assert message in str(info.value)
    if before is not None:
        np.testing.assert_array_equal(out, before)


@pytest.mark.parametrize("start, error, message", [
    (-1, ValueError, "start must be a non-negative integer"),
    (1.0, TypeError, "start must be an integer"),
    (2**63 - 4, ValueError, "start + len(out) - 1 must be at most 2**63 - 1"),
])
def test_bad_start_leaves_the_array_untouched(engine, sentinel, start, error, message):
    out = np.full(8, sentinel)
    with pytest.raises(error) as info:
        engine.bind(S).fill(out, start=start)
    assert message in str(info.value)
    assert np.all(out == sentinel)


def test_fill_returns_its_argument_and_handles_empty_and_memmaps(engine, tmp_path):
    s = engine.bind(S)
    out = np.empty(0)
    assert s.fill(out) is out
    mm = np.lib.format.open_memmap(tmp_path / "t.npy", mode="w+", dtype=np.float32, shape=(50,))
    assert s.fill(mm, start=3) is mm
    np.testing.assert_array_equal(mm, s.table(53, dtype=np.float32)[3:])
    tail = np.zeros(1)
    s.fill(tail, start=2**63 - 1)
    assert tail[0] == s(2**63 - 1)


@pytest.mark.parametrize("n, dtype, error, message", [
    (-1, np.float64, ValueError, "n must be a non-negative integer"),
    (2.0, np.float64, TypeError, "n must be an integer"),
    (3, np.int32, TypeError, "dtype must be float64 or float32"),
    (3, "nonsense", TypeError, "dtype"),
])
def test_bad_table_arguments(engine, n, dtype, error, message):
    with pytest.raises(error) as info:
        engine.bind(S).table(n, dtype=dtype)
    assert message in str(info.value)


def test_table_of_zero_steps_is_empty(engine):
    assert engine.bind(S).table(0).shape == (0,)
    assert engine.bind(S).table(0, start=2**63 - 1).shape == (0,)


@pytest.mark.parametrize("start", [0, 1, 9, 10, 11, 95, 99, 100, 101, 10**12, 2**63 - 6,
                                   np.int64(9), np.array(10)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_table_start_gives_s_of_start_onwards(engine, start, dtype):
    """S has phases [0, 10) (warmup), [10, 100) (cosine), then 0: starts around both boundaries."""
    s = engine.bind(S)
    got = s.table(5, dtype, start=start, exact=True)
    first = int(start)
    assert got.dtype == dtype and got.shape == (5,)
    assert got.tolist() == [float(dtype(s(t))) for t in range(first, first + 5)]
    # the default (vector) fill: within the documented bound of the peak 1e-3 (float32: 2 float32 ulps)
    bound = 2 * np.spacing(np.float32(1e-3)) if dtype is np.float32 else 4 * np.spacing(1e-3)
    assert np.max(np.abs(s.table(5, dtype, start=start).astype(np.float64) - got)) <= bound


def test_table_start_matches_the_tail_of_a_longer_table(engine):
    s = engine.bind(S)
    assert s.table(70, start=30, exact=True).tolist() == s.table(100, exact=True)[30:].tolist()


@pytest.mark.parametrize("start, error, message", [
    (-1, ValueError, "start must be a non-negative integer, got -1"),
    (3.0, TypeError, "start must be an integer, got float 3.0 (use int(start))"),
    (None, TypeError, "start must be an integer, got NoneType"),
    (True, TypeError, "start must be an integer, got bool"),
    (2**63 - 4, ValueError, "start + n - 1 must be at most 2**63 - 1, got 9223372036854775811"),
    (2**63, ValueError, "start must be at most 2**63 - 1"),
])
def test_bad_table_start(engine, start, error, message):
    with pytest.raises(error) as info:
        engine.bind(S).table(8, start=start)
    assert message in str(info.value)


def test_fill_start_takes_a_0d_integer_array(engine):
    s = engine.bind(S)
    out = s.fill(np.empty(4), start=np.array(8, dtype=np.int16), exact=True)
    assert out.tolist() == [s(t) for t in range(8, 12)]


BAD_FACTORY_CALLS = [
    (lambda: fastlr.warmup_cosine(1e-3, -1, 100), ValueError, "warmup_steps must be a non-negative integer, got -1"),
    (lambda: fastlr.warmup_cosine(1e-3, 200, 100), ValueError, "warmup_steps must be <= total_steps"),
    (lambda: fastlr.warmup_cosine(math.nan, 1, 100), ValueError, "peak must be finite, got nan"),
    (lambda: fastlr.warmup_cosine(math.inf, 1, 100), ValueError, "peak must be finite"),
    (lambda: fastlr.warmup_cosine("1e-3", 1, 100), TypeError, "peak must be a real number, got str"),
    (lambda: fastlr.warmup_cosine(True, 1, 100), TypeError, "peak must be a real number, got bool"),
    (lambda: fastlr.warmup_cosine(1e-3, 1.5, 100), TypeError, "warmup_steps must be an integer, got float"),
    (lambda: fastlr.warmup_cosine(1e-3, 1, None), TypeError, "total_steps must be an integer"),
    (lambda: fastlr.constant(None), TypeError, "value must be a real number"),
    (lambda: fastlr.linear(1.0, -3), ValueError, "steps must be a non-negative integer"),
    (lambda: fastlr.polynomial(1.0, 10, power=0.0), ValueError, "power must be > 0.0"),
    (lambda: fastlr.cosine(1.0, 2**63), ValueError, "steps must be at most 2**63 - 1"),
    (lambda: fastlr.exponential(1.0, 0.0, 10), ValueError, "rate must be > 0.0"),
    (lambda: fastlr.exponential(1.0, 0.5, 0), ValueError, "steps must be a positive integer, got 0"),
    (lambda: fastlr.exponential(1.0, 0.5, 10, staircase=1), TypeError, "staircase must be a bool"),
    (lambda: fastlr.inverse_time(1.0, -0.5, 10), ValueError, "rate must be >= 0.0"),
    (lambda: fastlr.step(1.0, 0), ValueError, "step_size must be a positive integer, got 0"),
    (lambda: fastlr.multistep(1.0, [30, 10]), ValueError, "milestones must be strictly increasing"),
    (lambda: fastlr.multistep(1.0, [10, 10]), ValueError, "milestones must be strictly increasing"),
    (lambda: fastlr.multistep(1.0, [0, 10]), ValueError, "milestones[0] must be a positive integer"),
    (lambda: fastlr.multistep(1.0, 10), TypeError, "milestones must be a list or tuple"),
    (lambda: fastlr.piecewise_constant([10, 20], [1.0, 0.5]), ValueError,
     "values must have len(boundaries) + 1 = 3 items, got 2"),
    (lambda: fastlr.piecewise_constant([20, 10], [1.0, 0.5, 0.1]), ValueError, "boundaries must be strictly increasing"),
    (lambda: fastlr.piecewise_constant([10], [1.0, math.nan]), ValueError, "values[1] must be finite"),
    (lambda: fastlr.piecewise_linear([], []), ValueError, "boundaries must have at least one item"),
    (lambda: fastlr.piecewise_linear([0, 10], [1.0]), ValueError, "values must have len(boundaries) = 2 items, got 1"),
    (lambda: fastlr.cosine_restarts(1.0, 0), ValueError, "period must be a positive integer, got 0"),
    (lambda: fastlr.cosine_restarts(1.0, 10, period_mult=0.5), ValueError, "period_mult must be >= 1.0"),
    (lambda: fastlr.cosine_restarts(1.0, 10, decay=0.0), ValueError, "decay must be > 0.0"),
    (lambda: fastlr.cyclic(0.1, 1.0, 0), ValueError, "step_size_up must be a positive integer, got 0"),
    (lambda: fastlr.cyclic(0.1, 1.0, 5, step_size_down=0), ValueError, "step_size_down must be a positive integer"),
    (lambda: fastlr.cyclic(0.1, 1.0, 5, mode="sawtooth"), ValueError, "mode must be one of"),
    (lambda: fastlr.cyclic(0.1, 1.0, 5, mode=1), TypeError, "mode must be a string"),
    (lambda: fastlr.one_cycle(1.0, 0), ValueError, "total_steps must be a positive integer"),
    (lambda: fastlr.one_cycle(1.0, 100, pct_start=1.5), ValueError, "pct_start must be >= 0.0 and <= 1.0"),
    (lambda: fastlr.one_cycle(1.0, 100, pct_start=0.7, three_phase=True), ValueError, "<= 0.5"),
    (lambda: fastlr.one_cycle(1.0, 100, div_factor=0.0), ValueError, "div_factor must be > 0.0"),
    (lambda: fastlr.one_cycle(1.0, 100, anneal="cosine"), ValueError, "anneal must be one of 'linear', 'cos'"),
    (lambda: fastlr.warmup_inverse(1.0, 0), ValueError, "warmup_steps must be a positive integer, got 0"),
    (lambda: fastlr.warmup_inverse(1.0, 10, power=-1.0), ValueError, "power must be > 0.0"),
    (lambda: fastlr.noam(0), ValueError, "d_model must be > 0.0"),
    (lambda: fastlr.noam(512, warmup_steps=0), ValueError, "warmup_steps must be a positive integer"),
    (lambda: fastlr.wsd(1.0, 10, -1, 10), ValueError, "stable_steps must be a non-negative integer"),
    (lambda: fastlr.wsd(1.0, 10, 10, 10, cooldown="sqrt"), ValueError, "cooldown must be one of"),
    (lambda: fastlr.warmup(0.1, 10), TypeError, "schedule must be a fastlr schedule, got float"),
    (lambda: fastlr.warmup(fastlr.constant(1.0), -1), ValueError, "steps must be a non-negative integer"),
    (lambda: fastlr.join([], []), ValueError, "schedules must have at least one item"),
    (lambda: fastlr.join([fastlr.constant(1.0)], [10]), ValueError,
     "boundaries must have len(schedules) - 1 = 0 items, got 1"),
    (lambda: fastlr.join([fastlr.constant(1.0), 0.5], [10]), TypeError, "schedules[1] must be a fastlr schedule"),
    (lambda: fastlr.join([fastlr.constant(1.0)] * 3, [10, 5]), ValueError, "boundaries must be strictly increasing"),
    (lambda: fastlr.warmup_cosine(1e-3, 1, 100, bogus=1), TypeError, "bogus"),
    (lambda: fastlr.warmup_cosine(1e-3, 10.0, 100), TypeError,
     "warmup_steps must be an integer, got float 10.0 (use int(warmup_steps))"),
    (lambda: fastlr.cosine(1.0, np.array(10.0)), TypeError, "steps must be an integer, got ndarray array(10.)"),
    (lambda: fastlr.cosine(1.0, np.array([10])), TypeError, "steps must be an integer, got ndarray array([10])"),
    (lambda: fastlr.cosine(1.0, np.array(True)), TypeError, "steps must be an integer, got ndarray array(True)"),
    (lambda: fastlr.cosine(1.0, np.array(-4)), ValueError, "steps must be a non-negative integer, got -4"),
    # a constant past a milestone that leaves float64 (Python's float power raised OverflowError)
    (lambda: fastlr.multistep(0.1, list(range(1, 40)), gamma=1e10), ValueError,
     "gamma ** 31 overflows float64 (gamma=10000000000.0)"),
    (lambda: fastlr.compat.torch.MultiStepLR(base_lr=0.1, milestones=[5] * 40, gamma=1e10), ValueError,
     "gamma ** 40 overflows float64"),
    (lambda: fastlr.compat.timm.MultiStepLRScheduler(base_lr=0.1, decay_t=list(range(1, 40)), decay_rate=1e10),
     ValueError, "decay_rate ** 31 overflows float64"),
    (lambda: fastlr.compat.timm.StepLRScheduler(base_lr=0.1, decay_t=2, decay_rate=1e10, warmup_t=99,
                                                warmup_prefix=False), ValueError, "decay_rate ** 49 overflows float64"),
    # a length beyond int64 (NumPy raised OverflowError while lowering the phases)
    (lambda: fastlr.compat.torch.OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=2**63), ValueError,
     "total_steps (or epochs * steps_per_epoch) must be at most 2**63 - 1"),
    (lambda: fastlr.compat.torch.OneCycleLR(base_lr=0.1, max_lr=1.0, epochs=2**62, steps_per_epoch=2), ValueError,
     "must be at most 2**63 - 1, got 9223372036854775808"),
    (lambda: fastlr.wsd(1.0, 2**62, 2**62, 2**62), ValueError, "a phase would begin at step 13835058055282163712"),
    (lambda: fastlr.compat.timm.CosineLRScheduler(base_lr=0.1, t_initial=2**62, warmup_t=2**62,
                                                  warmup_prefix=True), ValueError,
     "beyond 2**63 - 1: a length or step argument is too large"),
]


@pytest.mark.parametrize("make, error, message", BAD_FACTORY_CALLS, ids=[m[2][:40] for m in BAD_FACTORY_CALLS])
def test_bad_factory_arguments_name_the_parameter_and_rule(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_schedules_are_immutable(engine):
    s = engine.bind(S)
    for name in ("spec", "program", "foo"):
        with pytest.raises(AttributeError):
            setattr(s, name, 1)
    for arr in s.program:
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[...] = 0


# ---------------------------------------------------------------- integers as 0-d arrays

@pytest.mark.parametrize("make", [
    lambda n: fastlr.cosine(1.0, n),
    lambda n: fastlr.warmup_cosine(1e-3, n, 100),
    lambda n: fastlr.multistep(1.0, [n, 50]),
    lambda n: fastlr.compat.torch.StepLR(base_lr=0.1, step_size=n),
], ids=["cosine", "warmup_cosine", "multistep", "compat.torch.StepLR"])
@pytest.mark.parametrize("wrap", [np.array, np.int32, lambda n: np.array(n, dtype=np.uint16)],
                         ids=["0-d int64", "int32", "0-d uint16"])
def test_integer_parameters_take_0d_arrays_and_store_plain_ints(make, wrap):
    plain, wrapped = make(10), make(wrap(10))
    assert wrapped == plain and hash(wrapped) == hash(plain) and repr(wrapped) == repr(plain)
    assert wrapped.to_dict() == plain.to_dict()
    ints = [v for v in _leaves(wrapped.to_dict()["args"]) if isinstance(v, (int, np.integer))]
    assert 10 in ints and all(type(v) in (int, bool) for v in ints)
    assert fastlr.from_dict(wrapped.to_dict()) == plain


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


# ---------------------------------------------------------------- factory calls name the factory

BAD_CALLS = [
    (lambda: fastlr.warmup_cosine(peak=1e-3, warmup=10, total_steps=100),
     "fastlr.warmup_cosine() got an unexpected keyword argument 'warmup'; did you mean 'warmup_steps'?"),
    (lambda: fastlr.cosine(1.0, 10, ends=0.0),
     "fastlr.cosine() got an unexpected keyword argument 'ends'; did you mean 'end'?"),
    (lambda: fastlr.cosine(1.0, 10, zzz=0.0), "fastlr.cosine() got an unexpected keyword argument 'zzz'"),
    (lambda: fastlr.compat.torch.StepLR(0.1, step_siz=3),
     "fastlr.compat.torch.StepLR() got an unexpected keyword argument 'step_siz'; did you mean 'step_size'?"),
    (lambda: fastlr.warmup_cosine(1e-3, 10), "fastlr.warmup_cosine() missing a required argument: 'total_steps'"),
    (lambda: fastlr.warmup_cosine(1e-3),
     "fastlr.warmup_cosine() missing required arguments: 'warmup_steps', 'total_steps'"),
    (lambda: fastlr.cosine(1.0, 10, 0.0, 5),
     "fastlr.cosine() takes at most 3 positional arguments (start, steps, end), got 4"),
    (lambda: fastlr.cosine(1.0, 10, start=2.0), "fastlr.cosine() got multiple values for argument 'start'"),
]


@pytest.mark.parametrize("make, message", BAD_CALLS, ids=[m for _, m in BAD_CALLS])
def test_bad_calls_name_the_factory(make, message):
    with pytest.raises(TypeError) as info:
        make()
    assert str(info.value) == message


def test_did_you_mean_offers_the_parameters_not_yet_given():
    with pytest.raises(TypeError) as info:
        fastlr.warmup_cosine(1e-3, warmup_steps=10, warmup=5, total_steps=100)
    assert "did you mean" not in str(info.value)


# ---------------------------------------------------------------- an optimizer where base_lr goes

class DuckOptimizer:
    """Anything with torch's ``param_groups`` is taken for an optimizer."""

    def __init__(self, *lrs):
        self.param_groups = [{"lr": lr, "params": []} for lr in lrs]


ADAPTER = "drive the optimizer with fastlr.torch.LRScheduler(optimizer, schedule)"


@pytest.mark.parametrize("make, name, library", [
    (lambda o: fastlr.compat.torch.CosineAnnealingWarmRestarts(o, T_0=10),
     "compat.torch.CosineAnnealingWarmRestarts", "torch"),
    (lambda o: fastlr.compat.torch.StepLR(o, 30), "compat.torch.StepLR", "torch"),
    (lambda o: fastlr.compat.torch.StepLR(o), "compat.torch.StepLR", "torch"),
    (lambda o: fastlr.compat.torch.OneCycleLR(o, max_lr=1.0, total_steps=100), "compat.torch.OneCycleLR", "torch"),
    (lambda o: fastlr.compat.torch.SequentialLR(o, [], [10]), "compat.torch.SequentialLR", "torch"),
    (lambda o: fastlr.compat.transformers.get_cosine_schedule_with_warmup(o, 10, 100),
     "compat.transformers.get_cosine_schedule_with_warmup", "transformers"),
    (lambda o: fastlr.compat.transformers.get_linear_schedule_with_warmup(
        optimizer=o, num_warmup_steps=10, num_training_steps=100),
     "compat.transformers.get_linear_schedule_with_warmup", "transformers"),
    (lambda o: fastlr.compat.transformers.get_scheduler("cosine", o, 10, 100),
     "compat.transformers.get_cosine_schedule_with_warmup", "transformers"),
    (lambda o: fastlr.compat.timm.CosineLRScheduler(o, t_initial=100), "compat.timm.CosineLRScheduler", "timm"),
    (lambda o: fastlr.compat.timm.StepLRScheduler(base_lr=o, decay_t=10), "compat.timm.StepLRScheduler", "timm"),
])
def test_an_optimizer_for_base_lr_shows_its_lr_and_the_adapter(make, name, library):
    with pytest.raises(TypeError) as info:
        make(DuckOptimizer(0.25, 0.5))
    assert str(info.value) == (f"fastlr.{name} takes base_lr= where {library} takes the optimizer: "
                               f"pass base_lr=0.25 (your optimizer's lr) and {ADAPTER}")


def test_an_optimizer_beside_base_lr_is_to_be_left_out():
    with pytest.raises(TypeError) as info:
        fastlr.compat.torch.CyclicLR(DuckOptimizer(0.3), base_lr=0.01, max_lr=0.1)
    assert str(info.value) == ("fastlr.compat.torch.CyclicLR takes base_lr= where torch takes the optimizer: "
                               f"leave the optimizer out (keep base_lr=0.01) and {ADAPTER}")


def test_an_optimizer_without_a_readable_lr_still_gets_the_hint():
    odd = DuckOptimizer()
    with pytest.raises(TypeError) as info:
        fastlr.compat.torch.StepLR(odd, 3)
    assert "pass base_lr=<your optimizer's lr> (your optimizer's lr)" in str(info.value)


def test_an_optimizer_for_any_real_parameter_says_to_pass_its_lr():
    with pytest.raises(TypeError) as info:
        fastlr.cosine(DuckOptimizer(0.125), 100)
    assert str(info.value) == ("start must be a real number, got the optimizer DuckOptimizer: "
                               f"pass start=0.125 (its lr) and {ADAPTER}")
    with pytest.raises(TypeError, match="pass base_lr=0.125 .its lr."):  # not a factory: a controller
        fastlr.compat.torch.ReduceLROnPlateau(DuckOptimizer(0.125))
