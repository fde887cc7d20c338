"""What a schedule does over a range of steps, in constant memory: numbers and a sparkline.

Used by ``fastlr show``, ``fastlr demo`` and :func:`fastlr.plot` (for the
default number of steps).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._lookup import constant_from
from ._spec import Schedule
from ._tables import Values, chunks

DEFAULT_STEPS = 10_000
"""Steps shown for a schedule that never becomes constant and has no phase boundary."""

SPARK = "▁▂▃▄▅▆▇█"


def end_of(s: Schedule) -> tuple[int, str] | None:
    """Where ``s`` ends, for a default range: ``(step, why)`` or None.

    The step from which it is constant (:func:`fastlr._lookup.constant_from`,
    which also knows the float32 peer kinds that clamp their step), else its
    last phase boundary, else None (a constant from step 0 counts as no end).
    """
    flat = constant_from(s)
    if flat:
        return flat, "where it becomes constant"
    if s.boundaries:
        return s.boundaries[-1], "its last phase boundary"
    return None


def default_steps(*schedules: Schedule) -> int:
    r"""Steps to show: the end (see :func:`end_of`) plus 10%, at least one more step.

    .. math:: n = e + \max(1, \lceil e / 10 \rceil)

    A schedule with no end (``noam``, ``exponential``, ``cyclic``,
    ``cosine_restarts``, ...) counts as :data:`DEFAULT_STEPS` = 10,000; with
    several schedules the longest wins.
    """
    def one(s: Schedule) -> int:
        end = end_of(s)
        if end is None:
            return DEFAULT_STEPS
        return end[0] + max(1, -(-end[0] // 10))

    return max((one(s) for s in schedules), default=DEFAULT_STEPS)


@dataclass
class Summary:
    """Numbers that describe ``s`` over steps ``start … start + steps - 1``."""

    start: int
    steps: int
    first: float
    last: float
    peak: float
    peak_step: int
    low: float
    low_step: int
    nans: int
    boundaries: list[tuple[int, float]] = field(default_factory=list)
    highs: list[float] = field(default_factory=list)  # max value per sparkline column (NaN: has a NaN)
    lows: list[float] = field(default_factory=list)  # min value per sparkline column

    @property
    def end(self) -> int:
        return self.start + self.steps - 1


def summarize(s: Schedule, steps: int, start: int = 0, width: int = 64) -> Summary:
    """Peak, minimum, first/last value, boundaries and per-column extremes, chunk by chunk.

    Values are the exact ones (``s(t)``, ``exact=True`` fills), so every
    number printed agrees with a call of the schedule.
    """
    if steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps}")
    width = max(1, min(width, steps))
    edges = np.array([j * steps // width for j in range(width + 1)], dtype=np.int64)
    highs, lows = np.full(width, -np.inf), np.full(width, np.inf)
    peak, peak_step, low, low_step, nans = -math.inf, start, math.inf, start, 0
    for lo, values in chunks(Values(s, steps, np.dtype(np.float64), start, True, None)):
        hi = lo + values.shape[0]
        finite = values[~np.isnan(values)]
        nans += values.shape[0] - finite.shape[0]
        if finite.shape[0]:
            masked_hi = np.where(np.isnan(values), -np.inf, values)
            masked_lo = np.where(np.isnan(values), np.inf, values)
            i, j = int(np.argmax(masked_hi)), int(np.argmin(masked_lo))
            if masked_hi[i] > peak:
                peak, peak_step = float(masked_hi[i]), start + lo + i
            if masked_lo[j] < low:
                low, low_step = float(masked_lo[j]), start + lo + j
        first_col = int(np.searchsorted(edges, lo, side="right")) - 1
        last_col = int(np.searchsorted(edges, hi - 1, side="right")) - 1
        cols = slice(first_col, last_col + 1)
        local = np.maximum(edges[cols], lo) - lo
        highs[cols] = np.maximum(highs[cols], np.maximum.reduceat(values, local))  # NaN propagates
        lows[cols] = np.minimum(lows[cols], np.minimum.reduceat(values, local))
    marks = [b for b in s.boundaries if start <= b <= start + steps - 1]
    return Summary(
        start=start, steps=steps, first=s(start), last=s(start + steps - 1),
        peak=peak, peak_step=peak_step, low=low, low_step=low_step, nans=nans,
        boundaries=[(b, s(b)) for b in marks], highs=highs.tolist(), lows=lows.tolist())


def scale(*rows: list[float]) -> tuple[float, float]:
    """The sparkline scale of ``rows``: from ``min(0, lowest)`` to the highest finite value."""
    values = np.array([v for row in rows for v in row], dtype=np.float64)
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    return min(0.0, float(finite.min())), float(finite.max())


def levels(values: list[float], low: float, high: float) -> list[int | None]:
    """Each value as a block level 0-7 on the scale ``low … high`` (None: not finite)."""
    span = high - low
    result: list[int | None] = []
    for v in values:
        if not math.isfinite(v):
            result.append(None)
        elif span <= 0:
            result.append(len(SPARK) // 2)
        else:
            level = round((v - low) / span * (len(SPARK) - 1))
            result.append(min(len(SPARK) - 1, max(0, level)))
    return result


def sparkline(buckets: list[float], low: float | None = None, high: float | None = None) -> str:
    """One block character per bucket, scaled from ``min(0, low)`` to ``high``.

    The scale starts at zero for non-negative schedules so that bar heights
    compare with the peak; ``?`` marks a bucket holding NaN or an infinity.
    """
    auto_low, auto_high = scale(buckets)
    marks = levels(buckets, auto_low if low is None else low, auto_high if high is None else high)
    return "".join("?" if m is None else SPARK[m] for m in marks)


def sparklines(summary: Summary) -> list[str]:
    """What ``fastlr show`` draws: each column's maximum, and, when it hides dips, its minimum.

    A column covers ``steps / width`` steps. Its character is the largest value
    among them, so a restart or a jump lands in one column at full height
    instead of being averaged into a middle one. When some column's smallest
    value lies two or more levels below its own maximum and both neighbours'
    (values that fall and rise again inside one column: cycles shorter than a
    column, which the maxima alone draw as a flat line), a second row draws
    each column's minimum on the same scale, so the two rows show the range
    each column spans.
    """
    low, high = scale(summary.highs, summary.lows)
    top, bottom = levels(summary.highs, low, high), levels(summary.lows, low, high)
    rows = [top]
    for i in range(1, len(top) - 1):
        near = [top[i - 1], top[i], top[i + 1]]
        dip = bottom[i]
        if dip is not None and None not in near and dip <= min(m for m in near if m is not None) - 2:
            rows.append(bottom)
            break
    return ["".join("?" if m is None else SPARK[m] for m in row) for row in rows]


def number(value: float) -> str:
    """A value as at most 6 significant digits."""
    return f"{value:.6g}"


def render(s: Schedule, summary: Summary, label: str | None = None, defaulted: bool = False,
           max_boundaries: int = 12) -> str:
    """The text ``fastlr show`` prints."""
    lines = [label or repr(s)]
    how = ""
    if defaulted:
        end = end_of(s)
        how = (f"; default: 10% past step {end[0]:,}, {end[1]}" if end else
               "; default for a schedule with no end")
    lines.append(f"  steps      {summary.start:,} … {summary.end:,}  ({summary.steps:,} steps{how})")
    lines.append(f"  step {summary.start:<6,}{number(summary.first)}")
    if math.isfinite(summary.peak):
        lines.append(f"  peak       {number(summary.peak)} at step {summary.peak_step:,}")
        lines.append(f"  min        {number(summary.low)} at step {summary.low_step:,}")
    if summary.nans:
        lines.append(f"  NaN        {summary.nans:,} steps")
    marks = summary.boundaries
    if marks:
        shown = marks if len(marks) <= max_boundaries else (
            marks[: max_boundaries // 2] + [None] + marks[-(max_boundaries // 2):])
        lines.append(f"  phases     {len(marks)} boundar{'y' if len(marks) == 1 else 'ies'} in range:")
        for item in shown:
            lines.append("               …" if item is None else
                         f"               step {item[0]:,} -> {number(item[1])}")
    lines.append(f"  end        {number(summary.last)} at step {summary.end:,}")
    rows = sparklines(summary)
    notes = ["  max per column", "  min per column"] if len(rows) == 2 else [""]
    lines.extend(f"  {row}{note}" for row, note in zip(rows, notes))
    left, right = f"{summary.start:,}", f"{summary.end:,}"
    lines.append(f"  {left}{' ' * max(1, len(rows[0]) - len(left) - len(right))}{right}")
    return "\n".join(lines)
