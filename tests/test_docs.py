"""The documentation builds with warnings as errors (Sphinx + numpydoc + myst-parser).

The exact command CI runs from the repository root:
    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


pytestmark = pytest.mark.slow  # one Sphinx build, about 10 s of CPU


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    for module in ("sphinx", "numpydoc", "myst_parser", "matplotlib"):
        pytest.importorskip(module, reason="the docs build needs sphinx, numpydoc, myst-parser, matplotlib")
    if not DOCS.is_dir():
        pytest.skip("no docs/ folder next to tests/ (an installed-package test run)")
    root = tmp_path_factory.mktemp("docs")
    source = root / "src"
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns("_build", "_generated"))
    # pages other parts of the project add must join the toctrees when present
    (source / "compat-zz-docs-test.md").write_text("# Migration test page\n\nA table.\n")
    if not (source / "performance.md").exists():
        (source / "performance.md").write_text("# Performance test page\n\nNumbers.\n")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                             str(source), str(root / "html")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "html"


def test_every_factory_is_in_the_catalog_with_a_figure(built):
    import fastlr.schedules

    page = (built / "catalog.html").read_text()
    for name in fastlr.schedules.__all__:
        assert f'id="fastlr.{name}"' in page, name
        assert (built / "_images" / f"{name}.svg").stat().st_size > 1000, name


def test_reference_pages(built):
    api = (built / "api.html").read_text()
    assert 'id="fastlr.plot"' in api and 'id="fastlr.Schedule"' in api and 'id="fastlr.from_dict"' in api
    cli = (built / "cli.html").read_text()
    for command in ("show", "table", "plot", "compare", "bench", "demo"):
        assert f"usage: fastlr {command}" in cli, command


def test_optional_pages_join_the_toctrees(built):
    assert "compat-zz-docs-test.html" in (built / "migration.html").read_text()
    assert "performance.html" in (built / "benchmarks.html").read_text()


def test_cli_page_example_output_is_real():
    """The table example in docs/cli.rst shows what the command prints."""
    page = (DOCS / "cli.rst").read_text().splitlines()
    command = '$ fastlr table "cosine(1e-3, 1000)" --steps 5 --start 998 --exact -o -'
    at = [line.strip() for line in page].index(command)
    shown = [line.strip() for line in page[at + 1: at + 7]]
    result = subprocess.run([sys.executable, "-m", "fastlr", "table", "cosine(1e-3, 1000)", "--steps", "5",
                             "--start", "998", "--exact", "-o", "-"], capture_output=True, text=True)
    assert shown == result.stdout.splitlines()


def test_shared_docstring_blocks_are_rendered(built):
    """Blocks that factories share (fastlr/_docblocks.py) reach the pages; no placeholder does."""
    catalog = (built / "catalog.html").read_text()
    assert catalog.count("Value reached at the end of the warmup.") >= 2  # warmup_cosine, warmup_linear
    for page in ("catalog.html", "api.html", "planning.html"):  # the pages autodoc fills
        assert not re.search(r"&lt;&lt;\w+&gt;&gt;", (built / page).read_text()), page
