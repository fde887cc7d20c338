"""Shared docstring blocks (fastlr/_docblocks.py): the filled docstrings read as if written out.

The placeholder mechanism is checked on small functions; then every public
object of the package: no ``<<name>>`` line is left, and every factory's
numpydoc Parameters section, as ``help()`` shows it, names each parameter.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import pydoc
import re

import pytest

import fastlr
from fastlr import _spec
from fastlr import _docblocks
from fastlr._kinds import Kind

PLACEHOLDER = re.compile(r"^\s*<<\w+>>\s*$", re.MULTILINE)


ADAPTERS = ("fastlr.torch", "fastlr.keras", "fastlr.optax")  # need their framework to import


def _public_modules():
    for info in pkgutil.walk_packages(fastlr.__path__, "fastlr."):
        if info.name.endswith(("_engine_c", "_stepper_c", "__main__")):
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError:
            if info.name not in ADAPTERS:  # an adapter without its framework (a smoke venv) is skipped
                raise


@pytest.fixture
def define(monkeypatch):
    """``_docblocks.define`` on a scratch registry (the package's blocks stay as they are)."""
    monkeypatch.setattr(_docblocks, "_BLOCKS", dict(_docblocks._BLOCKS))
    return _docblocks.define


def test_a_block_takes_the_placeholder_line_and_its_indentation(define):
    define(test_pair="""
        a, b : float
            Two values,

            over two paragraphs.
        """)

    def f(a, b):
        r"""Sum.

        .. math:: s = \frac{a}{b} \quad <<test_pair>> \text{ inline stays}

        Parameters
        ----------
        <<test_pair>>
        """

    assert _docblocks.fill(f) is f
    assert f.__doc__ == ("Sum.\n\n"
                         "        .. math:: s = \\frac{a}{b} \\quad <<test_pair>> \\text{ inline stays}\n\n"
                         "        Parameters\n"
                         "        ----------\n"
                         "        a, b : float\n"
                         "            Two values,\n"
                         "\n"
                         "            over two paragraphs.\n"
                         "        ")


def test_factories_are_filled_when_registered(define, monkeypatch):
    define(test_value="value : float\n    The value.")
    monkeypatch.setattr(_spec, "_FACTORIES", dict(_spec._FACTORIES))

    @_spec.factory("test_docblocks_constant")
    def build(value: float) -> list:
        """A constant.

        Parameters
        ----------
        <<test_value>>
        """
        return [_spec.Segment(Kind.CONSTANT, 0, (value,))]

    assert build.__doc__ == "A constant.\n\n        Parameters\n        ----------\n        value : float\n            The value.\n        "
    assert build(2.0)(5) == 2.0


def test_classes_missing_docstrings_and_names(define):
    define(test_x="x : int")

    @_docblocks.fill
    class C:
        """C.

        <<test_x>>
        """

    assert C.__doc__ == "C.\n\n        x : int\n        "

    def bare():
        pass

    assert _docblocks.fill(bare) is bare and bare.__doc__ is None  # as under python -OO
    with pytest.raises(RuntimeError, match="docstring block 'test_x' defined twice"):
        define(test_x="again")

    def f():
        """Doc.

        <<test_unknnown>>
        """

    with pytest.raises(RuntimeError, match=r"f: no docstring block 'test_unknnown'"):
        _docblocks.fill(f)


def test_no_placeholder_is_left_in_the_package():
    seen = 0
    for module in _public_modules():
        objects = [module, *vars(module).values()]
        for obj in objects:
            if not str(getattr(obj, "__module__", "fastlr")).startswith("fastlr"):
                continue
            docs = [obj.__doc__] + ([getattr(v, "__doc__", None) for v in vars(obj).values()]
                                    if inspect.isclass(obj) else [])
            for doc in docs:
                if isinstance(doc, str):
                    seen += 1
                    assert not PLACEHOLDER.search(doc), (module.__name__, getattr(obj, "__qualname__", obj))
    assert seen > 500


def test_help_shows_every_parameter_of_every_factory():
    numpydoc = pytest.importorskip("numpydoc.docscrape")
    list(_public_modules())  # registers the compat factories
    checked = 0
    for name, function in sorted(_spec._FACTORIES.items()):
        if function.__doc__ is None:
            continue
        shown = pydoc.render_doc(function, renderer=pydoc.plaintext)
        listed = {part.strip() for p in numpydoc.NumpyDocString(inspect.getdoc(function))["Parameters"]
                  for part in p.name.split(",")}
        for parameter in inspect.signature(function).parameters:
            assert parameter in listed, (name, parameter)
        for line in inspect.getdoc(function).splitlines():
            assert line.strip() in shown, (name, line)
        checked += 1
    assert checked >= 90
