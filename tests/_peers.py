"""The real schedulers behind fastlr.compat.megatron, .olmo and .torchtitan, loaded from the installed peers.

megatron-core, ai2-olmo-core and torchtitan pull in heavy training stacks
(Transformer Engine, tyro, cached-path, ...) that their schedulers never touch.
When the normal import fails, each loader registers small stand-ins for those
*unrelated* modules (a logger, a config base class, a rank query, an optimizer
container type) and imports the real scheduler file from the installed
package. Used by tests/golden/gen_peers.py and by the tests that compare with
the peers (``peer(library)`` skips where the package is not installed).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import importlib.util
import os
import sys
import types
import warnings


def _package(name: str, path: list[str] | None = None) -> types.ModuleType:
    module = types.ModuleType(name)
    if path is not None:
        module.__path__ = path
    sys.modules[name] = module
    return module


def _installed_dir(top: str) -> list[str]:
    spec = importlib.util.find_spec(top)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{top} is not installed (pip install --no-deps)")
    return list(spec.submodule_search_locations)


def _drop(top: str) -> None:
    for name in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
        del sys.modules[name]


def megatron_module() -> types.ModuleType:
    """megatron.core.optimizer_param_scheduler (stand-in: megatron.core.utils.log_single_rank)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Transformer Engine and Apex are not installed"
            return importlib.import_module("megatron.core.optimizer_param_scheduler")
    except Exception:  # noqa: BLE001 - an unrelated heavy import failed: load the file alone
        root = _installed_dir("megatron")
        _drop("megatron")
        _package("megatron", root)
        _package("megatron.core", [os.path.join(root[0], "core")])
        utils = _package("megatron.core.utils")
        utils.log_single_rank = lambda logger, level, message, *a, **k: None
        return importlib.import_module("megatron.core.optimizer_param_scheduler")


def olmo_module() -> types.ModuleType:
    """olmo_core.optim.scheduler (stand-ins: olmo_core.config base classes, get_rank, the lr field names)."""
    try:
        return importlib.import_module("olmo_core.optim.scheduler")
    except Exception:  # noqa: BLE001 - an unrelated heavy import failed: load the file alone
        root = _installed_dir("olmo_core")
        _drop("olmo_core")
        _package("olmo_core", root)
        config = _package("olmo_core.config")

        class Config:
            pass

        class Registrable:
            @classmethod
            def register(cls, name):
                return lambda subclass: subclass

        class StrEnum(str, enum.Enum):
            def __str__(self) -> str:
                return self.value

        config.Config, config.Registrable, config.StrEnum = Config, Registrable, StrEnum
        _package("olmo_core.distributed", [os.path.join(root[0], "distributed")])
        _package("olmo_core.distributed.utils").get_rank = lambda group=None: 0
        _package("olmo_core.optim", [os.path.join(root[0], "optim")])
        optim_config = _package("olmo_core.optim.config")
        optim_config.LR_FIELD, optim_config.INITIAL_LR_FIELD = "lr", "initial_lr"
        return importlib.import_module("olmo_core.optim.scheduler")


def torchtitan_module() -> types.ModuleType:
    """torchtitan.components.optimizer.lr_scheduler (stand-ins: Configurable, OptimizersContainer)."""
    try:
        return importlib.import_module("torchtitan.components.optimizer.lr_scheduler")
    except Exception:  # noqa: BLE001 - an unrelated heavy import failed: load the file alone
        root = _installed_dir("torchtitan")
        _drop("torchtitan")
        _package("torchtitan", root)

        class Configurable:
            @dataclasses.dataclass(kw_only=True, slots=True)
            class Config:
                pass

        _package("torchtitan.config").Configurable = Configurable
        _package("torchtitan.tools", [os.path.join(root[0], "tools")])
        _package("torchtitan.components", [os.path.join(root[0], "components")])
        _package("torchtitan.components.optimizer", [os.path.join(root[0], "components", "optimizer")])
        _package("torchtitan.components.optimizer.optimizer").OptimizersContainer = list
        return importlib.import_module("torchtitan.components.optimizer.lr_scheduler")


def peer(library: str) -> types.ModuleType:
    """The scheduler module of ``library`` ("megatron", "olmo", "torchtitan"), or skip the test."""
    import pytest
    pytest.importorskip("torch", reason="the peers' schedulers import torch")
    loader = {"megatron": megatron_module, "olmo": olmo_module, "torchtitan": torchtitan_module}[library]
    try:
        return loader()
    except ImportError as exc:
        pytest.skip(f"{library} is not installed ({exc}): pip install --no-deps megatron-core ai2-olmo-core torchtitan")
