"""What a schedule does over a range of steps, in constant memory: numbers and a sparkline.

Used by ``fastlr show``, ``fastlr demo`` and :func:`fastlr.plot` (for the
default number of steps).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._spec import Schedule
from ._tables import chunks

DEFAULT_STEPS = 10_000
"""Steps shown for a schedule with no phase boundary (no end): noam, exponential, cyclic, ..."""

SPARK = "▁▂▃▄▅▆▇█"


def default_steps(*schedules: Schedule) -> int:
    """Steps to show: the last phase boundary plus 10% (at least one more step).

    A schedule with no boundary (one formula forever, e.g. ``noam``,
    ``exponential``, ``cyclic``, ``cosine_restarts``) counts as
    :data:`DEFAULT_STEPS` = 10,000; with several schedules the longest wins.
    """
    def one(s: Schedule) -> int:
        if not s.boundaries:
            return DEFAULT_STEPS
        last = s.boundaries[-1]
        return last + max(1, -(-last // 10))

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
    buckets: list[float] = field(default_factory=list)  # mean value per sparkline column

    @property
    def end(self) -> int:
        return self.start + self.steps - 1


def summarize(s: Schedule, steps: int, start: int = 0, width: int = 64) -> Summary:
    """Peak, minimum, first/last value, boundaries and sparkline buckets, chunk by chunk."""
    if steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps}")
    width = max(1, min(width, steps))
    edges = np.array([j * steps // width for j in range(width + 1)], dtype=np.int64)
    sums = np.zeros(width)
    counts = np.diff(edges).astype(np.float64)
    peak, peak_step, low, low_step, nans = -math.inf, start, math.inf, start, 0
    for lo, values in chunks(s, steps, np.float64, start):
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
        first_bucket = int(np.searchsorted(edges, lo, side="right")) - 1
        last_bucket = int(np.searchsorted(edges, hi - 1, side="right")) - 1
        local = np.maximum(edges[first_bucket:last_bucket + 1], lo) - lo
        sums[first_bucket:last_bucket + 1] += np.add.reduceat(values, local)
    marks = [b for b in s.boundaries if start <= b <= start + steps - 1]
    return Summary(
        start=start, steps=steps, first=s(start), last=s(start + steps - 1),
        peak=peak, peak_step=peak_step, low=low, low_step=low_step, nans=nans,
        boundaries=[(b, s(b)) for b in marks], buckets=(sums / counts).tolist())


def sparkline(buckets: list[float], low: float | None = None, high: float | None = None) -> str:
    """One block character per bucket, scaled from ``min(0, low)`` to ``high``.

    The scale starts at zero for non-negative schedules so that bar heights
    compare with the peak; ``?`` marks a bucket holding NaN.
    """
    values = np.array(buckets, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if low is None:
        low = min(0.0, float(finite.min())) if finite.size else 0.0
    if high is None:
        high = float(finite.max()) if finite.size else 1.0
    span = high - low
    chars = []
    for v in values.tolist():
        if not math.isfinite(v):
            chars.append("?")
        elif span <= 0:
            chars.append(SPARK[len(SPARK) // 2])
        else:
            level = round((v - low) / span * (len(SPARK) - 1))
            chars.append(SPARK[min(len(SPARK) - 1, max(0, level))])
    return "".join(chars)


def number(value: float) -> str:
    """A value as at most 6 significant digits."""
    return f"{value:.6g}"


def render(s: Schedule, summary: Summary, label: str | None = None, defaulted: bool = False,
           max_boundaries: int = 12) -> str:
    """The text ``fastlr show`` prints."""
    lines = [label or repr(s)]
    how = "; default: last boundary + 10%" if defaulted and s.boundaries else (
        "; default for a schedule with no boundary" if defaulted else "")
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
    spark = sparkline(summary.buckets)
    lines.append(f"  {spark}")
    left, right = f"{summary.start:,}", f"{summary.end:,}"
    lines.append(f"  {left}{' ' * max(1, len(spark) - len(left) - len(right))}{right}")
    return "\n".join(lines)
