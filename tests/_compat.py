"""Shared checks of compat schedules against the golden tables (both engines, bulk and per step)."""

from __future__ import annotations

import importlib.util
import json
import sys
import types

import numpy as np
import pytest

import fastlr
import fastlr.compat.timm  # noqa: F401  (register the compat factories)
import fastlr.compat.torch  # noqa: F401
import fastlr.compat.transformers  # noqa: F401

from _golden import cases, exact_count, is_nonsense, mismatches, values

REJECTED = (ValueError, TypeError)


def schedule_cases(library: str) -> list[dict]:
    return [c for c in cases(library) if c.get("kind") != "metric"]


def metric_cases(library: str) -> list[dict]:
    return [c for c in cases(library) if c.get("kind") == "metric"]


def ids(items: list[dict]) -> list[str]:
    return [c["id"] for c in items]


def build(case: dict):
    """The fastlr object for a case's ``call``; None where fastlr rejects a nonsense case."""
    if "raises" in case:
        with pytest.raises(REJECTED):
            eval(case["call"], {"fastlr": fastlr})
        return None
    try:
        return eval(case["call"], {"fastlr": fastlr})
    except REJECTED:
        if is_nonsense(case):
            return None
        raise


def evaluations(schedule: fastlr.Schedule, steps: np.ndarray) -> dict[str, np.ndarray]:
    """Values at ``steps`` through every path: table, fill, at, and s(k)."""
    n = int(steps.max()) + 1
    table = schedule.table(n)
    out = np.full(n - int(steps.min()), -1.0)
    schedule.fill(out, start=int(steps.min()))
    return {
        "table": table[steps],
        "fill": out[steps - int(steps.min())],
        "at": schedule.at(steps),
        "call": np.array([schedule(int(k)) for k in steps]),
    }


def check_case(case: dict, engine) -> None:
    """Every path on ``engine`` reproduces the case within the golden tolerance."""
    schedule = build(case)
    if schedule is None:
        return
    bound = engine.bind(schedule)
    steps = np.array(case["steps"], dtype=np.int64)
    for path, got in evaluations(bound, steps).items():
        bad = mismatches(case, got)
        assert bad.size == 0, (
            f"{case['id']} via {path}: {bad.size} of {steps.size} values off; first at step "
            f"{steps[bad[0]]}: got {got[bad[0]]!r}, want {values(case)[bad[0]]!r}")


def check_round_trip(case: dict) -> None:
    """repr evaluates back to an equal schedule; to_dict survives JSON and from_dict."""
    schedule = build(case)
    if schedule is None:
        return
    again = eval(repr(schedule), {"fastlr": fastlr})
    assert again == schedule
    spec = json.loads(json.dumps(schedule.to_dict()))
    rebuilt = fastlr.from_dict(spec)
    assert rebuilt == schedule
    steps = np.array(case["steps"], dtype=np.int64)
    np.testing.assert_array_equal(rebuilt.at(steps), schedule.at(steps))


def counts(library: str, engine=None) -> tuple[int, int, int, int, int]:
    """(cases passed, cases, exact values, values within tolerance, values) for one library."""
    passed = total_cases = exact = within = total = 0
    for case in schedule_cases(library):
        total_cases += 1
        try:
            schedule = build(case)
        except Exception:  # noqa: BLE001 - counted as a failure
            continue
        if schedule is None:
            passed += 1
            continue
        if engine is not None:
            schedule = engine.bind(schedule)
        steps = np.array(case["steps"], dtype=np.int64)
        got = schedule.at(steps)
        bad = mismatches(case, got).size
        passed += bad == 0
        exact += exact_count(case, got)
        within += steps.size - bad
        total += steps.size
    return passed, total_cases, exact, within, total


def timm_scheduler_module():
    """timm.scheduler, importable without torchvision (see tests/golden/gen.py)."""
    pytest.importorskip("torch", reason="timm schedulers run on torch")
    try:
        import timm.scheduler as scheduler
        return scheduler
    except Exception:  # noqa: BLE001 - `import timm` needs torchvision; the scheduler package does not
        spec = importlib.util.find_spec("timm")
        if spec is None:
            pytest.skip("timm is not installed (compares with the real timm schedulers)")
        for name in [m for m in sys.modules if m == "timm" or m.startswith("timm.")]:
            del sys.modules[name]
        package = types.ModuleType("timm")
        package.__path__ = list(spec.submodule_search_locations)
        sys.modules["timm"] = package
        import timm.scheduler as scheduler
        return scheduler
