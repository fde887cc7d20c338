"""The seed demo: the founding blog post's schedules, rebuilt from the native catalog,
match the golden values computed by TensorFlow and by the post's own formulas."""

from __future__ import annotations

import numpy as np
import pytest

import fastlr
from fastlr import _demo

import _golden

# golden case name -> label of the demo schedule that reproduces it
LABELS = {
    "CosineDecay": "CosineDecay(0.001, 4000)",
    "ExponentialDecay": "ExponentialDecay(0.001, 4000, 0.9)",
    "PiecewiseConstantDecay": "PiecewiseConstantDecay([10000, 20000, 30000], ...)",
    "warmup_inverse": "warmup 4000, then lr * warmup / step",
}


def _label(case: dict) -> str:
    if case["name"] == "noam":
        return f"Noam, d_model {case['args']['d_model']}"
    return LABELS[case["name"]]


def test_every_seed_case_has_a_demo_schedule():
    labels = {_label(case) for case in _golden.cases("seed")}
    assert labels == set(_demo.seed_schedules())


@pytest.mark.parametrize("case", _golden.cases("seed"), ids=_golden.case_ids("seed"))
def test_demo_schedules_match_the_seed(engine, case):
    s = engine.bind(_demo.seed_schedules()[_label(case)])
    assert case["steps"] == list(range(_demo.STEPS))
    # float64 cases: within 1e-12 of the peak; TensorFlow's float32 cases: the float32 rule
    dtypes = [np.float64] if case["dtype"] == "float64" else [np.float64, np.float32]
    for dtype in dtypes:
        got = s.table(_demo.STEPS, dtype)
        bad = _golden.mismatches(case, got)
        assert bad.size == 0, (f"{bad.size} steps outside the {case['dtype']} rule ({np.dtype(dtype).name} "
                               f"table); first at step {bad[0]}: {got[bad[0]]!r} vs {_golden.values(case)[bad[0]]!r}")


def test_demo_calls_match_the_golden_calls():
    """The cases that name a native fastlr call are built exactly with that call."""
    schedules = _demo.seed_schedules()
    for case in _golden.cases("seed"):
        if case["call"].startswith("fastlr.") and not case["call"].startswith("fastlr.compat"):
            assert schedules[_label(case)] == eval(case["call"], {"fastlr": fastlr})


def test_piecewise_switches_one_step_after_each_keras_boundary():
    s = _demo.seed_schedules()[LABELS["PiecewiseConstantDecay"]]
    assert [s(10000), s(10001), s(20000), s(20001), s(30000), s(30001)] == \
        [0.001, 0.0008, 0.0008, 0.0004, 0.0004, 0.0001]


def test_summary_text_reports_peaks_and_key_steps():
    text = _demo.summary_text(_demo.seed_schedules())
    rows = {line.split("  ")[0]: line for line in text.splitlines()}
    noam = rows["Noam, d_model 128"].split()
    peak = 128 ** -0.5 * 4000 ** -0.5
    assert float(noam[3]) == pytest.approx(peak, rel=1e-5) and noam[4] == "4,000"
    assert "s(39999)" in text and "Built with:" in text
    assert "fastlr.piecewise_constant(boundaries=[10001, 20001, 30001]" in text
