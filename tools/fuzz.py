#!/usr/bin/env python3
"""Differential fuzzing of every public factory, compat constructor and combinator.

    python tools/fuzz.py --examples 1000000 [--targets native,compat,...] [--seed N]

Each target draws random inputs with hypothesis and checks, on every engine
that imports here:

* valid schedules: ``s(t)``, ``at``, ``fill`` (random start and length, both
  dtypes) and ``table`` agree bit for bit within an engine; the engines agree
  within the documented bound; native schedules match the independent
  reference in ``tests/_reference.py``; compat schedules match the real peer
  library (through ``tests/golden/gen.py``) on a sample, when it is installed;
* invalid arguments, steps, output arrays and edited specs raise
  ``ValueError``/``TypeError`` with the same message on every engine, and a
  rejected fill leaves the caller's array untouched.

The examples are split evenly across the targets; the per-target counts and
any failure are printed. Exit status 1 on the first failure (hypothesis
shrinks it and prints the falsifying example).
"""

from __future__ import annotations

import argparse
import copy
import inspect
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "golden")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fastlr  # noqa: E402
from _golden import LIBRARIES, cases, mismatches  # noqa: E402
from _reference import value as reference_value  # noqa: E402
from _strategies import schedules  # noqa: E402
from fastlr import _engine, _spec  # noqa: E402
from fastlr._kinds import PARAMS, REGISTRY  # noqa: E402

ENGINES = _engine.available_engines()
CROSS_ENGINE_ULP_OF_PEAK = 8
COUNTS: dict[str, int] = {}
steps_st = st.one_of(st.integers(0, 5000), st.integers(0, 2**63 - 1))


def _count(target: str) -> None:
    COUNTS[target] = COUNTS.get(target, 0) + 1


def _bits(a) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a[np.isnan(a)] = np.nan  # every NaN alike: sign and payload carry no meaning here
    return a.view(np.int64)


def _same(a, b, what: str) -> None:
    if not np.array_equal(_bits(a), _bits(b)):
        raise AssertionError(f"{what}: {np.asarray(a)[:5]} != {np.asarray(b)[:5]}")


VALUE_PARAMS = {"start", "end", "peak", "low", "high", "value", "init", "lr"}


def _peak(s: fastlr.Schedule) -> float:
    """The scale the fast-fill bounds are stated in: the largest finite |value| seen over the
    first steps, every boundary and a geometric sweep, or of a segment's own ramp ends (a
    join or warmup may clip a ramp before it reaches them)."""
    marks = [m + d for m in s.boundaries for d in (-1, 0, 1)]
    sample = np.unique(np.concatenate([np.arange(2000), np.geomspace(1, 2**62, 400).astype(np.int64),
                                       np.array(marks, dtype=np.int64)]))
    values = np.abs(s.at(sample[sample >= 0]))
    ends = [abs(p) for seg in s.segments() for name, p in zip(PARAMS[seg.kind], seg.params)
            if name in VALUE_PARAMS and math.isfinite(p)]
    return float(max(values[np.isfinite(values)].max(initial=0.0), max(ends, default=0.0)))


def check_schedule(s: fastlr.Schedule, ts: list[int], start: int, n: int) -> list[np.ndarray]:
    """Call paths agree within each engine; engines agree within the bound. Returns per-engine s(ts)."""
    start = min(start, 2**63 - 1 - n)
    peak = _peak(s)
    bound = max(REGISTRY[seg.kind].fast_ulps for seg in s.segments())  # vector fills vs exact
    results = []
    for engine in ENGINES.values():
        b = _spec.rebind(s, engine.Engine)
        calls = np.array([b(t) for t in ts])
        _same(b.at(ts), calls, f"{s!r}: at vs call")
        window = b.at(np.arange(n, dtype=np.int64) + start)  # at() is s(t) per element (checked above)
        if n:
            _same(b(start + n - 1), window[-1], f"{s!r}: call vs at")
        _same(b.fill(np.empty(n), start=start, exact=True), window, f"{s!r}: exact fill vs call")
        _same(b.fill(np.empty(n, dtype=np.float32), start=start, exact=True), window.astype(np.float32),
              f"{s!r}: exact float32 fill")
        fast = b.fill(np.empty(n), start=start)
        finite = np.isfinite(window)
        _same(np.isfinite(fast), finite, f"{s!r}: fast fill finiteness")
        scale = max(peak, np.max(np.abs(window[finite]), initial=0.0))
        if finite.any() and np.max(np.abs(fast[finite] - window[finite])) > bound * np.spacing(scale):
            raise AssertionError(f"{s!r}: fast fill beyond {bound} ulp of the peak")
        if start == 0:
            _same(b.table(n, exact=True), window, f"{s!r}: table")
        results.append(np.concatenate([calls, window]))
    for other in results[1:]:
        finite = np.isfinite(results[0])
        _same(np.isfinite(other), finite, f"{s!r}: engines disagree on finiteness")
        scale = max(peak, np.max(np.abs(results[0][finite]), initial=0.0))
        gap = np.abs(other[finite] - results[0][finite])
        if gap.size and gap.max() > CROSS_ENGINE_ULP_OF_PEAK * np.spacing(scale):
            raise AssertionError(f"{s!r}: engines differ by {gap.max()!r} (scale {scale!r})")
        _same(other[~finite], results[0][~finite], f"{s!r}: non-finite values differ")
    return results


