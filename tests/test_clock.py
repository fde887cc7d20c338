"""Clocks and units: counting samples per optimizer step, against step-by-step replays of the loaders.

The references are written here from the rules the frameworks follow (torch's
DistributedSampler + DataLoader + gradient accumulation; Megatron-LM's ramp-up
calculator and training loop), one step at a time, independently of
fastlr/clock.py's closed forms; the real Megatron calculator is used too when
megatron-core is installed.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import math
import pickle
import random
import warnings
from pathlib import Path

import numpy as np
import pytest

import fastlr


# ---------------------------------------------------------------- references

def loader_replay(dataset_size: int, batch: int, accum: int, world: int, drop_last: bool,
                  epochs: int) -> tuple[list[int], int]:
    """Samples consumed before each step (and after the last), per torch's sampler and loader:
    each rank gets ceil(N / W) indices (padded), batches of `batch` (the short one dropped with
    drop_last), and an optimizer step after every `accum` batches or at the end of the epoch."""
    per_rank = -(-dataset_size // world)
    sizes = [batch] * (per_rank // batch)
    if per_rank % batch and not drop_last:
        sizes.append(per_rank % batch)
    consumed, done, per_epoch = [0], 0, 0
    for _ in range(epochs):
        pending = 0
        for i, size in enumerate(sizes):
            pending += size * world
            if (i + 1) % accum == 0 or i == len(sizes) - 1:
                done += pending
                consumed.append(done)
                pending = 0
        per_epoch = per_epoch or len(consumed) - 1
    return consumed, per_epoch


def megatron_replay(start: int, increment: int, ramp_samples: int, final: int, unit: int,
                    decrease: bool, steps: int) -> list[int]:
    """Megatron's loop: before each iteration the calculator sees `consumed`; the global batch is
    final once consumed > ramp samples, else start + int(consumed / (samples / increments)) *
    increment; with decrease the run batch is rounded down to a multiple of micro * dp."""
    increments = (final - start) // increment
    consumed = [0]
    for _ in range(steps):
        c = consumed[-1]
        gbs = final if c > ramp_samples else start + int(c / (ramp_samples / increments)) * increment
        if decrease and gbs % unit:
            gbs = (gbs // unit) * unit
        consumed.append(c + gbs)
    return consumed


def first_step(consumed: list[int], target) -> int:
    """The least n with consumed[n] >= target (by a linear search)."""
    return next(n for n, c in enumerate(consumed) if c >= target)


# ---------------------------------------------------------------- units

def test_units_print_compare_and_round_trip():
    for q in (fastlr.tokens(2e9), fastlr.epochs(3), fastlr.samples(1_000_000), fastlr.fraction(0.1),
              fastlr.steps(500), fastlr.epochs(0.25)):
        assert eval(repr(q), {"fastlr": fastlr}) == q
        assert type(q).from_dict(json.loads(json.dumps(q.to_dict()))) == q
        assert pickle.loads(pickle.dumps(q)) == q and copy.deepcopy(q) is q
        assert hash(q) == hash(eval(repr(q), {"fastlr": fastlr}))
    assert repr(fastlr.tokens(2e9)) == "fastlr.tokens(2000000000.0)"
    assert fastlr.tokens(2e9).to_dict() == {"fastlr": 1, "type": "tokens", "args": {"amount": 2e9}}
    assert fastlr.tokens(2e9) != fastlr.tokens(2_000_000_000)  # 2e9 and 2000000000 print differently
    assert fastlr.epochs(1) != fastlr.samples(1)
    assert fastlr.samples(np.int64(5)) == fastlr.samples(5)
    with pytest.raises(AttributeError):
        fastlr.epochs(1).unit = "steps"


@pytest.mark.parametrize("make, bad, error, words", [
    (fastlr.tokens, -1, ValueError, "tokens must be >= 0.0"),
    (fastlr.epochs, float("nan"), ValueError, "epochs must be finite"),
    (fastlr.samples, True, TypeError, "samples must be a real number"),
    (fastlr.samples, "10", TypeError, "samples must be a real number"),
    (fastlr.fraction, 1.5, ValueError, "fraction must be >= 0.0 and <= 1.0"),
    (fastlr.steps, 2.5, TypeError, "steps must be an integer"),
    (fastlr.steps, -3, ValueError, "steps must be a non-negative integer"),
])
def test_units_reject_bad_amounts(make, bad, error, words):
    with pytest.raises(error, match=words):
        make(bad)


# ---------------------------------------------------------------- clock as a value

RUN = dict(batch_size=8, grad_accum=4, world_size=8, dataset_size=1_000_000, seq_len=2048)


def test_clock_prints_compares_and_round_trips():
    clock = fastlr.Clock(**RUN, rampup=None, total=fastlr.epochs(3))
    assert repr(clock) == ("fastlr.Clock(batch_size=8, grad_accum=4, world_size=8, dataset_size=1000000, "
                           "seq_len=2048, total=fastlr.epochs(3))")
    assert eval(repr(clock), {"fastlr": fastlr}) == clock
    assert fastlr.Clock.from_dict(json.loads(json.dumps(clock.to_dict()))) == clock
    assert pickle.loads(pickle.dumps(clock)) == clock and hash(pickle.loads(pickle.dumps(clock))) == hash(clock)
    assert fastlr.Clock(batch_size=8, grad_accum=1, drop_last=False) == fastlr.Clock(batch_size=8)
    assert repr(fastlr.Clock()) == "fastlr.Clock()"
    ramp = fastlr.Clock(batch_size=4, world_size=2, grad_accum=8, rampup=[16, 8, 1000])
    assert "rampup=[16, 8, 1000]" in repr(ramp) and eval(repr(ramp), {"fastlr": fastlr}) == ramp
    with pytest.raises(TypeError, match="describes a Quantity, not a Clock"):
        fastlr.Clock.from_dict(fastlr.epochs(1).to_dict())
    with pytest.raises(ValueError, match=r"spec\['args'\] has unknown key 'batch'"):
        fastlr.Clock.from_dict({"fastlr": 1, "type": "Clock", "args": {"batch": 3}})
    with pytest.raises(ValueError, match="names no fastlr value"):
        fastlr.Clock.from_dict({"fastlr": 1, "type": "Watch", "args": {}})


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(batch_size=0), ValueError, "batch_size must be a positive integer"),
    (dict(batch_size=2.0), TypeError, "batch_size must be an integer"),
    (dict(grad_accum=True), TypeError, "grad_accum must be an integer"),
    (dict(dataset_size=100), ValueError, "dataset_size needs batch_size"),
    (dict(batch_size=4, dataset_size=100, steps_per_epoch=3), ValueError, "not both"),
    (dict(batch_size=4, drop_last=True), ValueError, "drop_last needs dataset_size"),
    (dict(batch_size=4, dataset_size=3, drop_last=True), ValueError, "an epoch has no full batch"),
    (dict(batch_size=4, drop_last=1, dataset_size=10), TypeError, "drop_last must be a bool"),
    (dict(rampup=(1, 1, 1)), ValueError, "rampup needs batch_size"),
    (dict(batch_size=4, grad_accum=4, rampup=(4, 4)), ValueError, r"rampup must be \(start, increment"),
    (dict(batch_size=4, grad_accum=4, rampup=(16, 4, 10)), ValueError, "rampup start must be below"),
    (dict(batch_size=4, grad_accum=4, rampup=(4, 8, 10)), ValueError, "differ from it by a multiple"),
    (dict(batch_size=4, grad_accum=4, rampup=(2, 2, 10)), ValueError, "multiples of batch_size"),
    (dict(batch_size=4, grad_accum=4, rampup=(2, 2, 10), decrease_batch_size_if_needed=True), ValueError,
     "at least batch_size"),
    (dict(batch_size=4, grad_accum=4, rampup=(4, 4, 0)), ValueError, r"rampup\[2\] must be a positive"),
    (dict(batch_size=4, grad_accum=4, rampup=(4, 4, 10), steps_per_epoch=9), ValueError,
     "does not apply with a ramp-up"),
    (dict(batch_size=4, decrease_batch_size_if_needed=True), ValueError, "ramp-up only"),
    (dict(total=3), TypeError, "total must be a quantity"),
    (dict(total=fastlr.fraction(0.5)), ValueError, "total must not be a fraction"),
    (dict(total=fastlr.steps(0)), ValueError, "at least one optimizer step"),
    (dict(batch_size=4, total=fastlr.tokens(10)), ValueError, "tokens need seq_len in the clock"),
])
def test_clock_rejects_bad_facts(kwargs, error, words):
    with pytest.raises(error, match=words):
        fastlr.Clock(**kwargs)


# ---------------------------------------------------------------- epochs: torch's loaders

LOADERS = [  # dataset_size, batch_size, grad_accum, world_size, drop_last
    (1_000, 8, 1, 1, False), (1_000, 8, 1, 1, True), (1_003, 8, 3, 1, False), (1_003, 8, 3, 1, True),
    (997, 5, 4, 3, False), (997, 5, 4, 3, True), (64, 8, 2, 4, False), (10, 4, 5, 1, False),
    (4_097, 16, 2, 8, True), (7, 1, 1, 7, False),
]


@pytest.mark.parametrize("n, b, accum, world, drop", LOADERS)
def test_epoch_counting_matches_a_loader_replay(n, b, accum, world, drop):
    consumed, per_epoch = loader_replay(n, b, accum, world, drop, epochs=3)
    clock = fastlr.Clock(batch_size=b, grad_accum=accum, world_size=world, dataset_size=n, drop_last=drop)
    assert clock.steps_per_epoch == per_epoch
    assert clock.samples_per_epoch == consumed[per_epoch]
    steps = list(range(len(consumed)))
    assert [clock.samples_before(k) for k in steps] == consumed
    assert clock.samples_before(np.array(steps)).tolist() == consumed
    assert clock.epochs_before(per_epoch * 2) == 2.0
    rng = random.Random(n * 31 + b)
    targets = {0, 1, consumed[1], consumed[1] + 1, consumed[-1]} | {rng.randint(0, consumed[-1]) for _ in range(50)}
    for x in sorted(targets):
        assert clock.to_steps(fastlr.samples(x)) == first_step(consumed, x), x
        half = max(x - 0.5, 0)
        assert clock.to_steps(fastlr.samples(half)) == first_step(consumed, half), x
    for e in (0, 0.5, 1, 1.25, 2, 3):
        assert clock.to_steps(fastlr.epochs(e)) == first_step(consumed, e * consumed[per_epoch]), e


def test_tokens_convert_through_samples_exactly():
    clock = fastlr.Clock(**RUN)
    # 2e9 tokens / 2048 = 976,562.5 samples -> 976,563; / 256 per step = 3,814.7 -> 3,815 steps
    assert clock.to_steps(fastlr.tokens(2e9)) == 3815
    assert clock.tokens_before(3815) == 3815 * 256 * 2048 >= 2e9 > clock.tokens_before(3814)
    assert clock.to_steps(fastlr.tokens(3814 * 256 * 2048)) == 3814
    assert clock.to_steps(fastlr.tokens(3814 * 256 * 2048 + 1)) == 3815
    # a run of 1e11 tokens crosses epoch ends: 1e11 / 2048 = 48,828,125 samples = 48 epochs + 828,125
    assert clock.to_steps(fastlr.tokens(1e11)) == 48 * 3907 + math.ceil(828_125 / 256)
    assert clock.to_steps(fastlr.epochs(3)) == 3 * 3907 and clock.steps_per_epoch == 3907


def test_fractions_are_of_the_total_in_its_unit():
    clock = fastlr.Clock(**RUN, total=fastlr.epochs(3))
    assert clock.total_steps == 11_721
    assert clock.to_steps(fastlr.fraction(0.5)) == clock.to_steps(fastlr.epochs(1.5))
    assert clock.to_steps(fastlr.fraction(1.0)) == 11_721 and clock.to_steps(fastlr.fraction(0.0)) == 0
    by_steps = fastlr.Clock(total=fastlr.steps(1000))
    assert [by_steps.to_steps(fastlr.fraction(x)) for x in (0.1, 0.1234, 1.0)] == [100, 124, 1000]
    assert by_steps.to_steps(fastlr.steps(7)) == 7 and by_steps.to_steps(7) == 7
    # amounts mean the decimals they print as: the float 0.1 is a little above 1/10 in binary,
    # which would give 101 steps of 1000
    assert fastlr.Clock(total=fastlr.steps(1000)).to_steps(fastlr.fraction(0.1)) == 100
    assert fastlr.Clock(total=fastlr.steps(10**17)).to_steps(fastlr.fraction(0.1)) == 10**16
    assert fastlr.Clock(batch_size=1).to_steps(fastlr.samples(0.1)) == 1


def test_steps_per_epoch_without_a_loader():
    clock = fastlr.Clock(steps_per_epoch=500)
    assert [clock.to_steps(fastlr.epochs(e)) for e in (1, 2.5, 0.001)] == [500, 1250, 1]
    assert clock.epochs_before(750) == 1.5
    with pytest.raises(ValueError, match="samples need batch_size in the clock"):
        clock.to_steps(fastlr.samples(10))
    with_batch = fastlr.Clock(steps_per_epoch=500, batch_size=32)
    assert with_batch.samples_before(10) == 320 and with_batch.to_steps(fastlr.epochs(2.5)) == 1250


@pytest.mark.parametrize("clock, quantity, words", [
    (fastlr.Clock(batch_size=4), fastlr.tokens(10), "tokens need seq_len"),
    (fastlr.Clock(batch_size=4), fastlr.epochs(1), "epochs need dataset_size or steps_per_epoch"),
    (fastlr.Clock(), fastlr.samples(1), "samples need batch_size"),
    (fastlr.Clock(batch_size=4), fastlr.fraction(0.5), "fractions need total"),
    (fastlr.Clock(batch_size=1), fastlr.samples(1e30), r"beyond 2\*\*63 - 1"),
])
def test_conversions_name_what_the_clock_lacks(clock, quantity, words):
    with pytest.raises(ValueError, match=words):
        clock.to_steps(quantity)


def test_counting_rejects_bad_steps():
    clock = fastlr.Clock(batch_size=2)
    with pytest.raises(ValueError, match="step must be a non-negative integer"):
        clock.samples_before(-1)
    with pytest.raises(TypeError, match="steps must be integers"):
        clock.samples_before(np.array([1.5]))
    with pytest.raises(TypeError, match="steps must be an integer"):
        clock.to_steps(2.5)


# ---------------------------------------------------------------- Megatron's ramp-up

RAMPS = [  # micro batch, dp, grad accum (final = micro * dp * accum), (start, increment, samples), decrease
    (4, 16, 8, (64, 64, 100_000), False),
    (1, 8, 192, (32, 32, 2_000_000), False),  # GPT-3 style: 32 -> 1536 over 2M samples
    (2, 3, 7, (6, 6, 1_000), False),
    (2, 3, 7, (7, 5, 999), True),  # batches rounded down to multiples of 6
    (4, 4, 16, (20, 4, 12_345), True),
    (1, 1, 10, (1, 1, 7), False),  # a ramp shorter than one batch per increment
]


@pytest.mark.parametrize("micro, dp, accum, ramp, decrease", RAMPS)
def test_rampup_counting_matches_a_megatron_replay(micro, dp, accum, ramp, decrease):
    clock = fastlr.Clock(batch_size=micro, world_size=dp, grad_accum=accum, rampup=ramp,
                         decrease_batch_size_if_needed=decrease, seq_len=1024)
    final = micro * dp * accum
    stop = clock._stages.steps[-1] + 50
    consumed = megatron_replay(*ramp, final, micro * dp, decrease, stop)
    assert clock.samples_before(np.arange(stop + 1)).tolist() == consumed
    assert [clock.samples_before(k) for k in range(0, stop + 1, 7)] == consumed[::7]
    assert clock.samples_before(stop + 10**6) == consumed[-1] + 10**6 * final  # the final batch forever
    rng = random.Random(sum(ramp))
    for x in {0, 1, ramp[2], ramp[2] + 1, consumed[-1]} | {rng.randint(0, consumed[-1]) for _ in range(100)}:
        assert clock.to_steps(fastlr.samples(x)) == first_step(consumed, x), x
        assert clock.to_steps(fastlr.tokens(max(x * 1024 - 1, 0))) == first_step(consumed, x - 1 / 1024), x


def _megatron_calculator_module():
    """megatron/core/num_microbatches_calculator.py loaded on its own (no torch, no GPU), or skip."""
    spec = importlib.util.find_spec("megatron")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("megatron-core is not installed (pip install --no-deps megatron-core)")
    path = Path(list(spec.submodule_search_locations)[0]) / "core" / "num_microbatches_calculator.py"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    module_spec = importlib.util.spec_from_file_location("_megatron_calculator", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    if not hasattr(module, "RampupBatchsizeNumMicroBatchesCalculator"):
        pytest.skip("this megatron-core no longer has RampupBatchsizeNumMicroBatchesCalculator (<= 0.17 has)")
    return module


@pytest.mark.parametrize("micro, dp, accum, ramp, decrease", RAMPS)
def test_rampup_counting_matches_the_real_megatron_calculator(micro, dp, accum, ramp, decrease):
    module = _megatron_calculator_module()
    final = micro * dp * accum
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calculator = module.RampupBatchsizeNumMicroBatchesCalculator(
            final, micro, dp, decrease, 1, ramp[0], ramp[1], ramp[2])
    clock = fastlr.Clock(batch_size=micro, world_size=dp, grad_accum=accum, rampup=ramp,
                         decrease_batch_size_if_needed=decrease)
    consumed = 0
    for step in range(clock._stages.steps[-1] + 20):
        assert clock.samples_before(step) == consumed, step
        calculator.update(consumed, consistency_check=True)
        consumed += dp * micro * calculator.get()  # what Megatron's training loop adds per iteration
    assert calculator.get_current_global_batch_size() == final
