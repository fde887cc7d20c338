"""Schedules under the names and arguments of the libraries users migrate from.

``fastlr.compat.torch``, ``.keras``, ``.tf_keras``, ``.optax``, ``.transformers``,
``.timm``, ``.megatron``, ``.olmo`` and ``.torchtitan`` return ordinary fastlr schedules that reproduce the peer
library's values step for step. None of them imports the peer library.
"""

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

LIBRARIES = ("torch", "keras", "tf_keras", "optax", "transformers", "timm", "megatron", "olmo", "torchtitan")

__all__ = list(LIBRARIES)

if TYPE_CHECKING:  # imported on first use at run time; type checkers see them as submodules
    from . import keras, megatron, olmo, optax, tf_keras, timm, torch, torchtitan, transformers


def __getattr__(name: str) -> ModuleType:
    if name in LIBRARIES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