def _error(fn):
    try:
        fn()
    except (TypeError, ValueError) as exc:
        return type(exc), str(exc)
    return None


# ---------------------------------------------------------------- native

@given(s=schedules(), ts=st.lists(steps_st, min_size=1, max_size=12), start=steps_st, n=st.integers(0, 200))
def native(s, ts, start, n):
    _count("native")
    values = check_schedule(s, ts, start, n)[0][: len(ts)]
    probe = np.abs(s.table(2000))
    scale = float(probe[np.isfinite(probe)].max(initial=0.0)) or 1.0
    for t, got in zip(ts, values):
        want = reference_value(s, t)
        if not (got == want or abs(got - want) <= 1e-12 * scale):
            raise AssertionError(f"{s!r} at {t}: {got!r} != reference {want!r}")


@given(s=schedules(), child=schedules(), steps=st.integers(0, 3000), start=st.floats(0, 1),
       cut=st.integers(1, 5000), ts=st.lists(steps_st, min_size=1, max_size=8))
def combinators(s, child, steps, start, cut, ts):
    _count("combinators")
    for made in (fastlr.warmup(s, steps, start=start), fastlr.join([s, child], [cut]),
                 fastlr.join([fastlr.warmup(child, steps), s, child], [cut, cut + steps + 1])):
        values = check_schedule(made, ts, 0, 50)[0][: len(ts)]
        for t, got in zip(ts, values):
            want = reference_value(made, t)
            scale = max(abs(want), abs(got), 1e-300)
            if not (got == want or abs(got - want) <= 1e-12 * max(scale, 1.0)):
                raise AssertionError(f"{made!r} at {t}: {got!r} != reference {want!r}")


# ---------------------------------------------------------------- invalid input

WILD = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                 st.text(max_size=3), st.lists(st.integers(-5, 50), max_size=4))
NATIVE_FACTORIES = [getattr(fastlr, name) for name in fastlr.schedules.__all__]


@given(factory=st.sampled_from(NATIVE_FACTORIES), data=st.data())
def invalid_arguments(factory, data):
    _count("invalid_arguments")
    params = inspect.signature(factory).parameters
    kwargs = {name: data.draw(WILD, label=name) for name in params}
    try:
        s = factory(**kwargs)
    except (TypeError, ValueError):
        return
    check_schedule(s, [0, 1, 2**63 - 1], 0, 5)


BAD_STEPS = st.one_of(st.floats(allow_nan=True), st.text(max_size=2), st.none(), st.booleans(),
                      st.integers(max_value=-1), st.integers(min_value=2**63, max_value=2**90),
                      st.lists(st.floats(), max_size=3))


@given(bad=BAD_STEPS, start=BAD_STEPS)
def invalid_steps(bad, start):
    _count("invalid_steps")
    s = fastlr.warmup_cosine(1.0, 10, 100)
    outcomes = set()
    for engine in ENGINES.values():
        b = _spec.rebind(s, engine.Engine)
        out = np.full(4, -7.0)
        outcomes.add((_error(lambda: b(bad)), _error(lambda: b.fill(out, start=start)),
                      _error(lambda: b.at(bad))))
        if not np.all(out == -7.0):
            raise AssertionError("a rejected fill wrote to the array")
    if len(outcomes) != 1:
        raise AssertionError(f"engines disagree: {outcomes}")
    (call, fill, _), = outcomes
    if call is None or fill is None:
        raise AssertionError(f"accepted a bad step {bad!r} / start {start!r}")


