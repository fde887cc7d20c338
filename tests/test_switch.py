"""The one backend switch, exercised through real imports in fresh interpreters."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fastlr import _engine

# Makes `import fastlr._engine_c` fail, as on a machine where the extension was not built.
BLOCK_EXTENSION = textwrap.dedent("""
    import sys
    class _Block:
        def find_spec(self, name, path=None, target=None):
            if name == "fastlr._engine_c":
                raise ImportError("blocked for the test")
    sys.meta_path.insert(0, _Block())
""")


# Makes fastlr._engine_c missing, as the import system reports a module that does not exist.
NOT_BUILT = textwrap.dedent("""
    import sys
    class _NotBuilt:
        def find_spec(self, name, path=None, target=None):
            if name == "fastlr._engine_c":
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    sys.meta_path.insert(0, _NotBuilt())
""")

# As on PyPy (numpy is imported first, as the real interpreter's would be).
AS_PYPY = textwrap.dedent("""
    import sys, types
    import numpy
    sys.implementation = types.SimpleNamespace(**{**vars(sys.implementation), "name": "pypy"})
""")


def _run(code: str, backend: str | None, block: bool = False, *, prefix: str = "",
         warnings: str = "error") -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter; warnings are errors unless ``warnings`` says otherwise."""
    env = {k: v for k, v in os.environ.items() if k not in ("FASTLR_BACKEND", "PYTHONWARNINGS")}
    if backend is not None:
        env["FASTLR_BACKEND"] = backend
    script = (BLOCK_EXTENSION if block else "") + prefix + code
    return subprocess.run([sys.executable, "-W", warnings, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)


SHOW = "import fastlr; print(fastlr.BACKEND, type(fastlr.constant(1.0)).__mro__[2].__module__)"
# Every warning of an import of the whole package, one line each: category, then message.
RECORD = textwrap.dedent("""
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import fastlr, fastlr.cli, fastlr.plot
        from fastlr import _engine
        _engine.available_engines()
        fastlr.warmup_cosine(1e-3, 10, 100).table(20)
    for w in caught:
        print(w.category.__name__, "|", w.message)
    print("BACKEND", fastlr.BACKEND)
""")


def _warnings(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("BACKEND "), result.stdout
    return result.stdout.splitlines()[:-1]


@pytest.mark.compiled
@pytest.mark.parametrize("value", [None, "", "auto", "AUTO", " cython "])
def test_auto_and_cython_use_the_compiled_engine(value):
    result = _run(SHOW, value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cython", "fastlr._engine_c"]


@pytest.mark.parametrize("block", [False, True])
def test_python_uses_the_numpy_engine(block):
    result = _run(SHOW, "python", block)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["python", "fastlr._engine_py"]


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="only CPython tries the extension")
@pytest.mark.parametrize("value", [None, "", "auto"])
def test_auto_falls_back_when_the_extension_is_missing(value):
    result = _run(SHOW, value, block=True, warnings="default")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["python", "fastlr._engine_py"]
    assert "RuntimeWarning" in result.stderr


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="only CPython tries the extension")
def test_the_fallback_warns_once_naming_the_cause_and_the_fix():
    result = _run(RECORD, None, block=True, warnings="always")
    [line] = _warnings(result)  # once, although every module is imported and both engines listed
    category, message = line.split(" | ", 1)
    assert category == "RuntimeWarning"
    assert "NumPy engine" in message
    assert "fastlr._engine_c could not be imported (ImportError: blocked for the test)" in message
    assert "pip install --no-cache-dir --force-reinstall fastlr-schedules" in message
    assert "set FASTLR_BACKEND=python to choose the NumPy engine and silence this warning" in message
    assert result.stdout.splitlines()[-1] == "BACKEND python"


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="only CPython tries the extension")
def test_a_missing_extension_is_reported_as_missing():
    """As where it was never built: the import system's own words, not a guess at a circular import."""
    result = _run(RECORD, None, prefix=NOT_BUILT, warnings="always")
    [line] = _warnings(result)
    assert "could not be imported (ModuleNotFoundError: No module named 'fastlr._engine_c')" in line
    assert "circular" not in line
    assert result.stdout.splitlines()[-1] == "BACKEND python"


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="only CPython tries the extension")
def test_the_fallback_warning_is_an_import_error_under_w_error():
    result = _run("import fastlr", "auto", block=True, warnings="error::RuntimeWarning")
    assert result.returncode != 0
    assert "RuntimeWarning: fastlr is running its NumPy engine" in result.stderr


def test_the_documented_warning_is_the_real_one():
    page = Path(__file__).resolve().parent.parent / "docs" / "install.rst"
    if not page.is_file():
        pytest.skip("no docs/ next to tests/ (an installed-package test run)")
    text = page.read_text()
    start = text.index("   RuntimeWarning: ")
    shown = " ".join(text[start:text.index("\n\n", start)].split())
    missing = ModuleNotFoundError("No module named 'fastlr._engine_c'")  # a wheel without the extension
    assert shown == "RuntimeWarning: " + _engine.fallback_message(missing)


@pytest.mark.parametrize("block", [False, True])
def test_python_is_silent(block):
    assert _warnings(_run(RECORD, "python", block, warnings="always")) == []


@pytest.mark.compiled
@pytest.mark.parametrize("value", [None, "auto", "cython"])
def test_the_compiled_engine_is_silent(value):
    result = _run(RECORD, value, warnings="always")
    assert _warnings(result) == []
    assert result.stdout.splitlines()[-1] == "BACKEND cython"


@pytest.mark.parametrize("value", [None, "auto"])
def test_other_interpreters_default_to_python_silently(value):
    result = _run(RECORD, value, prefix=AS_PYPY, warnings="always")
    assert _warnings(result) == []
    assert result.stdout.splitlines()[-1] == "BACKEND python"


def test_cython_without_the_extension_raises_import_error():
    result = _run("import fastlr", "cython", block=True)
    assert result.returncode != 0
    assert "ImportError: blocked for the test" in result.stderr


@pytest.mark.parametrize("value", ["c", "numpy", "1", "cython,python"])
def test_unknown_values_raise_naming_the_variable(value):
    result = _run("import fastlr", value)
    assert result.returncode != 0
    assert f"ValueError: FASTLR_BACKEND must be one of auto, cython, python; got {value!r}" in result.stderr


def test_requested_backend_parses_strictly(monkeypatch):
    monkeypatch.setenv("FASTLR_BACKEND", "Python")
    assert _engine.requested_backend() == "python"
    monkeypatch.setenv("FASTLR_BACKEND", "pure")
    with pytest.raises(ValueError, match="FASTLR_BACKEND"):
        _engine.requested_backend()


def test_available_engines_lists_what_imports():
    engines = _engine.available_engines()
    assert "python" in engines
    assert _engine.BACKEND in engines
