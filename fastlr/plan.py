"""A dry run of a training run's learning rates: where the phases fall, and whether the run fits.

:func:`plan` lays a schedule over a run described by a :class:`fastlr.Clock`
(batch size, accumulation, world size, data set size or steps per epoch,
``drop_last``, tokens per sample, ramp-up, and the run's length) and reports
the learning rate of every optimizer update, where each phase boundary falls
in updates, epochs, samples and tokens, and warns (:class:`PlanWarning`) when
the run stops before the schedule ends or runs on after it has ended.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._kinds import Kind
from ._spec import Schedule
from ._summary import summarize
from ._tables import replacing
from .clock import Clock
from .units import Quantity

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Plan", "PlanWarning", "Boundary", "plan"]

TABLE_CHUNK = 1 << 16  # rows written at a time by Plan.write_table


class PlanWarning(UserWarning):
    """The run and its schedule do not end together: a decay is cut, or a tail runs at the end value."""


@dataclass(frozen=True)
class Boundary:
    """A phase boundary of the schedule: the first step of a phase, placed on the run's clock."""

    step: int
    lr: float  # s(step): the first value of the new phase
    samples: int | None  # samples consumed before the step (None if the clock cannot tell)
    tokens: int | None
    epoch: float | None
    in_run: bool  # step < the run's number of updates


