"""Vector fills (the default) against the exact scalar path, per kind, with stated bounds.

Bounds are in ulps of the schedule's peak (the largest finite |value| of the
exact table): ``|fast - exact| <= bound * spacing(peak)``, per kind from the
registry (``_kinds.REGISTRY[kind].fast_ulps``; float32 ``F32_FAST_ULPS``). Fast fills use
glibc's vector cos/log/pow and fastlr's own exp in double-double (a few ulp from
scalar libm); on x86-64-v3/v4 float32 fast fills compute the cosine kinds in
float32 (fastlr/_vecmath.h), every other kind in double rounded once. Where the
compiled engine has no vector math (not glibc/x86-64) fast and exact fills are
the same loop and every bound holds with 0. The NumPy engine's fills are always exact.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

import fastlr
from _catalog import CATALOG
from conftest import assert_same_bits
from fastlr._kinds import F32_FAST_ULPS, REGISTRY, Kind

POW_VALUE_ULP = 4  # pow/exp-only kinds: also relative to each value, in float64 ulps

LONG = {  # one or two kinds per schedule, over millions of steps
    "cosine": (fastlr.cosine(1.0, 1_000_001, end=1e-7), 1_000_100),
    "warmup_cosine": (fastlr.warmup_cosine(1e-3, 100_000, 1_000_000), 1_000_100),
    "exponential": (fastlr.exponential(0.7, 0.5, 1000), 1_000_000),
    "exponential_staircase": (fastlr.exponential(0.7, 0.9, 1000, staircase=True, floor=1e-5), 500_000),
    "polynomial": (fastlr.polynomial(0.3, 1_000_000, end=1e-6, power=2.7), 1_000_100),
    "inverse_power": (fastlr.warmup_inverse(1e-3, 10, power=0.5), 1_000_000),
    "noam": (fastlr.noam(512), 1_000_000),
    "restarts_mult": (fastlr.cosine_restarts(1.0, 1000, period_mult=1.7, decay=0.8), 1_000_000),
    "restarts": (fastlr.cosine_restarts(0.9, 977), 1_000_000),
    "cyclic_exp_range": (fastlr.cyclic(1e-4, 1e-2, 333, mode="exp_range", gamma=0.99999), 1_000_000),
    "cyclic_triangular2": (fastlr.cyclic(1e-4, 1e-2, 333, mode="triangular2"), 300_000),
    "wsd_sqrt": (fastlr.wsd(1.0, 1000, 1000, 600_000, cooldown="1-sqrt"), 601_000),
    "one_cycle": (fastlr.one_cycle(0.1, 1_000_000), 1_000_100),
}
CASES = {**{name: (s, min(max(s.boundaries, default=100) * 3 + 200, 200_000))
            for name, s in CATALOG.items()}, **LONG}


def _compat_cases() -> dict:
    """Every golden compat schedule (torch, transformers, timm, keras, optax, megatron, olmo, torchtitan)
    and timm's parity set."""
    import fastlr.compat.timm  # noqa: F401  (registers the factories the golden calls use)
    import fastlr.compat.torch  # noqa: F401
    import fastlr.compat.transformers  # noqa: F401
    from _golden import cases
    from test_compat_timm import PARITY
    found = {f"timm-parity-{k}": (s, 3000) for k, s in enumerate(PARITY)}
    for library in ("torch", "transformers", "timm", "keras", "tf_keras", "optax", "megatron", "olmo", "torchtitan"):
        for case in cases(library):
            if case.get("kind") == "metric" or "raises" in case:
                continue
            try:
                s = eval(case["call"], {"fastlr": fastlr})
            except (ValueError, TypeError):  # a nonsense peer call fastlr rejects
                continue
            if isinstance(s, fastlr.Schedule):
                found[f"{library}-{case['id']}"] = (s, int(max(case["steps"])) + 1)
    return found


COMPAT = _compat_cases()


def _bound64(s: fastlr.Schedule) -> int:
    return max(REGISTRY[seg.kind].fast_ulps for seg in s.segments())


def _err_in_ulps_of_peak(fast: np.ndarray, exact: np.ndarray) -> float:
    finite = np.isfinite(exact)
    assert_same_bits(fast[~finite], exact[~finite])  # inf/nan where exact has them
    if not finite.any():
        return 0.0
    peak = np.max(np.abs(exact[finite]))
    if peak == 0:
        return float(np.max(np.abs(fast[finite])))
    err = np.max(np.abs(fast[finite].astype(np.float64) - exact[finite].astype(np.float64)))
    return float(err / np.spacing(peak))


