"""Schedules under the names and arguments of the libraries users migrate from.

``fastlr.compat.torch``, ``.keras``, ``.tf_keras``, ``.optax``, ``.transformers``
and ``.timm`` return ordinary fastlr schedules that reproduce the peer
library's values step for step. None of them imports the peer library.
"""

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

LIBRARIES = ("torch", "keras", "tf_keras", "optax", "transformers", "timm")

__all__ = list(LIBRARIES)

if TYPE_CHECKING:  # imported on first use at run time; type checkers see them as submodules
    from . import keras, optax, tf_keras, timm, torch, transformers


def __getattr__(name: str) -> ModuleType:
    if name in LIBRARIES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