@dataclass(frozen=True)
class Plan:
    """What :func:`plan` found; ``str(plan)`` is the report ``fastlr plan`` prints."""

    schedule: Schedule
    clock: Clock
    updates: int  # optimizer updates of the run: steps 0 … updates - 1
    start_lr: float
    peak_lr: float
    peak_step: int
    end_lr: float  # s(updates - 1), the last value used
    boundaries: tuple[Boundary, ...]
    warnings: tuple[str, ...]

    def where(self, step: int) -> str:
        """``"step 3,815 (epoch 0.977, 976,640 samples, 2e+09 tokens)"``: a step on the clock."""
        return f"step {step:,}{_units(self.clock, step)}"

    def __str__(self) -> str:
        return render(self)

    def table(self) -> dict[str, np.ndarray]:
        """Per update: ``step``, ``lr`` and, where the clock can tell, ``samples``, ``tokens``, ``epoch``
        (consumed before the update). Arrays of length :attr:`updates`."""
        steps = np.arange(self.updates, dtype=np.int64)
        return _columns(self, steps, self.schedule.table(self.updates, exact=True))

    def write_table(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`table` as CSV (header ``step,lr,...``), in constant memory; returns the path."""
        path = Path(path)
        if path.suffix.lower() != ".csv":
            raise ValueError(f"the table file must end in .csv, got {str(path)!r}")
        buffer = np.empty(min(self.updates, TABLE_CHUNK))
        with replacing(path, "w") as f:
            f.write(",".join(_columns(self, np.zeros(0, np.int64), np.zeros(0))) + "\n")
            for lo in range(0, self.updates, TABLE_CHUNK):
                part = buffer[: min(TABLE_CHUNK, self.updates - lo)]
                self.schedule.fill(part, start=lo, exact=True)
                columns = _columns(self, np.arange(lo, lo + part.shape[0], dtype=np.int64), part)
                rows = zip(*(c.tolist() for c in columns.values()))
                f.write("".join(",".join(map(repr, row)) + "\n" for row in rows))
        return path

    def plot(self, ax: "Axes | None" = None, **kwargs: Any) -> "Axes":
        """Draw the schedule over the run (and up to its end, shaded past the run) with :func:`fastlr.plot`."""
        from .plot import plot as draw

        end = _end(self.schedule)
        steps = max(self.updates, end[0] + 1 if end else 0)
        ax = draw(self.schedule, steps=steps, ax=ax, **kwargs)
        if steps > self.updates:
            ax.axvspan(self.updates - 0.5, steps - 1, color="0.5", alpha=0.15, label="after the run")
            ax.legend(fontsize="small")
        ax.set_xlabel(f"step (the run: {self.updates:,} updates)")
        return ax


def _columns(p: Plan, steps: np.ndarray, lr: np.ndarray) -> dict[str, np.ndarray]:
    columns = {"step": steps, "lr": lr}
    if p.clock.global_batch is not None:
        columns["samples"] = p.clock.samples_before(steps)
        if p.clock.seq_len is not None:
            columns["tokens"] = columns["samples"] * p.clock.seq_len
    if p.clock.samples_per_epoch is not None or p.clock.steps_per_epoch is not None:
        columns["epoch"] = p.clock.epochs_before(steps)
    return columns


def _units(clock: Clock, step: int) -> str:
    parts = []
    if clock.samples_per_epoch is not None or clock.steps_per_epoch is not None:
        parts.append(f"epoch {clock.epochs_before(step):.4g}")
    if clock.global_batch is not None:
        parts.append(f"{clock.samples_before(step):,} samples")
        if clock.seq_len is not None:
            parts.append(f"{clock.tokens_before(step):.4g} tokens")
    return f" ({', '.join(parts)})" if parts else ""


def _end(s: Schedule) -> tuple[int, bool] | None:
    """``(step, decays)``: where the final constant phase begins and whether a ramp leads into it;
    None for a schedule whose last phase is a formula that runs forever (noam, restarts, ...)."""
    segments = s.segments()
    if len(segments) < 2 or segments[-1].kind != Kind.CONSTANT:
        return None
    return segments[-1].start, segments[-2].kind != Kind.CONSTANT


def _check_end(p: Plan) -> list[str]:
    end = _end(p.schedule)
    if end is None:
        return []
    step, decays = end
    s, n = p.schedule, p.updates
    beyond = sum(not b.in_run for b in p.boundaries)
    if decays and n < step:
        begun = p.schedule.segments()[-2].start
        done = max(0.0, (n - begun) / (step - begun))
        return [f"the run stops before the schedule ends: its last update is step {n - 1:,}, but the "
                f"decay reaches its final value {s(step):.6g} only at {p.where(step)}; the last "
                f"{step - n:,} steps of the decay are cut ({done:.1%} of it runs) and the final "
                f"learning rate is {s(n - 1):.6g}" + (f"; {beyond} phase boundaries fall after the run"
                                                      if beyond > 1 else "")]
    if decays and n > step:
        return [f"the schedule ends before the run does: it reaches its final value {s(step):.6g} at "
                f"{p.where(step)}, so the last {n - step:,} of {n:,} updates "
                f"({(n - step) / n:.1%}) train at that value"]
    if not decays and n <= step:
        return [f"the run stops before the schedule's last phase: it begins at {p.where(step)}, "
                f"after the run's last update (step {n - 1:,}), so its value {s(step):.6g} is never used"]
    return []


def plan(schedule: Schedule, clock: Clock | None = None, *, total: Quantity | int | None = None) -> Plan:
    r"""Lay ``schedule`` over a run and check that they end together.

    The run has :math:`N` optimizer updates, ``clock.to_steps(total)``; update
    :math:`n` (0-based) uses :math:`s(n)`. Let :math:`E` be the step where the
    schedule's final constant phase begins. If a decay leads into it, the run
    fits when :math:`N = E` (the decay's last step is the run's last update);
    :math:`N < E` cuts the decay (a :class:`PlanWarning` says how much) and
    :math:`N > E` trains the last :math:`N - E` updates at the end value (also
    a warning). If a step change leads into it (``multistep``,
    ``piecewise_constant``), only :math:`N \le E` warns: the last value is never
    used. A schedule whose last phase never ends (``noam``, ``cosine_restarts``)
    is not checked.

    Parameters
    ----------
    schedule : Schedule
        Any schedule; a :func:`fastlr.clocked` one brings its own clock.
    clock : Clock, optional
        The run's facts (default: the clock of a clocked ``schedule``).
    total : Quantity or int, optional
        The run's length, e.g. ``fastlr.epochs(3)`` or ``fastlr.tokens(1e11)``
        (an int is steps; default: ``clock.total``).

    Returns
    -------
    Plan
        The report; its ``warnings`` are also issued as :class:`PlanWarning`.
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a fastlr schedule, got {type(schedule).__name__}")
    if clock is None and schedule.name == "clocked":
        clock = schedule.args["clock"]
    if not isinstance(clock, Clock):
        raise TypeError(f"clock must be a fastlr.Clock (or schedule a clocked one), got {type(clock).__name__}")
    if total is None:
        total = clock.total
    if total is None:
        raise ValueError("the run's length is unknown: give total= (e.g. fastlr.epochs(3)) "
                         "or a clock with total=")
    if isinstance(total, Quantity) and total.unit == "fraction":
        raise ValueError("total must not be a fraction (a fraction of what?)")
    updates = clock.to_steps(total)
    if updates < 1:
        raise ValueError(f"the run must have at least one update, got total={total!r}")
    summary = summarize(schedule, updates)
    marks = []
    for b in schedule.boundaries:
        samples = clock.samples_before(b) if clock.global_batch is not None else None
        tokens = samples * clock.seq_len if samples is not None and clock.seq_len else None
        epoch = (clock.epochs_before(b) if clock.samples_per_epoch is not None
                 or clock.steps_per_epoch is not None else None)
        marks.append(Boundary(b, schedule(b), samples, tokens, epoch, b < updates))
    result = Plan(schedule, clock, updates, summary.first, summary.peak, summary.peak_step, summary.last,
                  tuple(marks), ())
    found = tuple(_check_end(result))
    for message in found:
        warnings.warn(message, PlanWarning, stacklevel=2)
    return dataclasses.replace(result, warnings=found)


def render(p: Plan, max_boundaries: int = 12, warnings: bool = True) -> str:
    """The text report of a plan (``warnings=False``: without the warning lines)."""
    c = p.clock
    lines = [f"schedule  {p.schedule!r}", f"clock     {c!r}",
             f"run       {p.updates:,} updates (steps 0 … {p.updates - 1:,}){_units(c, p.updates)}"]
    if c.rampup:
        ramp = c._stages
        assert ramp is not None
        lines.append(f"          global batch ramps up from {ramp.batch[0]:,} to {ramp.batch[-1]:,} samples "
                     f"over the first {ramp.steps[-1]:,} updates")
    elif c.global_batch is not None:
        per_epoch = f"; {c.steps_per_epoch:,} updates per epoch" if c.steps_per_epoch else ""
        lines.append(f"          {c.global_batch:,} samples per update{per_epoch}")
    lines.append(f"LR        start {p.start_lr:.6g} at step 0; peak {p.peak_lr:.6g} at step {p.peak_step:,}; "
                 f"end {p.end_lr:.6g} at step {p.updates - 1:,}")
    if p.boundaries:
        shown: list[Boundary | None] = list(p.boundaries)
        if len(shown) > max_boundaries:
            shown = shown[: max_boundaries // 2] + [None] + shown[-(max_boundaries // 2):]
        lines.append(f"phases    {len(p.boundaries)} boundar{'y' if len(p.boundaries) == 1 else 'ies'}:")
        for b in shown:
            lines.append("          …" if b is None else
                         f"          {p.where(b.step)} -> {b.lr:.6g}" + ("" if b.in_run else "  (after the run)"))
    else:
        lines.append("phases    none: one formula throughout")
    lines.extend(f"warning: {w}" for w in (p.warnings if warnings else ()))
    return "\n".join(lines)
