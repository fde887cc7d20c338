"""The one switch between engines: the only module that imports one.

``FASTLR_BACKEND`` = ``auto`` (default; also when unset or empty) | ``cython``
| ``python``, parsed strictly. ``cython`` requires the compiled extension
(an ``ImportError`` otherwise); ``auto`` uses it when it imports and falls
back to the NumPy engine; non-CPython interpreters default to ``python``.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING

VARIABLE = "FASTLR_BACKEND"
CHOICES = ("auto", "cython", "python")


def requested_backend() -> str:
    """The backend asked for by ``FASTLR_BACKEND`` (``ValueError`` on anything else)."""
    value = os.environ.get(VARIABLE, "").strip().lower() or "auto"
    if value not in CHOICES:
        raise ValueError(
            f"{VARIABLE} must be one of {', '.join(CHOICES)}; got {os.environ[VARIABLE]!r}")
    return value


def _load(requested: str) -> ModuleType:
    if requested == "auto" and sys.implementation.name != "cpython":
        requested = "python"
    if requested == "python":
        from . import _engine_py
        return _engine_py
    if requested == "cython":
        from . import _engine_c  # an ImportError here is the point
        return _engine_c
    try:
        from . import _engine_c
    except ImportError:
        from . import _engine_py
        return _engine_py
    return _engine_c


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
