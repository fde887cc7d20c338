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


def _load(module: str, stand_ins, quiet: bool = False) -> types.ModuleType:
    """``module`` imported normally or, when an unrelated heavy import fails, from its installed file.

    ``stand_ins(root)`` registers the stand-in modules below the package's installed
    folder ``root``; ``quiet`` silences warnings of the normal import.
    """
    try:
        with warnings.catch_warnings():
            if quiet:
                warnings.simplefilter("ignore")
            return importlib.import_module(module)
    except Exception:  # noqa: BLE001 - an unrelated heavy import failed: load the file alone
        top = module.split(".")[0]
        root = _installed_dir(top)
        _drop(top)
        _package(top, root)
        stand_ins(root[0])
        return importlib.import_module(module)


def _megatron_stand_ins(root: str) -> None:
    _package("megatron.core", [os.path.join(root, "core")])
    utils = _package("megatron.core.utils")
    utils.log_single_rank = lambda logger, level, message, *a, **k: None


def _olmo_stand_ins(root: str) -> None:
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
    _package("olmo_core.distributed", [os.path.join(root, "distributed")])
    _package("olmo_core.distributed.utils").get_rank = lambda group=None: 0
    _package("olmo_core.optim", [os.path.join(root, "optim")])
    optim_config = _package("olmo_core.optim.config")
    optim_config.LR_FIELD, optim_config.INITIAL_LR_FIELD = "lr", "initial_lr"


def _torchtitan_stand_ins(root: str) -> None:
    class Configurable:
        @dataclasses.dataclass(kw_only=True, slots=True)
        class Config:
            pass

    _package("torchtitan.config").Configurable = Configurable
    _package("torchtitan.tools", [os.path.join(root, "tools")])
    _package("torchtitan.components", [os.path.join(root, "components")])
    _package("torchtitan.components.optimizer", [os.path.join(root, "components", "optimizer")])
    _package("torchtitan.components.optimizer.optimizer").OptimizersContainer = list


def megatron_module() -> types.ModuleType:
    """megatron.core.optimizer_param_scheduler (stand-in: megatron.core.utils.log_single_rank)."""
    # quiet: "Transformer Engine and Apex are not installed"
    return _load("megatron.core.optimizer_param_scheduler", _megatron_stand_ins, quiet=True)


def olmo_module() -> types.ModuleType:
    """olmo_core.optim.scheduler (stand-ins: olmo_core.config base classes, get_rank, the lr field names)."""
    return _load("olmo_core.optim.scheduler", _olmo_stand_ins)


def torchtitan_module() -> types.ModuleType:
    """torchtitan.components.optimizer.lr_scheduler (stand-ins: Configurable, OptimizersContainer)."""
    return _load("torchtitan.components.optimizer.lr_scheduler", _torchtitan_stand_ins)


def peer(library: str) -> types.ModuleType:
    """The scheduler module of ``library`` ("megatron", "olmo", "torchtitan"), or skip the test."""
    import pytest
    pytest.importorskip("torch", reason="the peers' schedulers import torch")
    loader = {"megatron": megatron_module, "olmo": olmo_module, "torchtitan": torchtitan_module}[library]
    try:
        return loader()
    except ImportError as exc:
        pytest.skip(f"{library} is not installed ({exc}): pip install --no-deps megatron-core ai2-olmo-core torchtitan")
