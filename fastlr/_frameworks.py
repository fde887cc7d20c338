"""Import an optional framework for an adapter, or say which extra installs it."""

from __future__ import annotations

import importlib
from types import ModuleType

from ._dist import pip_install


def require(module: str, adapter: str, extra: str, package: str) -> ModuleType:
    """Import ``module`` for ``fastlr.<adapter>``; an ``ImportError`` naming the extra otherwise."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"fastlr.{adapter} needs {package}, which is not installed here: "
            f"{pip_install(extra)} (or install {package} yourself)") from exc
