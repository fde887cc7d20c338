"""Plotting schedules with matplotlib (the ``plot`` extra), imported only when called."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence, Union

import numpy as np

from . import _validate
from ._dist import pip_install
from ._spec import Schedule
from ._summary import default_steps

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot"]

MAX_POINTS = 100_000
"""Ranges up to this many steps are drawn step by step; longer ones are sampled."""
MAX_MARKS = 50
"""A schedule with more phase boundaries in range than this gets no boundary lines."""

Schedules = Union[Schedule, Sequence[Schedule], Mapping[str, Schedule]]


def _require_matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("fastlr.plot needs matplotlib, which is not installed: "
                          + pip_install("plot")) from exc
    return matplotlib


def _labelled(schedules: Schedules, labels: Sequence[str] | None) -> list[tuple[str, Schedule]]:
    if isinstance(schedules, Schedule):
        items = [schedules]
        names = None
    elif isinstance(schedules, Mapping):
        items, names = list(schedules.values()), [str(k) for k in schedules]
    elif isinstance(schedules, (list, tuple)):
        items, names = list(schedules), None
    else:
        raise TypeError("schedules must be a schedule, a list of schedules or a dict of them, "
                        f"got {type(schedules).__name__}")
    if not items:
        raise ValueError("schedules must hold at least one schedule, got none")
    for i, s in enumerate(items):
        if not isinstance(s, Schedule):
            raise TypeError(f"schedules[{i}] must be a fastlr schedule, got {type(s).__name__}")
    if labels is not None:
        labels = [str(x) for x in labels]
        if len(labels) != len(items):
            raise ValueError(f"labels must have one item per schedule ({len(items)}), got {len(labels)}")
        names = labels
    if names is None:
        names = [_short(repr(s)) for s in items]
    return list(zip(names, items))


def step_label(x: float, _pos: object = None) -> str:
    """Compact step tick labels: 40000 -> '40k', 2500000 -> '2.5M'."""
    for scale, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= scale:
            return f"{x / scale:.4g}{suffix}"
    return f"{x:.4g}"


def _short(text: str, limit: int = 70) -> str:
    text = text.removeprefix("fastlr.")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sample_steps(s: Schedule, steps: int, start: int, max_points: int) -> np.ndarray:
    """Every step of the range, or ``max_points`` evenly spaced ones plus each boundary and
    the step before it (so jumps stay sharp)."""
    stop = start + steps
    if steps <= max_points:
        return np.arange(start, stop, dtype=np.int64)
    grid = np.unique(np.linspace(start, stop - 1, max_points).round().astype(np.int64))
    marks = np.array([b for b in s.boundaries if start <= b < stop], dtype=np.int64)
    extra = np.concatenate([marks, np.maximum(marks - 1, start)])
    return np.unique(np.concatenate([grid, extra]))


def plot(schedules: Schedules, steps: int | None = None, ax: "Axes | None" = None, *,
         start: int = 0, labels: Sequence[str] | None = None, log: bool = False,
         boundaries: bool = True, max_points: int = MAX_POINTS, legend: bool = True,
         **line_kwargs: Any) -> "Axes":
    """Draw one or more schedules against the step, with a legend and phase boundaries.

    Each schedule ``s`` is drawn as the curve :math:`(t, s(t))` for
    :math:`t = \\mathrm{start}, \\ldots, \\mathrm{start} + \\mathrm{steps} - 1`;
    a dotted vertical line in the curve's colour marks each step where a new
    phase begins (``s.boundaries``).

    Parameters
    ----------
    schedules : Schedule, list of Schedule, or dict of str to Schedule
        What to draw; a dict's keys are the legend labels.
    steps : int, optional
        Number of steps to draw. Default: the last phase boundary plus 10% of
        the longest schedule (10,000 for a schedule with no boundary).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new figure from ``matplotlib.pyplot``.
    start : int
        First step drawn (>= 0).
    labels : list of str, optional
        Legend labels (default: the dict keys, or each schedule's ``repr``).
    log : bool
        Logarithmic value axis (zeros are left out of the curve).
    boundaries : bool
        Mark phase boundaries (skipped for a schedule with more than 50 in range).
    max_points : int
        Ranges longer than this are sampled at ``max_points`` evenly spaced
        steps plus every boundary and the step before it.
    legend : bool
        Draw a legend.
    **line_kwargs
        Passed to ``Axes.plot`` for every curve (e.g. ``linewidth``).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ImportError
        If matplotlib is not installed (``pip install 'fastlr-schedules[plot]'``).
    """
    _require_matplotlib()
    items = _labelled(schedules, labels)
    count = default_steps(*(s for _, s in items)) if steps is None else _validate.integer("steps", steps, 1)
    first = _validate.step(start, "start")
    points = _validate.integer("max_points", max_points, 2)
    if first + count - 1 > _validate.INT64_MAX:
        raise ValueError(f"start + steps - 1 must be at most 2**63 - 1, got {first + count - 1}")
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    for label, s in items:
        x = sample_steps(s, count, first, points)
        (line,) = ax.plot(x, s.at(x), label=label, **line_kwargs)
        marks = [b for b in s.boundaries if first <= b < first + count]
        if boundaries and 0 < len(marks) <= MAX_MARKS:
            for b in marks:
                ax.axvline(b, color=line.get_color(), linestyle=":", linewidth=0.8, alpha=0.6)
    if count > 1:
        ax.set_xlim(first, first + count - 1)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(step_label))
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    if log:
        ax.set_yscale("log")
    if legend:
        ax.legend(fontsize="small")
    return ax
