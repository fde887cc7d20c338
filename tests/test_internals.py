"""docs/internals.md's recipe works: a new native kind, added in the four places it names
and nowhere else, builds and runs on both engines (in a copy of the source tree)."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "internals.md"

if not (DOC.is_file() and (ROOT / "setup.py").is_file() and (ROOT / "fastlr").is_dir()):
    pytest.skip("the recipe needs the source tree (docs/, setup.py, fastlr/) next to tests/; "
                "this run is from outside it", allow_module_level=True)

# The recipe applied to a new kind, HARMONIC: start / (1 + u / steps). Each edit inserts
# text after an anchor that must occur exactly once in the file.
EDITS = {
    "fastlr/_kinds.py": [
        ("    TABLE = 11\n", "    HARMONIC = 12\n"),
        ('    Kind.TABLE: _native("offset count", 0),\n', '    Kind.HARMONIC: _native("start steps", 0),\n'),
    ],
    "fastlr/_formulas.h": [
        ("    FL_TABLE = 11", ",\n    FL_HARMONIC = 12"),
        ("/* precomputed values: data[offset + min(u, count - 1)] */\n", ""),
        ("    X(FL_TABLE, table)", "                            \\\n    X(FL_HARMONIC, harmonic)"),
    ],
    "fastlr/_formulas_py.py": [
        ("    Kind.TABLE: table,\n", "    Kind.HARMONIC: harmonic,\n"),
    ],
    "fastlr/schedules.py": [],
}
C_FORMULA = textwrap.dedent("""\
    /* harmonic decay: start / (1 + u / steps) */
    static inline double fl_harmonic(double u, const double *p, const double *data)
    {
        (void)data;
        return p[0] / (1.0 + u / p[1]);
    }

    """)
PY_FORMULA = textwrap.dedent('''\


    def harmonic(u, p, data):
        """harmonic decay: start / (1 + u / steps)"""
        return p[0] / (1.0 + u / p[1])
    ''')
FACTORY = textwrap.dedent('''\


    @factory("harmonic")
    def harmonic(start: float, steps: int) -> list[Segment]:
        r"""Harmonic decay.

        .. math:: s(t) = \\frac{\\mathrm{start}}{1 + t / \\mathrm{steps}}

        Parameters
        ----------
        start : float
            Value at step 0.
        steps : int
            Steps until half of ``start`` (>= 1).
        """
        return [Segment(Kind.HARMONIC, 0, (_value("start", start), float(check.integer("steps", steps, 1))))]
    ''')
CHECK = textwrap.dedent("""\
    import math, numpy as np, fastlr
    from fastlr import _engine, _spec
    from fastlr._kinds import REGISTRY, Kind
    s = fastlr.harmonic(0.5, 10)
    assert fastlr.from_dict(s.to_dict()) == s and repr(s) == "fastlr.harmonic(start=0.5, steps=10)"
    steps = list(range(200)) + [2**40, 2**62]
    want = [0.5 / (1.0 + t / 10.0) for t in steps]
    engines = _engine.available_engines()
    assert set(engines) == {"cython", "python"}, engines
    for name, module in engines.items():
        facts = module.kind_facts()
        assert facts[int(Kind.HARMONIC)] == ("native", False), (name, facts.get(12))
        assert set(facts) == {int(k) for k in REGISTRY}
        b = _spec.rebind(s, module.Engine)
        assert [b(t) for t in steps] == want, name
        assert b.at(steps).tolist() == want, name
        assert b.table(200, exact=True).tolist() == want[:200], name
        assert b.table(200).tolist() == want[:200], name  # fast_ulps 0: the same bits
        assert np.array_equal(b.table(200, np.float32), np.array(want[:200], np.float32)), name
    print("recipe ok")
    """)


def _recipe_files() -> set[str]:
    """The files docs/internals.md's native-kind recipe names, one per numbered step."""
    text = DOC.read_text()
    recipe = text.split("## Recipe: add a native kind", 1)[1]
    steps = re.findall(r"^\d\. \*\*[^*]+\*\* \(`([^`]+)`\)", recipe, re.M)
    return set(steps)


def test_the_recipe_names_the_files_this_test_edits():
    assert _recipe_files() == set(EDITS)


def _apply(tree: pathlib.Path) -> None:
    for name, edits in EDITS.items():
        path = tree / name
        text = path.read_text()
        for anchor, insert in edits:
            assert text.count(anchor) == 1, f"{name}: the anchor {anchor!r} is not unique"
            if name.endswith(".h") and anchor.startswith("/* precomputed"):
                text = text.replace(anchor, C_FORMULA + anchor)
            else:
                text = text.replace(anchor, anchor + insert)
        if name.endswith("_formulas_py.py"):
            text = text.replace("\n\nFORMULAS_NATIVE", PY_FORMULA + "\n\nFORMULAS_NATIVE", 1)
        if name.endswith("schedules.py"):
            text += FACTORY
        path.write_text(text)
    init = tree / "fastlr" / "__init__.py"
    init.write_text(init.read_text() + "\nfrom .schedules import harmonic  # noqa: E402\n")


@pytest.mark.compiled
@pytest.mark.slow
def test_a_new_native_kind_needs_only_the_four_places_of_the_recipe(tmp_path):
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.fail("no C compiler: this test builds the extension")
    tree = tmp_path / "src"
    tree.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(ROOT / "fastlr", tree / "fastlr",
                    ignore=shutil.ignore_patterns("*.so", "*.pyd", "*.c", "__pycache__", "build"))
    for source in (ROOT / "fastlr").glob("*.c"):  # the hand-written C, not Cython's *_c.c
        if not source.name.endswith("_c.c"):
            shutil.copy(source, tree / "fastlr" / source.name)
    _apply(tree)
    env = {**os.environ, "FASTLR_BACKEND": "cython"}
    build = subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=tree,
                           env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    run = subprocess.run([sys.executable, "-c", CHECK], cwd=tree, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "recipe ok"
