"""fastlr.plot: curves, labels, boundaries, options; matplotlib imported only when called."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import fastlr


@pytest.fixture
def ax():
    pytest.importorskip("matplotlib", reason="fastlr.plot needs the plot extra")
    from matplotlib.figure import Figure

    return Figure().subplots()


def _curves(ax):
    return [line for line in ax.get_lines() if len(line.get_xdata()) > 2]


def _vlines(ax):
    return [line for line in ax.get_lines() if line.get_linestyle() == ":"]


def test_curve_is_the_schedule_step_by_step(engine, ax):
    s = engine.bind(fastlr.warmup_cosine(peak=1e-3, warmup_steps=100, total_steps=1000))
    assert fastlr.plot(s, steps=1200, ax=ax) is ax
    (line,) = _curves(ax)
    assert np.array_equal(line.get_xdata(), np.arange(1200))
    assert np.array_equal(line.get_ydata(), s.table(1200, exact=True))  # the curve is s(t), exactly
    assert sorted(v.get_xdata()[0] for v in _vlines(ax)) == [100, 1000]
    assert ax.get_xlim() == (0, 1199)


def test_overlay_legend_from_dict_and_default_steps(ax):
    schedules = {"cos": fastlr.cosine(1.0, 100), "pw": fastlr.piecewise_constant([50, 300], [1.0, 0.5, 0.1])}
    fastlr.plot(schedules, ax=ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cos", "pw"]
    assert [len(line.get_xdata()) for line in _curves(ax)] == [330, 330]  # 300 + 10%
    colours = {line.get_color() for line in _curves(ax)}
    assert {v.get_color() for v in _vlines(ax)} <= colours


def test_default_labels_are_the_reprs(ax):
    fastlr.plot([fastlr.noam(512)], ax=ax, steps=10)
    assert ax.get_legend().get_texts()[0].get_text() == "noam(d_model=512, warmup_steps=4000, scale=1.0)"


def test_start_log_labels_and_no_boundaries(ax):
    s = fastlr.exponential(1.0, 0.5, 10)
    fastlr.plot([s, fastlr.cosine(1.0, 100)], steps=50, start=20, ax=ax, log=True, labels=["a", "b"],
                boundaries=False, legend=True, linewidth=3)
    line = _curves(ax)[0]
    assert np.array_equal(line.get_xdata(), np.arange(20, 70))
    assert line.get_linewidth() == 3
    assert ax.get_yscale() == "log" and _vlines(ax) == []
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_long_ranges_are_sampled_keeping_every_jump(ax):
    s = fastlr.piecewise_constant([123_457, 765_433], [3.0, 2.0, 1.0])
    fastlr.plot(s, steps=1_000_000, ax=ax, max_points=1000)
    x = _curves(ax)[0].get_xdata()
    assert len(x) <= 1004 and x[0] == 0 and x[-1] == 999_999
    assert {123_456, 123_457, 765_432, 765_433} <= set(x.tolist())
    assert np.array_equal(_curves(ax)[0].get_ydata(), s.at(x))


def test_many_boundaries_are_not_marked(ax):
    s = fastlr.multistep(1.0, list(range(10, 1000, 10)), gamma=0.99)
    fastlr.plot(s, steps=1000, ax=ax)
    assert _vlines(ax) == []


def test_without_ax_draws_on_a_new_pyplot_figure():
    matplotlib = pytest.importorskip("matplotlib", reason="fastlr.plot needs the plot extra")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = fastlr.plot(fastlr.cosine(1.0, 10))
    try:
        assert len(_curves(ax)) == 1
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("args, kwargs, error, message", [
    ([], {}, ValueError, "at least one schedule"),
    ([lambda t: 1.0], {}, TypeError, r"schedules\[0\] must be a fastlr schedule"),
    (fastlr.constant(1.0), {"labels": ["a", "b"]}, ValueError, "labels must have one item per schedule"),
    (fastlr.constant(1.0), {"steps": 0}, ValueError, "steps must be a positive integer"),
    (fastlr.constant(1.0), {"start": -1}, ValueError, "start must be a non-negative integer"),
    (fastlr.constant(1.0), {"steps": 10, "start": 2**63 - 2}, ValueError, "at most 2"),
    ("cosine(1, 10)", {}, TypeError, "schedules must be a schedule"),
])
def test_bad_arguments(ax, args, kwargs, error, message):
    with pytest.raises(error, match=message):
        fastlr.plot(args, ax=ax, **kwargs)


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'fastlr-schedules\[plot\]'"):
        fastlr.plot(fastlr.constant(1.0))


def test_import_fastlr_does_not_import_matplotlib_and_plot_stays_a_function():
    code = ("import sys, fastlr, fastlr.plot, fastlr.cli; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'; "
            "assert callable(fastlr.plot) and fastlr.plot.__name__ == 'plot', fastlr.plot; "
            "from fastlr.plot import plot; assert plot is fastlr.plot")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