def _check_float64_fast_fill(s: fastlr.Schedule, n: int, engine) -> None:
    """Within the registry's bound of the exact fill; the NumPy engine's fills are exact."""
    exact, fast = s.table(n, exact=True), s.table(n)
    assert _err_in_ulps_of_peak(fast, exact) <= _bound64(s)
    if engine.name == "python":
        assert_same_bits(fast, exact)


@pytest.mark.parametrize("name", sorted(COMPAT))
def test_compat_fast_fills_within_bound_of_exact(engine, name):
    s, n = COMPAT[name]
    s = engine.bind(s)
    _check_float64_fast_fill(s, n, engine)
    exact32, fast32 = s.table(n, np.float32, exact=True), s.table(n, np.float32)
    assert _err_in_ulps_of_peak(fast32, exact32) <= F32_FAST_ULPS


@pytest.mark.parametrize("name", sorted(CASES))
def test_float64_fast_fill_within_bound_of_exact(engine, name):
    s, n = CASES[name]
    _check_float64_fast_fill(engine.bind(s), n, engine)


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_fast_fill_within_two_float32_ulps_of_peak(engine, name):
    s, n = CASES[name]
    s = engine.bind(s)
    exact, fast = s.table(n, np.float32, exact=True), s.table(n, np.float32)
    assert fast.dtype == exact.dtype == np.float32
    assert _err_in_ulps_of_peak(fast, exact) <= F32_FAST_ULPS


@pytest.mark.parametrize("name", ["exponential", "inverse_power", "noam", "polynomial"])
def test_pow_kinds_are_close_to_every_value(engine, name):
    s, n = LONG[name]
    s = engine.bind(s)
    exact, fast = s.table(n, exact=True), s.table(n)
    ok = exact != 0  # the ramp reaches 0 at the end; relative error is meaningless there
    np.testing.assert_array_max_ulp(fast[ok], exact[ok], maxulp=POW_VALUE_ULP)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ["warmup_cosine", "restarts_mult", "noam", "one_cycle"])
def test_fast_values_do_not_depend_on_position_alignment_or_threads(engine, name, dtype):
    s, n = LONG[name]
    s = engine.bind(s)
    n = min(n, 600_000)
    whole = s.table(n, dtype, threads=1)
    for threads in (2, 3):
        assert_same_bits(s.table(n, dtype, threads=threads), whole)
    raw = np.empty(n + 16, dtype)
    for shift, start, count in [(1, 7, 1000), (3, 513, 70_001), (0, 99_999, 5), (5, 12_345, 1)]:
        view = raw[shift:shift + count]  # misaligned output, odd lengths, odd starts
        s.fill(view, start=start)
        assert_same_bits(view, whole[start:start + count])


def test_fast_fill_far_beyond_two_to_the_53(engine):
    s = engine.bind(fastlr.cosine_restarts(1.0, 1000, period_mult=1.5))
    start = 2**53 - 300
    exact = s.fill(np.empty(600), start=start, exact=True)
    fast = s.fill(np.empty(600), start=start)
    assert_same_bits(exact, [s(start + j) for j in range(600)])
    assert _err_in_ulps_of_peak(fast, exact) <= REGISTRY[Kind.COSINE_RESTARTS].fast_ulps


@pytest.mark.compiled
def test_vector_build_calls_libmvec_when_available():
    from fastlr import _engine_c
    if not _engine_c.VECTOR_MATH:
        pytest.skip("not a glibc/x86-64 build: fills are portable scalar loops by design")
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("binutils nm is not installed")
    symbols = subprocess.run([nm, "-D", _engine_c.__file__], capture_output=True, text=True,
                             check=True).stdout
    called = set(re.findall(r"_ZGV\w+", symbols))
    # SSE2 (b), AVX2 (d) and AVX-512 (e) variants of cos and pow: one per target clone
    for want in ("_ZGVbN2v_cos", "_ZGVdN4v_cos", "_ZGVeN8v_cos",
                 "_ZGVbN2vv_pow", "_ZGVdN4vv_pow", "_ZGVeN8vv_pow"):
        assert want in called, f"{want} missing from {sorted(called)}"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_fills_from_any_start_and_length_agree(engine, dtype):
    s = engine.bind(fastlr.join([fastlr.warmup_cosine(1.0, 100, 5000, end=0.01),
                                 fastlr.cosine_restarts(0.5, 300, period_mult=1.5)], [6000]))
    n = 20_000
    whole = s.table(n, dtype, threads=1)
    for k, start in enumerate(range(0, 12_000, 397)):
        count = n - start - (k * 131) % 700  # partial last blocks of every length
        assert_same_bits(s.fill(np.empty(count, dtype), start=start, threads=1),
                         whole[start:start + count])