ARRAYS = st.sampled_from(["int64", "float16", ">f8", "2d", "strided", "readonly", "misaligned", "0d"])


@given(kind=ARRAYS, n=st.integers(1, 20_000), f32=st.booleans(), start=st.integers(0, 2**62))
def invalid_arrays(kind, n, f32, start):
    _count("invalid_arrays")
    dtype = np.float32 if f32 else np.float64
    shape, kind_dtype = {"int64": (n, np.int64), "float16": (n, np.float16), ">f8": (n, ">f8"),
                         "2d": ((n, 2), dtype), "0d": ((), dtype)}.get(kind, (n, dtype))
    out = np.full(shape, -7, dtype=kind_dtype)  # a sentinel: any write shows
    if kind == "strided":
        out = np.full(2 * n + 2, -7, dtype=dtype)[::2]  # n + 1 >= 2 items: a 1-item view is contiguous
    elif kind == "readonly":
        out.flags.writeable = False
    elif kind == "misaligned":
        out = np.full(n * out.itemsize + 1, 0xC0, dtype=np.uint8)[1:].view(dtype)
    before = out.copy()
    errors = set()
    for engine in ENGINES.values():
        errors.add(_error(lambda: _spec.rebind(fastlr.noam(64), engine.Engine).fill(out, start=start)))
    if len(errors) != 1 or None in errors:
        raise AssertionError(f"{kind}: {errors}")
    _same(out.astype(np.float64), before.astype(np.float64), "rejected array was written")


SPECS = [s.to_dict() for s in __import__("_catalog").CATALOG.values()]


def _mutate(spec, rng: random.Random):
    spec = copy.deepcopy(spec)
    node = spec
    path = []
    while isinstance(node, dict) and node and rng.random() < 0.7:
        key = rng.choice(sorted(node))
        path.append(key)
        if not isinstance(node[key], (dict, list)) or not node[key]:
            break
        node = node[key] if isinstance(node[key], dict) else {"0": node[key][0]}
    choice = rng.randrange(5)
    target = spec
    for key in path[:-1]:
        target = target[key] if isinstance(target, dict) else target[0]
    if not isinstance(target, dict) or not path:
        return spec
    key = path[-1]
    if choice == 0:
        target.pop(key, None)
    elif choice == 1:
        target[key] = rng.choice([None, "x", 1.5, -3, [], {}, True, {"kind": "nope"}])
    elif choice == 2:
        target[key + "_extra"] = 1
    elif choice == 3 and isinstance(target.get(key), list):
        target[key] = list(reversed(target[key])) + [rng.choice([-1, 0.5, "a"])]
    else:
        target[key] = rng.choice([math.nan, math.inf, -1, 2**70, 0])
    return spec


@given(index=st.integers(0, len(SPECS) - 1), seed=st.integers(0, 2**32))
def edited_specs(index, seed):
    _count("edited_specs")
    spec = _mutate(SPECS[index], random.Random(seed))
    try:
        s = fastlr.from_dict(spec)
    except (TypeError, ValueError):
        return
    check_schedule(s, [0, 1, 1000, 2**63 - 1], 0, 5)


# ---------------------------------------------------------------- compat

def _perturb(value, rng: random.Random):
    if isinstance(value, bool):
        return value if rng.random() < 0.8 else (not value)
    if isinstance(value, int):
        return rng.choice([value, value + rng.randint(-3, 3), rng.randint(0, 2 * abs(value) + 10),
                           rng.randint(-5, 5)])
    if isinstance(value, float):
        return rng.choice([value, value * rng.uniform(0.1, 10.0), rng.uniform(0.0, 1.0), -value,
                           0.0, math.nan, math.inf]) if rng.random() < 0.9 else value
    if isinstance(value, list):
        return [_perturb(v, rng) for v in value]
    if isinstance(value, dict):
        if "name" in value and "args" in value:
            return {"name": value["name"], "args": _perturb(value["args"], rng)}
        return {k: _perturb(v, rng) for k, v in value.items()}
    return value


def _compat_cases():
    found = []
    for library in LIBRARIES:
        if library == "seed":
            continue
        for case in cases(library):
            if case.get("kind") != "metric":
                found.append((library, case))
    return found


COMPAT_CASES = _compat_cases()
PEER_EVERY = 50
NEAR_OVERFLOW = 1e300


