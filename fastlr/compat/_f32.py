"""Float32 helpers for the compat factories of float32 peers (Keras, tf_keras, optax).

Factories round hyper-parameters to float32 here, once, the way the peer
converts a Python number to a float32 tensor; constant pieces (piecewise
schedules) are folded here with NumPy float32 arithmetic in the peer's order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate as check
from .._float32 import fz

F32 = np.float32


def f32(value: float) -> float:
    """``value`` rounded to float32 (as a Python float, exactly)."""
    with np.errstate(over="ignore"):
        return float(F32(value))


def daz(value: float) -> float:
    """``value`` rounded to float32, read as zero if subnormal (denormals-are-zero)."""
    with np.errstate(over="ignore"):
        return float(fz(F32(value)))


def flush(value: Any) -> float:
    """A float32 result as a Python float, subnormals flushed."""
    return float(fz(value))


def real(name: str, value: Any) -> float:
    """A finite real hyper-parameter (bool rejected), as a float."""
    return check.real(name, value)


def integral(name: str, value: Any, minimum: int | None = None) -> int:
    """An integer argument (Python or NumPy int, not bool), optionally >= ``minimum``."""
    if minimum is None:
        if not check._is_integer(value):
            raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
        return int(value)
    return check.integer(name, value, minimum)


def is_int(value: Any) -> bool:
    """A Python/NumPy integer (not bool): optax then uses jax.lax.integer_pow."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def number(name: str, value: Any) -> float | int:
    """A finite real kept as given (int stays int): for peer-side Python arithmetic."""
    check.real(name, value)
    return int(value) if is_int(value) else float(value)


def optional_name(value: Any) -> None:
    """Keras's ``name=``: a string or None (it names TF ops; values ignore it)."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"name must be a string or None, got {type(value).__name__}")
