"""Resuming a run with a changed schedule: fingerprints, diffs and explicit policies.

A checkpoint stores the schedule that produced it (adapters keep ``to_dict()`` and
:func:`fingerprint` in their state). When a run resumes at update ``step`` with a
schedule that differs, :func:`resume` builds the schedule to use from an explicit
policy instead of silently jumping to the new curve:

* ``"error"`` (the default): a ``ValueError`` that shows what changed;
* ``"keep"``: the new schedule at absolute steps (its boundaries as written), from
  ``step`` on;
* ``"retarget"``: the saved schedule's remaining phases stretched so that it ends
  where the new schedule ends (change the total length of a run mid-way);
* ``"continue"``: from the current value into the new schedule's shape (its current
  phase restarts from the value the run has reached).

The result is an ordinary schedule that records both schedules, the step and the
policy (``repr``, ``to_dict``, ``==``); before ``step`` it equals the saved one.
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from typing import Any

from . import _validate as check
from ._kinds import Kind
from ._lookup import constant_from
from ._spec import Schedule, Segment, clipped, evaluate, factory
from ._typing import ResumePolicy

__all__ = ["POLICIES", "fingerprint", "diff", "resume"]

POLICIES = ("error", "keep", "retarget", "continue")
_RAMPS = (Kind.LINEAR, Kind.COSINE, Kind.POLYNOMIAL, Kind.ONE_MINUS_SQRT)  # (start, end, steps, ...)


def fingerprint(schedule: Schedule) -> str:
    """A short stable digest of a schedule's spec (16 hex digits of SHA-256 of its canonical JSON).

    Equal schedules (``==``: same factory, same arguments with their types) have
    equal fingerprints, on every engine, platform and version that reads the spec.
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a fastlr schedule, got {type(schedule).__name__}")
    text = json.dumps(schedule.to_dict(), sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _differences(a: Any, b: Any, where: str) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        lines = []
        for key in sorted(set(a) | set(b), key=str):
            inner = f"{where}.{key}" if where else str(key)
            if key not in a:
                lines.append(f"{inner}: (unset) -> {b[key]!r}")
            elif key not in b:
                lines.append(f"{inner}: {a[key]!r} -> (unset)")
            else:
                lines.extend(_differences(a[key], b[key], inner))
        return lines
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [line for i, (x, y) in enumerate(zip(a, b)) for line in _differences(x, y, f"{where}[{i}]")]
    if a == b and type(a) is type(b):
        return []
    return [f"{where}: {a!r} -> {b!r}"]


def diff(saved: Schedule, new: Schedule) -> list[str]:
    """What changed between two schedules' specs, one ``path: old -> new`` line per difference."""
    return _differences(saved.to_dict(), new.to_dict(), "")


def _from(schedule: Schedule, step: int) -> list[Segment]:
    """``schedule``'s segments from ``step`` on, the one holding ``step`` restarted there from inside."""
    segments = schedule.segments()
    after = [seg for seg in segments if seg.start > step]
    current = [seg for seg in segments if seg.start <= step][-1]
    rate, offset = current.warp
    inside = current._replace(start=step, warp=(rate, offset + (step - current.start) * rate))
    return [inside] + after


def _stretched(segments: list[Segment], step: int, end: int, new_end: int) -> list[Segment]:
    """The segments of [step, end) (the first starting at ``step``) played over [step, new_end).

    New step ``t`` shows the old step ``x(t) = step + (t - step) * rho``, ``rho = (end - step) /
    (new_end - step)``; a segment starting at old step ``a`` starts at the first whole new
    step with ``x(t) >= a`` (exact integer arithmetic), and its warp maps the new local
    step to the old one.
    """
    old, new = end - step, new_end - step
    rho = old / new
    result = []
    for seg in segments:
        if seg.start >= end:
            break
        first = step + -(-(seg.start - step) * new // old)  # ceil, exactly
        rate, offset = seg.warp
        # old local step at new step t: (x(t) - seg.start) * rate + offset
        shift = (Fraction((first - step) * old, new) - (seg.start - step)) * Fraction(rate) + Fraction(offset)
        result.append(seg._replace(start=first, warp=(rho * rate, float(shift))))
    return result


def _reanchored(new: Schedule, step: int, value: float) -> list[Segment]:
    """``new`` from ``step`` on, its current phase restarted from ``value`` (continuity)."""
    current, *after = _from(new, step)
    if current.kind == Kind.CONSTANT and current.params[0] == value:
        return [current, *after]
    if current.kind not in _RAMPS or current.warp[0] != 1.0:
        raise ValueError(
            f"policy 'continue' needs the new schedule's phase at step {step} to be a ramp (linear, "
            f"cosine, polynomial or 1-sqrt), to restart it from the current value {value!r}; it is "
            f"{current.kind.name}{'' if current.warp[0] == 1.0 else ' (stretched)'}: use 'keep' or 'retarget'")
    length = current.params[2]
    done = current.warp[1]  # steps of the phase already behind `step`
    stop = after[0].start if after else step + int(length - done)
    params = (value, current.params[1], float(stop - step), *current.params[3:])
    return [Segment(current.kind, step, params)] + after


@factory("resume")
def resume(saved: Schedule, new: Schedule, step: int, policy: ResumePolicy = "error") -> list[Segment] | Schedule:
    r"""The schedule to resume a run with at update ``step``, by an explicit policy.

    Before ``step`` the result equals ``saved`` (what the run did). From ``step`` on:

    * ``"keep"``: :math:`s(t) = \mathrm{new}(t)`;
    * ``"retarget"``: :math:`s(t) = \mathrm{saved}\bigl(k + (t - k)\,\frac{E - k}{E' - k}\bigr)`
      for :math:`k \le t < E'`, then saved's final value, where :math:`k` = ``step`` and
      :math:`E`, :math:`E'` are the steps from which ``saved`` and ``new`` are constant:
      the rest of the run is stretched (or compressed) to the new total;
    * ``"continue"``: ``new``, with the phase that holds ``step`` (a ramp) restarted from
      :math:`\mathrm{saved}(k)` and ending where it ends in ``new``;
    * ``"error"``: a ``ValueError`` listing what changed (:func:`diff`).

    Equal schedules resume as ``saved`` under every policy.

    Parameters
    ----------
    saved : Schedule
        The schedule the checkpoint was trained with.
    new : Schedule
        The schedule asked for now.
    step : int
        Updates done when the checkpoint was saved (>= 0).
    policy : {"error", "keep", "retarget", "continue"}
        What to do when they differ.
    """
    for name, value in (("saved", saved), ("new", new)):
        if not isinstance(value, Schedule):
            raise TypeError(f"{name} must be a fastlr schedule, got {type(value).__name__}")
    k = check.integer("step", step)
    check.choice("policy", policy, POLICIES)
    if saved == new:
        return saved
    if policy == "error":
        changes = "\n  ".join(diff(saved, new))
        raise ValueError(f"the schedule differs from the one this checkpoint was saved with (at step {k}):\n  "
                         f"{changes}\nchoose a resume policy: 'keep' (the new schedule at absolute steps), "
                         "'retarget' (stretch the rest of the saved run to the new end) or 'continue' "
                         "(from the current value into the new shape)")
    head = clipped(saved.segments(), k)
    if policy == "keep":
        return head + _from(new, k)
    if policy == "continue":
        return head + _reanchored(new, k, evaluate(saved.program, k))
    end, new_end = constant_from(saved), constant_from(new)
    for name, value in (("saved", end), ("new", new_end)):
        if value is None:
            raise ValueError(f"policy 'retarget' needs the {name} schedule to end (become constant); "
                             f"{(saved if name == 'saved' else new)!r} never does")
    if k >= end:
        raise ValueError(f"policy 'retarget': the saved schedule ended at step {end} <= step {k}, "
                         "nothing is left to stretch (use 'keep' or 'continue')")
    if new_end <= k:
        raise ValueError(f"policy 'retarget': the new schedule ends at step {new_end} <= step {k}; "
                         "the run cannot end before it resumes")
    final = evaluate(saved.program, end)
    return head + _stretched(_from(saved, k), k, end, new_end) + [Segment(Kind.CONSTANT, new_end, (final,))]
