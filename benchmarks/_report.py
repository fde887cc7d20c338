"""Markdown tables whose figures can only come from measurements of the same run.

A timing or an error measured by a benchmark is a :class:`Measured` (a float
that remembers which measurements it came from); arithmetic on it gives a
plain float, so a figure computed from measurements goes through
:func:`derived`. :func:`fmt`, :func:`ratio` and :func:`cell` turn Measured
values into :class:`Cell` strings, and :func:`table` refuses, in every run:

- a value column cell that is not a Cell (a figure typed in, or copied from
  the docs), except the blanks ``""`` and ``"–"`` (nothing measured there);
- a value column with no figure at all;
- two rows of one column printing the same measurements (a constant column,
  or one row's figure reused for another row).

The first ``labels`` columns are labels (free text).
"""

from __future__ import annotations

import itertools
import math
import sys

_serial = itertools.count()
BLANKS = frozenset({"", "–"})


class Measured(float):
    """A figure measured in this run; ``sources`` identifies the measurements behind it."""

    sources: frozenset[int]

    def __new__(cls, value: float, sources: frozenset[int] | None = None) -> Measured:
        self = super().__new__(cls, value)
        self.sources = frozenset({next(_serial)}) if sources is None else sources
        return self


def _sources(parts: tuple[Measured, ...]) -> frozenset[int]:
    for p in parts:
        if not isinstance(p, Measured):
            raise TypeError(f"{p!r} is not a Measured figure of this run")
    return frozenset().union(*(p.sources for p in parts))


def derived(value: float, *parts: Measured) -> Measured:
    """``value``, computed from the measured ``parts`` only (plus constants of the setup)."""
    if not parts:
        raise TypeError("derived() needs the measurements the value comes from")
    return Measured(value, _sources(parts))


class Cell(str):
    """The printed text of measured figures; ``sources`` as in :class:`Measured`."""

    sources: frozenset[int]


def cell(text: str, *parts: Measured) -> Cell:
    """``text`` printed from the measured ``parts``."""
    if not parts:
        raise TypeError("cell() needs the measurements its text comes from")
    c = Cell(text)
    c.sources = _sources(parts)
    return c


def fmt(x: Measured | None) -> Cell | str:
    """Three significant figures (thousands separated); ``–`` when nothing was measured."""
    if x is None:
        return "–"
    _sources((x,))
    if not math.isfinite(x):
        return "–"
    return cell(f"{x:,.0f}" if x >= 100 else (f"{x:.1f}" if x >= 10 else f"{x:.2f}"), x)


def ratio(a: Measured | None, b: Measured | None, digits: int = 2) -> Cell | str:
    """``a / b`` as ``1.23×``; ``–`` when either is missing or zero."""
    if not a or not b or not math.isfinite(a / b):
        return "–"
    return cell(f"{a / b:.{digits}f}×", a, b)


def table(title: str, header: list[str], rows: list[list[str]], labels: int = 1) -> None:
    """Print a markdown table after checking that its figures are measured (module docstring)."""
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"table {title!r}: row {row[:labels]} has {len(row)} cells, "
                             f"the header {len(header)}")
    for j in range(labels, len(header)):
        seen: dict[frozenset[int], str] = {}
        for row in rows:
            value, name = row[j], " / ".join(row[:labels])
            if not isinstance(value, Cell):
                if value in BLANKS:
                    continue
                raise TypeError(f"table {title!r}, column {header[j]!r}, row {name!r}: "
                                f"{value!r} was not measured in this run")
            if value.sources in seen:
                raise ValueError(f"table {title!r}, column {header[j]!r}: rows {seen[value.sources]!r} "
                                 f"and {name!r} print the same measurement")
            seen[value.sources] = name
        if not seen:
            raise ValueError(f"table {title!r}, column {header[j]!r}: no row has a figure")
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()