# ---------------------------------------------------------------- far out: steps near 2**31 .. 2**53

FAR = [2**31, 2**32, 2**40, 2**53 - 2**12]


def _far_cases(at: int) -> dict:
    """Schedules whose cos/exp arguments stay ordinary where the local step is near ``at``:
    (schedule, first step of the window, the schedule's peak)."""
    import fastlr.compat.torch  # noqa: F401  (registers the torch factories)
    return {
        "cosine": (fastlr.cosine(1.0, at + 1000, end=1e-3), at - 1500, 1.0),
        "warmup_cosine": (fastlr.warmup_cosine(0.5, at // 10, at + 3000, end=0.01), at - 2000, 0.5),
        "restarts": (fastlr.cosine_restarts(0.9, at // 3 + 7), at - 1000, 0.9),
        "restarts_mult": (fastlr.cosine_restarts(1.0, 1000, period_mult=2.0, decay=0.8), at - 1000, 1.0),
        # torch's cosine never ends: pi * t / 100 is huge, the float32 fast path hands it back
        "periodic_cosine": (fastlr.compat.torch.CosineAnnealingLR(0.1, 100), at - 1000, 0.1),
    }


def _far_exponentials(at: int) -> dict:
    """Decay and growth with exponents t / steps near 100 and 1000 at step ``at``."""
    return {
        "decay": fastlr.exponential(0.7, 0.5, at // 100),
        "decay_staircase": fastlr.exponential(3.0, 0.93, at // 700, staircase=True),
        "growth": fastlr.exponential(1e-300, 1.5, at // 1000),
    }


@pytest.mark.parametrize("at", FAR)
@pytest.mark.parametrize("name", ["cosine", "warmup_cosine", "restarts", "restarts_mult", "periodic_cosine"])
def test_cosine_kinds_far_out_within_bounds(engine, name, at):
    s, start, peak = _far_cases(at)[name]
    s = engine.bind(s)
    for dtype, bound in ((np.float64, _bound64(s)), (np.float32, F32_FAST_ULPS)):
        exact = s.fill(np.empty(2500, dtype), start=start, exact=True)
        fast = s.fill(np.empty(2500, dtype), start=start)
        assert np.isfinite(exact).all()
        err = np.max(np.abs(fast.astype(np.float64) - exact)) / np.spacing(dtype(peak))
        assert err <= bound, (name, at, dtype, err)


@pytest.mark.parametrize("at", FAR)
@pytest.mark.parametrize("name", ["decay", "decay_staircase", "growth"])
def test_exponential_far_out_within_a_few_ulps_of_each_value(engine, name, at):
    s = engine.bind(_far_exponentials(at)[name])
    exact = s.fill(np.empty(3000), start=at - 2000, exact=True)
    fast = s.fill(np.empty(3000), start=at - 2000)
    assert np.isfinite(exact).all() and (exact != 0).all()
    np.testing.assert_array_max_ulp(fast, exact, maxulp=POW_VALUE_ULP)
    exact32 = s.fill(np.empty(3000, np.float32), start=at - 2000, exact=True)
    fast32 = s.fill(np.empty(3000, np.float32), start=at - 2000)
    np.testing.assert_array_max_ulp(fast32, exact32, maxulp=1)  # the double value, rounded


def test_exponential_growth_into_overflow_keeps_the_exact_infinities(engine):
    # 2.0 ** t overflows at t = 1024 exactly; pow and exp may round differently just below
    s = engine.bind(fastlr.exponential(1.0, 2.0, 1))
    exact, fast = s.table(1100, exact=True), s.table(1100)
    assert np.isinf(exact[1024:]).all() and np.isfinite(exact[:1024]).all()
    assert_same_bits(fast[1000:], exact[1000:])
    np.testing.assert_array_max_ulp(fast[:1000], exact[:1000], maxulp=POW_VALUE_ULP)
    s = engine.bind(fastlr.exponential(0.5, 1.0001, 1))  # t * log(rate) crosses 708 .. 710
    t = np.arange(7_070_000, 7_110_000)
    exact = s.fill(np.empty(t.size), start=int(t[0]), exact=True)
    fast = s.fill(np.empty(t.size), start=int(t[0]))
    finite = np.isfinite(exact)
    assert finite.any() and not finite.all()
    assert_same_bits(fast[~finite], exact[~finite])
    np.testing.assert_array_max_ulp(fast[finite], exact[finite], maxulp=POW_VALUE_ULP)


def test_float32_fill_of_values_beyond_float32_range_is_exact_there(engine):
    # the float32 blend cannot hold 1e300: those steps are recomputed exactly (inf, as rounding
    # 1e300 to float32 gives) while the last steps of the ramp fit in float32 again
    s = engine.bind(fastlr.cosine(1e300, 4000, end=0.0))
    exact = s.table(4001, np.float32, exact=True)
    fast = s.table(4001, np.float32)
    assert np.isinf(exact).any() and np.isfinite(exact).any()
    assert_same_bits(fast[~np.isfinite(exact)], exact[~np.isfinite(exact)])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ["periodic_cosine", "restarts_mult"])
def test_fast_fills_with_exact_steps_do_not_depend_on_alignment(engine, name, dtype):
    # a window where some steps come from the exact kernel (float32 periodic cosine past 2**22
    # periods, exp near overflow): the same bits whatever the start, length and thread split
    s, start, _ = _far_cases(2**32)[name]
    s = engine.bind(s)
    whole = s.fill(np.empty(20_000, dtype), start=start, threads=1)
    for k, shift in enumerate(range(0, 9000, 1237)):
        count = 20_000 - shift - (k * 97) % 300
        assert_same_bits(s.fill(np.empty(count, dtype), start=start + shift, threads=1),
                         whole[shift:shift + count])
    assert_same_bits(s.fill(np.empty(20_000, dtype), start=start, threads=3), whole)


# ---------------------------------------------------------------- every CPU level of the build

LEVEL_CHECK = """
import numpy as np, fastlr, fastlr.compat.torch
from fastlr import _engine_c
from fastlr._kinds import REGISTRY, F32_FAST_ULPS
print(_engine_c.SIMD)
cases = [fastlr.warmup_cosine(1e-3, 1000, 100_000, end=1e-6),
         fastlr.cosine_restarts(0.9, 977, period_mult=1.7, decay=0.8),
         fastlr.exponential(0.7, 0.5, 100), fastlr.exponential(1e-3, 1.7, 100),
         fastlr.compat.torch.CosineAnnealingLR(0.1, 7)]
for s in cases:
    bound = max(REGISTRY[seg.kind].fast_ulps for seg in s.segments())
    for dtype, b in ((np.float64, bound), (np.float32, F32_FAST_ULPS)):
        exact, fast = s.table(200_000, dtype, exact=True), s.table(200_000, dtype)
        ok = np.isfinite(exact)
        assert np.array_equal(np.isfinite(fast), ok)
        peak = np.max(np.abs(exact[ok]))
        err = np.max(np.abs(fast[ok].astype(float) - exact[ok])) / np.spacing(peak)
        assert err <= b, (s, dtype, err)
print("ok")
"""


@pytest.mark.compiled
@pytest.mark.parametrize("level", ["x86-64", "x86-64-v3", "x86-64-v4"])
def test_every_cpu_level_keeps_the_bounds(level):
    """FASTLR_SIMD caps the fills at a level: the baseline (no FMA), AVX2 and AVX-512 code."""
    from fastlr import _engine_c
    if _engine_c.SIMD not in ("x86-64-v4", "x86-64-v3"):
        pytest.skip("the fills are not dispatched per CPU level in this build")
    if level == "x86-64-v4" and _engine_c.SIMD != "x86-64-v4":
        pytest.skip("this CPU has no AVX-512")
    root = os.path.dirname(os.path.dirname(os.path.abspath(fastlr.__file__)))
    env = dict(os.environ, FASTLR_SIMD=level, PYTHONPATH=root)
    done = subprocess.run([sys.executable, "-c", LEVEL_CHECK], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == [level, "ok"]


def test_simd_cap_is_validated():
    env = dict(os.environ, FASTLR_SIMD="avx9000", FASTLR_BACKEND="cython")
    done = subprocess.run([sys.executable, "-c", "import fastlr"], capture_output=True, text=True, env=env,
                          timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.abspath(fastlr.__file__))))
    if "No module named 'fastlr._engine_c'" in done.stderr:
        pytest.skip("no compiled engine")
    assert done.returncode != 0
    assert "FASTLR_SIMD must be auto or one of x86-64-v4, x86-64-v3, x86-64; got 'avx9000'" in done.stderr
