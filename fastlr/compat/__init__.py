"""Schedules under the names and arguments of the libraries users migrate from.

``fastlr.compat.torch``, ``.keras``, ``.tf_keras``, ``.optax``, ``.transformers``,
``.timm``, ``.megatron``, ``.olmo`` and ``.torchtitan`` return ordinary fastlr schedules that reproduce the peer
library's values step for step. None of them imports the peer library.
"""

import importlib
from types import ModuleType

LIBRARIES = ("torch", "keras", "tf_keras", "optax", "transformers", "timm", "megatron", "olmo", "torchtitan")

__all__ = list(LIBRARIES)


def __getattr__(name: str) -> ModuleType:
    if name in LIBRARIES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
