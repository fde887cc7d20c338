"""Test builders shared by the compat test modules of megatron, olmo and torchtitan."""

from __future__ import annotations

import numpy as np
import pytest

from _compat import check_case, check_round_trip, counts, ids, schedule_cases


def golden_tests(library: str):
    """The two golden tests of ``library`` (every case on every path of each engine; repr/to_dict round trips),
    to bind at module level: ``test_a, test_b = golden_tests("olmo")``."""
    cases = schedule_cases(library)

    @pytest.mark.parametrize("case", cases, ids=ids(cases))
    def test_golden_case_on_every_path(case, engine):
        check_case(case, engine)

    @pytest.mark.parametrize("case", cases, ids=ids(cases))
    def test_golden_case_round_trips(case):
        check_round_trip(case)

    return test_golden_case_on_every_path, test_golden_case_round_trips


def check_exact(library: str, engine, python_share: float) -> None:
    """Every case passes; every value is bit-exact on the compiled engine (the peers compute in Python floats
    and the kinds follow their operation order), at least ``python_share`` of them on the NumPy engine
    (whose vector pow may differ from libm's by an ulp)."""
    passed, total_cases, exact, within, total = counts(library, engine)
    print(f"{library} on {engine.name}: cases {passed}/{total_cases}, values exact {exact}, "
          f"within tolerance {within}, total {total}")
    assert passed == total_cases and within == total
    assert exact == total if engine.name == "cython" else exact >= python_share * total


def check_engines_agree(schedule, engines, n: int = 3000, ulps: int = 2) -> None:
    """Exact tables of both engines within ``ulps`` of the schedule's peak (NumPy's pow is not libm's)."""
    if len(engines) < 2:
        pytest.skip("only the NumPy engine is under test")
    a = engines[0].bind(schedule).table(n, exact=True)
    b = engines[1].bind(schedule).table(n, exact=True)
    assert np.max(np.abs(a - b)) <= ulps * np.spacing(np.max(np.abs(a)))
