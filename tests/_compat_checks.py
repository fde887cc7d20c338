"""A check shared by the compat test modules of megatron, olmo and torchtitan (their golden cases run in
tests/test_golden.py)."""

from __future__ import annotations

import numpy as np
import pytest


def check_engines_agree(schedule, engines, n: int = 3000, ulps: int = 2) -> None:
    """Exact tables of both engines within ``ulps`` of the schedule's peak (NumPy's pow is not libm's)."""
    if len(engines) < 2:
        pytest.skip("only the NumPy engine is under test")
    a = engines[0].bind(schedule).table(n, exact=True)
    b = engines[1].bind(schedule).table(n, exact=True)
    assert np.max(np.abs(a - b)) <= ulps * np.spacing(np.max(np.abs(a)))
