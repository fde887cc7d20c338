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


def test_summary_text_counts_what_it_prints():
    schedules = _demo.seed_schedules()
    text = _demo.summary_text(schedules)
    lines = text.splitlines()
    spark_rows = [line for line in lines if line.startswith("  ") and line.split()[0][0] in "▁▂▃▄▅▆▇█"]
    built = lines[lines.index("Built with:") + 1:]
    built = built[:built.index("")]
    golden_labels = {_label(case) for case in _golden.cases("seed")}
    golden_kinds = {case["name"] for case in _golden.cases("seed")}
    assert len(spark_rows) == len(built) == len(golden_labels) == 6
    assert lines[0].startswith(f"The founding blog post's {len(golden_kinds)} schedules, "
                               f"{len(golden_labels)} curves")


def test_summary_text_explains_the_shifted_keras_boundaries():
    (case,) = [c for c in _golden.cases("seed") if c["name"] == "PiecewiseConstantDecay"]
    keras = case["args"]["boundaries"]
    s = _demo.seed_schedules()[LABELS["PiecewiseConstantDecay"]]
    assert list(s.boundaries) == [b + 1 for b in keras]
    text = " ".join(_demo.summary_text(_demo.seed_schedules()).split())
    assert "changes value one step after each boundary" in text
    assert f"the post's boundaries {keras} become {list(s.boundaries)} here" in text


def test_figure_has_a_panel_per_schedule_and_one_with_every_curve():
    pytest.importorskip("matplotlib", reason="the demo's figure needs the plot extra")
    schedules = _demo.seed_schedules()
    fig = _demo.figure(schedules, steps=2000)
    axes = fig.get_axes()
    assert len(axes) == len(_demo.PANELS) + 1
    assert [len(ax.get_lines()) for ax in axes[:-1]] == [len(labels) for _, labels in _demo.PANELS]
    labels = [line.get_label() for line in axes[-1].get_lines()]
    assert labels == list(schedules)
