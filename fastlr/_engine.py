"""The one switch between engines: the only module that imports one.

``FASTLR_BACKEND`` = ``auto`` (default; also when unset or empty) | ``cython``
| ``python``, parsed strictly. ``cython`` requires the compiled extension
(an ``ImportError`` otherwise); ``auto`` uses it when it imports and
otherwise falls back to the NumPy engine with one ``RuntimeWarning`` naming the
cause and the fix; non-CPython interpreters default to ``python``, silently.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from types import ModuleType
from typing import TYPE_CHECKING

from ._dist import REINSTALL

VARIABLE = "FASTLR_BACKEND"
CHOICES = ("auto", "cython", "python")


def requested_backend() -> str:
    """The backend asked for by ``FASTLR_BACKEND`` (``ValueError`` on anything else)."""
    value = os.environ.get(VARIABLE, "").strip().lower() or "auto"
    if value not in CHOICES:
        raise ValueError(
            f"{VARIABLE} must be one of {', '.join(CHOICES)}; got {os.environ[VARIABLE]!r}")
    return value


def fallback_message(error: ImportError) -> str:
    """What the ``auto`` fallback warns: the engine in use, why, and the two ways out."""
    return (f"fastlr is running its NumPy engine, which is much slower: the compiled extension "
            f"fastlr._engine_c could not be imported ({type(error).__name__}: {error}). "
            f"To get the compiled engine, reinstall with a C compiler and the Python headers "
            f"available: {REINSTALL}. "
            f"Or set {VARIABLE}=python to choose the NumPy engine and silence this warning.")


def _compiled() -> ModuleType:
    # Not `from . import _engine_c`: while fastlr is half imported, a missing module
    # would read "cannot import name ... (most likely due to a circular import)".
    return importlib.import_module(f"{__package__}._engine_c")


def _load(requested: str) -> ModuleType:
    if requested == "auto" and sys.implementation.name != "cpython":
        requested = "python"
    if requested == "python":
        from . import _engine_py
        return _engine_py
    if requested == "cython":
        return _compiled()  # an ImportError here is the point
    try:
        return _compiled()
    except ImportError as exc:
        warnings.warn(fallback_message(exc), RuntimeWarning, stacklevel=2)
        from . import _engine_py
        return _engine_py


def available_engines() -> dict[str, ModuleType]:
    """Every engine that imports here, by backend name (used by tests and benchmarks)."""
    from . import _engine_py
    engines = {"python": _engine_py}
    try:
        from . import _engine_c
    except ImportError:
        pass
    else:
        engines = {"cython": _engine_c, **engines}
    return engines


if TYPE_CHECKING:
    from . import _engine_py as engine
else:
    engine = _load(requested_backend())

BACKEND = "cython" if engine.__name__.endswith("_c") else "python"


def stepper() -> ModuleType | None:
    """The active engine's compiled step driver for ``fastlr.torch``, or None on the NumPy engine.

    The stepper is built with the compiled engine; an engine without it is a
    broken build, which this says (a ``RuntimeWarning``, once) instead of
    silently running every step in Python.
    """
    global _STEPPER
    if BACKEND != "cython":
        return None
    if _STEPPER is None:
        import importlib
        try:
            _STEPPER = importlib.import_module(f"{__package__}._stepper_c")
        except ImportError as exc:
            import warnings
            warnings.warn(
                f"fastlr's compiled engine loaded but its step driver fastlr._stepper_c did not ({exc}); "
                "fastlr.torch.LRScheduler.step() runs in Python (about 10x slower). Rebuild or reinstall "
                "fastlr to get it back.", RuntimeWarning, stacklevel=3)
            _STEPPER = False
    return _STEPPER or None


_STEPPER: ModuleType | bool | None = None
