"""fastlr: learning-rate schedules as immutable data, evaluated by compiled kernels.

>>> import fastlr
>>> s = fastlr.warmup_cosine(peak=1e-3, warmup_steps=4_000, total_steps=40_000)
>>> s(4_000)
0.001

``fastlr.BACKEND`` tells which engine is active: ``"cython"`` (compiled) or
``"python"`` (the NumPy fallback); ``FASTLR_BACKEND`` chooses it.
"""

from types import ModuleType as _ModuleType

from ._engine import BACKEND
from ._tables import save_table
from ._spec import FORMAT_VERSION, Schedule, from_dict
from .schedules import (
    constant,
    cooldown,
    cosine,
    cosine_restarts,
    cyclic,
    exponential,
    inverse_time,
    join,
    linear,
    multistep,
    noam,
    one_cycle,
    piecewise_constant,
    piecewise_linear,
    polynomial,
    power_law,
    step,
    warmup,
    warmup_cosine,
    warmup_inverse,
    warmup_linear,
    wsd,
    wsd_s,
)
from . import compat
from ._resume import fingerprint, resume
from .plot import plot  # matplotlib itself is imported only when plot() is called

__version__ = "0.1.0"

_ADAPTERS = ("torch", "keras", "optax")  # framework adapters, imported on first use


def __getattr__(name: str) -> _ModuleType:
    if name in _ADAPTERS:
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "BACKEND", "FORMAT_VERSION", "Schedule", "from_dict", "compat", "save_table", "fingerprint", "resume",
    "constant", "cooldown", "cosine", "cosine_restarts", "cyclic", "exponential", "inverse_time", "join",
    "linear", "multistep", "noam", "one_cycle", "piecewise_constant", "piecewise_linear",
    "plot", "polynomial", "step", "warmup", "warmup_cosine", "warmup_inverse", "warmup_linear", "wsd", "wsd_s", "power_law",
]

from .units import epochs, fraction, samples, steps, tokens
from .clock import Clock, clocked
__all__ += ["Clock", "clocked", "epochs", "fraction", "samples", "steps", "tokens"]

from . import analytics
from .analytics import adamw_timescale, annealing_area, lr_area, lr_power_sum
from .plan import Plan, PlanWarning, plan
__all__ += ["analytics", "adamw_timescale", "annealing_area", "lr_area", "lr_power_sum",
            "Plan", "PlanWarning", "plan"]
