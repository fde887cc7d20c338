"""s(t) of cosine_restarts goes through a per-segment table (fastlr/_cycles.h)
instead of log1p, log and pow (period_mult != 1) or fmod (equal cycles): it
must give the kernel's bits at every step, most of all next to the cycle
starts, where the table hands the step back to the kernel."""

from __future__ import annotations

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits

MULTS = [1.0, 2.0, 1.5, 1.7, 3.0, 1.01, 1 + 2**-19, 1.0000001, 1000.0, 2.0**21]


def _steps_around_cycle_starts(period: int, mult: float, rng) -> np.ndarray:
    starts, length, total = [], float(period), 0.0
    while total < 2**60 and len(starts) < 2000:  # equal cycles: the first 2000 starts
        starts.append(total)
        total += length
        length *= mult
    near = np.concatenate([np.round(np.array(starts)) + d for d in range(-3, 4)])
    far = rng.integers(0, 2**62, 500)
    steps = np.concatenate([near, np.arange(5000), far]).astype(np.float64)
    return np.unique(steps[(steps >= 0) & (steps < 2**62)]).astype(np.int64)


@pytest.mark.parametrize("mult", MULTS)
@pytest.mark.parametrize("period", [1, 7, 1000, 123_457])
def test_calls_give_the_kernels_bits_around_every_cycle_start(engine, period, mult):
    s = engine.bind(fastlr.cosine_restarts(1.0, period, end=0.01, period_mult=mult, decay=0.9))
    steps = _steps_around_cycle_starts(period, mult, np.random.default_rng(period))
    by_call = s.at(steps)
    by_kernel = np.array([s.fill(np.empty(1), start=int(t), exact=True)[0] for t in steps])
    assert_same_bits(by_call, by_kernel)
    assert_same_bits(np.array([s(int(t)) for t in steps[::50]]), by_kernel[::50])


@pytest.mark.parametrize("decay", [1.0, 0.7])
@pytest.mark.parametrize("mult", [1.0, 1.05, 1.3, 2.0])
def test_vector_fills_with_cycles_near_one_keep_the_bound(engine, mult, decay):
    # the cycle position subtracts nearly equal numbers, 1 / (mult - 1) times an ulp of
    # mult ** k: the vector fills must use libm's powers, not libmvec's (decay ** k, a
    # factor of the peak, comes from the vector pow)
    from fastlr._kinds import F32_FAST_ULPS, REGISTRY, Kind
    s = engine.bind(fastlr.cosine_restarts(1.0, 3, period_mult=mult, decay=decay))
    for dtype, bound in ((np.float64, REGISTRY[Kind.COSINE_RESTARTS].fast_ulps), (np.float32, F32_FAST_ULPS)):
        exact, fast = s.table(300_000, dtype, exact=True), s.table(300_000, dtype)
        assert np.max(np.abs(fast.astype(np.float64) - exact)) / np.spacing(dtype(1.0)) <= bound
