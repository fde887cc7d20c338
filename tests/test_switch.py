"""The one backend switch, exercised through real imports in fresh interpreters."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

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


def _run(code: str, backend: str | None, block: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FASTLR_BACKEND"}
    if backend is not None:
        env["FASTLR_BACKEND"] = backend
    script = (BLOCK_EXTENSION if block else "") + code
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=120)


SHOW = "import fastlr; print(fastlr.BACKEND, type(fastlr.constant(1.0)).__mro__[2].__module__)"


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


def test_auto_falls_back_when_the_extension_is_missing():
    result = _run(SHOW, "auto", block=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["python", "fastlr._engine_py"]


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
