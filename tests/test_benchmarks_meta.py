"""The benchmark reports print only what they measured, and still run.

``benchmarks/_report.py`` checks every table at print time (a figure that is
not a measurement of the run, or one measurement printed on two rows of a
column, raises); these tests check that guard, then run ``compare.py`` and
``compare_adapters.py`` in their ``--quick`` mode and read the printed
markdown back. They assert structure, never timings.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import fastlr

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
if not (BENCH / "_report.py").is_file():
    pytest.skip("the benchmarks/ directory is not next to tests/ (an sdist or an installed copy)",
                allow_module_level=True)

FIGURE = re.compile(r"^-?[\d,]+(\.\d+)?(e[+-]\d+)?×?( ulp32\(peak\)| \(.+\))?$")


@pytest.fixture
def report(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import _report
    return _report


def parse_tables(text: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Markdown tables by title: (header, rows)."""
    tables: dict[str, tuple[list[str], list[list[str]]]] = {}
    title = None
    for line in text.splitlines():
        if line.startswith("### "):
            title = line[4:]
            tables[title] = ([], [])
        elif line.startswith("|") and title is not None:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            header, rows = tables[title]
            if not header:
                header.extend(cells)
            elif set(line) - set("|-"):
                rows.append(cells)
    return tables


def by_letter(tables: dict) -> dict[str, tuple[list[str], list[list[str]]]]:
    return {title.split(".", 1)[0]: table for title, table in tables.items() if re.match(r"[A-F]\. ", title)}


def assert_well_formed(header: list[str], rows: list[list[str]], labels: int) -> None:
    """Every row as wide as the header; every value cell a figure or blank; no column blank throughout."""
    assert rows, header
    for row in rows:
        assert len(row) == len(header), (header, row)
        for value in row[labels:]:
            assert value in ("", "–") or FIGURE.match(value), (header, row, value)
    for j in range(labels, len(header)):
        assert any(FIGURE.match(row[j]) for row in rows), f"column {header[j]!r} has no figure"


def run_script(*args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(Path(fastlr.__file__).resolve().parent.parent))
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


# ------------------------------------------------------------ the guard


def test_table_prints_measured_figures_and_blanks(report, capsys):
    a, b = report.Measured(3.0), report.Measured(1.5)
    report.table("T", ["name", "ns", "ratio"], [["x", report.fmt(a), report.ratio(a, b)],
                                                ["y", report.fmt(b), ""]])
    header, rows = parse_tables(capsys.readouterr().out)["T"]
    assert header == ["name", "ns", "ratio"]
    assert rows == [["x", "3.00", "2.00×"], ["y", "1.50", ""]]


def test_table_refuses_a_figure_typed_in(report):
    a = report.Measured(3.0)
    with pytest.raises(TypeError, match="'ns', row 'y': '2.5' was not measured"):
        report.table("T", ["name", "ns"], [["x", report.fmt(a)], ["y", "2.5"]])


def test_table_refuses_one_measurement_on_two_rows(report):
    a, b = report.Measured(3.0), report.Measured(1.0)
    with pytest.raises(ValueError, match="rows 'x' and 'y' print the same measurement"):
        report.table("T", ["name", "ns", "dev"], [["x", report.fmt(a), report.fmt(a)],
                                                  ["y", report.fmt(b), report.fmt(a)]])


def test_table_refuses_a_column_without_figures(report):
    with pytest.raises(ValueError, match="column 'dev': no row has a figure"):
        report.table("T", ["name", "ns", "dev"], [["x", report.fmt(report.Measured(1.0)), "–"]])


def test_table_refuses_a_short_row(report):
    with pytest.raises(ValueError, match="2 cells, the header 3"):
        report.table("T", ["name", "ns", "dev"], [["x", report.fmt(report.Measured(1.0))]])


def test_figures_need_measurements(report):
    m = report.Measured(2.0)
    assert type(m * 2) is float  # arithmetic drops the provenance: derived() must name it
    with pytest.raises(TypeError, match="not a Measured"):
        report.fmt(4.0)
    with pytest.raises(TypeError, match="not a Measured"):
        report.ratio(m, 4.0)
    with pytest.raises(TypeError, match="needs the measurements"):
        report.derived(4.0)
    d = report.derived(m * 2, m)
    assert d == 4.0 and d.sources == m.sources
    assert report.Measured(1.0).sources != m.sources
    assert report.fmt(None) == "–" and report.ratio(m, report.Measured(0.0)) == "–"


# ------------------------------------------------------------ the scripts


@pytest.mark.compiled
def test_compare_quick_prints_every_table_from_measurements(monkeypatch):
    out = run_script(str(BENCH / "compare.py"), "--quick", "--threads-sweep", "--save", "100000")
    tables = by_letter(parse_tables(out))
    assert list(tables) == ["A", "B", "C", "D", "E", "F"]
    labels = {"A": 2, "C": 3}
    for letter, (header, rows) in tables.items():
        assert_well_formed(header, rows, labels.get(letter, 1))
    monkeypatch.syspath_prepend(str(BENCH))
    from _cases import cases
    all_cases = cases(50_000)
    names = [case.name for case in all_cases]
    assert [row[0] for row in tables["B"][1]] == names
    assert [row[0] for row in tables["D"][1]][:len(names)] == names
    assert [tuple(row[:3]) for row in tables["C"][1] if row[1] == "float64"] == [
        (case.name, "float64", form) for case in all_cases for form in case.forms]
    a_rows = tables["A"][1]
    assert {row[0] for row in a_rows} == {"float64", "float32"}
    assert sum(row[1].startswith("NumPy ") for row in a_rows) == len(all_cases[0].forms) + len(all_cases[0].forms32)


def test_compare_adapters_quick_prints_measured_tables():
    # the loop section only: the frameworks' imports alone take seconds (the pytest-benchmark
    # suite, run by .ci/run, covers the adapters' paths)
    out = run_script(str(BENCH / "compare_adapters.py"), "--quick", "--only", "loop")
    (title, (header, rows)), = parse_tables(out).items()
    assert title.startswith("plain Python loop") and len(rows) == 4
    assert_well_formed(header, rows, 1)