def _peer_values(library, case, steps):
    try:
        import gen
        src = {"name": case["name"], "args": case["args"], "steps": {"list": steps}}
        entries = dict(gen.evaluate_case(library, src))
    except Exception:  # noqa: BLE001 - the peer rejected the arguments or is not installed
        return None
    entry = entries.get("")
    if entry is None or "values" not in entry or "raises_at_step" in entry:
        return None
    return entry["dtype"], [float(v) for v in entry["values"]]


@given(index=st.integers(0, len(COMPAT_CASES) - 1), seed=st.integers(0, 2**32),
       ts=st.lists(st.integers(0, 3000), min_size=1, max_size=10))
def compat(index, seed, ts):
    _count("compat")
    library, case = COMPAT_CASES[index]
    rng = random.Random(seed)
    perturbed = dict(case, args=_perturb(case["args"], rng) if rng.random() < 0.8 else case["args"])
    call = gen_call(library, perturbed)
    try:
        s = _build(call)
    except (TypeError, ValueError):
        return
    check_schedule(s, ts, rng.choice([0, rng.randint(0, 5000), 2**62]), rng.randint(0, 60))
    if seed % PEER_EVERY == 0:
        # a dense table from step 0, as the golden files hold: the rule's scale is its largest value
        steps = list(range(max(ts) + 1))
        peer = _peer_values(library, perturbed, steps)
        if peer is not None:
            dtype, want = peer
            want = np.array(want)
            got = _stepped(library, perturbed, s).at(steps)
            bad = mismatches({"dtype": dtype, "values": want.tolist()}, got)  # the golden rule
            bad = bad[np.isfinite(want[bad])]  # the peer's own NaN/inf are not compared here
            bad = bad[~((np.abs(want[bad]) > NEAR_OVERFLOW) & np.isinf(got[bad]))]  # documented: rate**e overflows first
            if bad.size:
                t = int(bad[0])
                raise AssertionError(f"{call} at {t}: {got[t]!r} != peer {want[t]!r}")
            COUNTS["compat-vs-peer"] = COUNTS.get("compat-vs-peer", 0) + 1


def _stepped(library, case, s):
    """The schedule to hold against the peer's own stepping: torch's recursive schedulers drift from
    their closed form (the default; docs/compat-torch-hf-timm.md), so take ``recursive=True`` there."""
    factory = getattr(getattr(fastlr.compat, library), case["name"], None)
    if library != "torch" or factory is None or "recursive" not in inspect.signature(factory).parameters:
        return s
    exact = dict(case, args={**case["args"], "recursive": True})
    return _build(gen_call(library, exact))


def _build(call: str) -> fastlr.Schedule:
    """Evaluate a compat call rendered by tests/golden/gen.py (trusted text from this repository)."""
    return eval(call, {"fastlr": fastlr, "inf": math.inf, "nan": math.nan})


def gen_call(library, case):
    import gen
    return gen.render_call(library, case["name"], case["args"])


TARGETS = {"native": native, "combinators": combinators, "invalid_arguments": invalid_arguments,
           "invalid_steps": invalid_steps, "invalid_arrays": invalid_arrays,
           "edited_specs": edited_specs, "compat": compat}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=10_000, help="total examples across targets")
    ap.add_argument("--targets", default=",".join(TARGETS), help="comma-separated subset")
    ap.add_argument("--seed", type=int, default=None)
    opts = ap.parse_args(argv)
    np.seterr(over="ignore")  # float32 casts of values beyond float32 range are inf, as fills give
    chosen = [t for t in opts.targets.split(",") if t]
    per_target = max(1, opts.examples // len(chosen))
    print(f"engines: {', '.join(ENGINES)}; {per_target} examples per target", flush=True)
    began = time.time()
    for name in chosen:
        test = TARGETS[name]
        run = settings(max_examples=per_target, deadline=None, database=None, derandomize=opts.seed is not None,
                       suppress_health_check=list(HealthCheck))(test)
        t0 = time.time()
        run()
        print(f"{name}: {COUNTS.get(name, 0)} examples, {time.time() - t0:.0f} s, no failure", flush=True)
    if "compat-vs-peer" in COUNTS:
        print(f"compat examples also checked against the real peer: {COUNTS['compat-vs-peer']}")
    print(f"total: {sum(v for k, v in COUNTS.items() if k in TARGETS)} examples in {time.time() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
