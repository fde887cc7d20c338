"""Every test that takes the ``engine`` fixture runs on both engines.

The compiled engine is *required* unless pure-Python mode was asked for
(``FASTLR_BACKEND=python`` or ``--backend=python``): a missing extension
fails the run instead of being skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import numpy as np
import pytest

import fastlr
from fastlr import _engine, _spec


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend", choices=("both", "python"), default=None,
        help="engines under test (default: python if FASTLR_BACKEND=python, else both)")


def _mode(config: pytest.Config) -> str:
    chosen = config.getoption("--backend")
    if chosen:
        return chosen
    return "python" if _engine.requested_backend() == "python" else "both"


def pytest_report_header(config: pytest.Config) -> str:
    engines = "python" if _mode(config) == "python" else "cython, python"
    return f"fastlr {fastlr.__version__}: BACKEND={fastlr.BACKEND}; engines under test: {engines}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _mode(config) != "python":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("compiled") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@dataclass(frozen=True)
class Backend:
    """One engine under test."""

    name: str
    module: ModuleType

    def bind(self, schedule: fastlr.Schedule) -> fastlr.Schedule:
        """The same schedule evaluated by this engine."""
        return _spec.rebind(schedule, self.module.Engine)


def _backend(name: str) -> Backend:
    engines = _engine.available_engines()
    if name not in engines:
        pytest.fail("the compiled engine (fastlr._engine_c) does not import; build it, "
                    "or run with FASTLR_BACKEND=python to test only the NumPy engine")
    return Backend(name, engines[name])


def compiled_engine() -> Backend:
    """The compiled engine, for tests marked ``compiled`` that only it can pass."""
    return _backend("cython")


@pytest.fixture(scope="session", params=[pytest.param("cython", marks=pytest.mark.compiled), "python"])
def engine(request: pytest.FixtureRequest) -> Backend:
    """Each engine in turn (the compiled one is marked ``compiled``)."""
    return _backend(request.param)


@pytest.fixture(scope="session")
def engines(request: pytest.FixtureRequest) -> list[Backend]:
    """Every engine under test, for differential checks."""
    if _mode(request.config) == "python":
        return [_backend("python")]
    return [_backend("cython"), _backend("python")]


@pytest.fixture
def sentinel() -> float:
    """A value no schedule produces: fill arrays with it to detect writes."""
    return -12345.678


def edge_steps(schedule: fastlr.Schedule, last: int | None = None) -> list[int]:
    """Step 0, every boundary +-1, ``last`` +-1, and far past the end."""
    marks = set(schedule.boundaries) | ({last} if last is not None else set())
    steps = {0, 1, 2}
    for b in marks:
        steps.update(x for x in (b - 1, b, b + 1) if x >= 0)
    top = max(marks, default=0)
    steps.update({top + 10, 10 * top + 7, 2**31 - 1, 2**31, 2**40 + 3})
    return sorted(steps)


FAR_STEPS = [2**53 - 1, 2**53, 2**53 + 1, 2**62, 2**63 - 2, 2**63 - 1]


def assert_same_bits(a: np.ndarray, b: np.ndarray) -> None:
    """Equal values bit for bit (every NaN equal to every NaN: sign and payload mean nothing)."""
    a, b = np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)
    a[np.isnan(a)] = np.nan
    b[np.isnan(b)] = np.nan
    assert a.shape == b.shape
    diff = np.flatnonzero(a.view(np.int64) != b.view(np.int64))
    assert diff.size == 0, f"{diff.size} values differ; first at {diff[0]}: {a[diff[0]]!r} vs {b[diff[0]]!r}"
