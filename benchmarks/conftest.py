"""pytest-benchmark suite (not part of ``pytest tests``): ``pytest benchmarks``.

CI runs it once with ``--benchmark-disable`` so that it cannot rot, after
``.ci/check_benchmarks.py`` checked that pytest collects every function taking
the ``benchmark`` fixture (modules ``test_bench_*.py``, functions ``test_*``);
numbers for the docs come from ``benchmarks/compare.py``. ``FASTLR_BENCH_N`` sets the
steps per bulk fill (default 1,000,000).
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
pytest.importorskip("pytest_benchmark", reason="the benchmark suite needs pytest-benchmark")

from _cases import Scratch, cases  # noqa: E402

from fastlr import _engine, _spec  # noqa: E402

N = int(os.environ.get("FASTLR_BENCH_N", "1000000"))
CASES = {case.name: case for case in cases(N)}
ENGINES = _engine.available_engines()


@pytest.fixture(scope="session")
def scratch64() -> Scratch:
    return Scratch(N)


@pytest.fixture(scope="session")
def scratch32() -> Scratch:
    return Scratch(N, np.float32)


@pytest.fixture(params=sorted(ENGINES))
def engine_name(request) -> str:
    return request.param


def bind(schedule, engine_name: str):
    return _spec.rebind(schedule, ENGINES[engine_name].Engine)
