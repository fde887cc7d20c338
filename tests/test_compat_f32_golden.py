"""fastlr.compat.keras, .tf_keras and .optax against the golden tables of the real peers.

Every visible case, on both engines, per step (``s(k)``) and in bulk
(``s.at``, ``s.fill`` into float64 and float32), under the golden tolerance
rule (tests/_golden.py). Also the seed's three TensorFlow schedules through
``fastlr.compat.tf_keras``. Constructors the peer rejects must raise
ValueError/TypeError; nonsense the peer accepts is reproduced or rejected.
"""

from __future__ import annotations

import numpy as np
import pytest

import fastlr
import _golden

LIBRARIES = ("keras", "tf_keras", "optax")
CASES = [c for lib in LIBRARIES for c in _golden.cases(lib)]
SEED = [c for c in _golden.cases("seed") if c["call"].startswith("fastlr.compat.tf_keras.")]


def build(case: dict) -> fastlr.Schedule:
    return eval(case["call"], {"fastlr": fastlr})


def check(case: dict, got: np.ndarray, how: str) -> None:
    bad = _golden.mismatches(case, got)
    if len(bad):
        i = bad[0]
        want = _golden.values(case)
        pytest.fail(f"{case['id']} [{how}]: {len(bad)}/{len(want)} values off the rule; first at "
                    f"step {case['steps'][i]}: got {got[i]!r}, want {want[i]!r}")


def filled(s: fastlr.Schedule, steps: np.ndarray, dtype: type) -> np.ndarray:
    lo, hi = int(steps.min()), int(steps.max())
    # two fills that split the range, so a fill starting mid-schedule is covered too
    out = np.full(hi - lo + 1, np.nan, dtype=dtype)
    half = len(out) // 2
    s.fill(out[:half], lo)
    s.fill(out[half:], lo + half)
    return out[steps - lo].astype(np.float64)


@pytest.mark.parametrize("case", [c for c in CASES if "raises" in c], ids=lambda c: c["id"])
def test_peer_rejection_is_a_validation_error(case):
    with pytest.raises((ValueError, TypeError)):
        build(case)


@pytest.mark.parametrize("case", [c for c in CASES if "raises" not in c], ids=lambda c: c["id"])
def test_golden_values(case, engine):
    s = engine.bind(build(case))
    steps = np.array(case["steps"], dtype=np.int64)
    check(case, np.array([s(int(k)) for k in steps]), "per step")
    check(case, s.at(steps), "at")
    check(case, filled(s, steps, np.float64), "fill float64")
    if case["dtype"] == "float32":
        check(case, filled(s, steps, np.float32), "fill float32")
    else:  # the peer's Python number, and its float32 rounding in a float32 table
        want = _golden.values(case)
        assert np.array_equal(filled(s, steps, np.float32), want.astype(np.float32).astype(np.float64))


@pytest.mark.parametrize("case", SEED, ids=lambda c: c["id"])
def test_seed_tensorflow_schedules(case, engine):
    s = engine.bind(build(case))
    steps = np.array(case["steps"], dtype=np.int64)
    check(case, s.table(len(steps), np.float32)[steps].astype(np.float64), "table float32")
    check(case, s.at(steps), "at")
    sample = steps[:: 997]
    check({**case, "steps": sample.tolist(), "values": [case["values"][i] for i in sample]},
          np.array([s(int(k)) for k in sample]), "per step")


def test_float32_values_are_mostly_bit_exact(engine):
    """At least 99% of the float32 golden values of each library are reproduced exactly."""
    for lib in LIBRARIES:
        exact = total = 0
        for case in _golden.cases(lib):
            if "raises" in case or case["dtype"] != "float32":
                continue
            s = engine.bind(build(case))
            exact += _golden.exact_count(case, s.at(np.array(case["steps"], dtype=np.int64)))
            total += len(case["steps"])
        assert exact >= 0.99 * total, f"{lib}: {exact}/{total} exact"


def test_tf_keras_nonsense_decay_steps_is_reproduced():
    nonsense = [c for c in _golden.cases("tf_keras") if "values" in c and _golden.is_nonsense(c)]
    assert len(nonsense) >= 5  # the decay_steps=0 cases: reproduced, not rejected
    for case in nonsense:
        got = build(case).at(np.array(case["steps"]))
        assert len(_golden.mismatches(case, got)) == 0, case["id"]
