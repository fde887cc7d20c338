"""Every benchmark under benchmarks/ is collected by pytest.

    python .ci/check_benchmarks.py          # from the repository root

A benchmark is a function or method of a benchmarks/*.py module that takes
pytest-benchmark's ``benchmark`` fixture (read from the source with ``ast``,
fixtures excepted). Each must yield at least one item when pytest collects
``benchmarks``: a module whose name ``python_files`` does not match, a function
that ``python_functions`` does not match, or a module that skips itself at
import all fail here instead of silently dropping out of the CI run.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


def _takes_benchmark(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    a = fn.args
    names = {arg.arg for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs)}
    is_fixture = any("fixture" in ast.unparse(d) for d in fn.decorator_list)
    return "benchmark" in names and not is_fixture


def declared() -> set[tuple[str, str]]:
    """(module path, qualified name) of every benchmark in the sources."""
    found = set()
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for path in sorted(BENCH.glob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        for node in ast.parse(path.read_text(), str(path)).body:
            if isinstance(node, functions) and _takes_benchmark(node):
                found.add((module, node.name))
            elif isinstance(node, ast.ClassDef):
                found.update((module, f"{node.name}.{m.name}") for m in node.body
                             if isinstance(m, functions) and _takes_benchmark(m))
    return found


class _Collected:
    """A pytest plugin recording every collected item, before any deselection."""

    def __init__(self) -> None:
        self.items: set[tuple[str, str]] = set()

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        name = getattr(item, "originalname", item.name)
        cls = getattr(item, "cls", None)
        self.items.add((item.path.relative_to(ROOT).as_posix(), f"{cls.__name__}.{name}" if cls else name))


def main() -> int:
    want = declared()
    if not want:
        print(f"check_benchmarks: no function in {BENCH} takes the benchmark fixture", file=sys.stderr)
        return 1
    plugin = _Collected()
    code = pytest.main([str(BENCH), "--collect-only", "-qq", "-p", "no:cacheprovider"], plugins=[plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        print(f"check_benchmarks: collecting {BENCH} failed (pytest exit {int(code)})", file=sys.stderr)
        return 1
    missing = sorted(want - plugin.items)
    for module, name in missing:
        print(f"check_benchmarks: {module}::{name} takes `benchmark` but pytest does not collect it "
              "(name it test_*.py / test_*, and skip inside the test, not at import)", file=sys.stderr)
    if not missing:
        print(f"check_benchmarks: all {len(want)} benchmarks of {len({m for m, _ in want})} modules collected")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
