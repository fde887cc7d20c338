"""Checks shared by both engines and by every factory: one set of messages.

Every message names the parameter and the rule, then shows the value:
``"warmup_steps must be a non-negative integer, got -1"``. Engines call these
before touching any memory, so a rejected call never writes to a caller's
array.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Iterable, Sequence

import numpy as np

INT64_MAX = 2**63 - 1


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_integer(value: Any) -> bool:
    return (isinstance(value, (int, np.integer))
            and not isinstance(value, (bool, np.bool_, np.timedelta64)))


def integer(name: str, value: Any, minimum: int = 0) -> int:
    """Return ``value`` as an int >= ``minimum`` (and within int64), else raise."""
    if not _is_integer(value):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {_shown(value)}")
    value = int(value)
    if value < minimum:
        rule = {0: "a non-negative integer", 1: "a positive integer"}.get(
            minimum, f"an integer >= {minimum}")
        raise ValueError(f"{name} must be {rule}, got {value}")
    if value > INT64_MAX:
        raise ValueError(f"{name} must be at most 2**63 - 1, got {value}")
    return value


def step(value: Any, name: str = "step") -> int:
    """A step: a non-negative Python or NumPy integer (not bool) within int64."""
    return integer(name, value, 0)


def real(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float inside the given bounds, else raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {_shown(value)}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be finite, got {result!r}")
    too_low = low is not None and (result <= low if low_open else result < low)
    too_high = high is not None and (result >= high if high_open else result > high)
    if too_low or too_high:
        parts = []
        if low is not None:
            parts.append(f"{'>' if low_open else '>='} {low!r}")
        if high is not None:
            parts.append(f"{'<' if high_open else '<='} {high!r}")
        raise ValueError(f"{name} must be {' and '.join(parts)}, got {result!r}")
    return result


def choice(name: str, value: Any, options: Sequence[str]) -> str:
    """Return ``value`` if it is one of the strings ``options``, else raise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__} {_shown(value)}")
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}")
    return value


def boolean(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool (Python or NumPy), else raise."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__} {_shown(value)}")
    return bool(value)


def sequence(name: str, value: Any) -> list:
    """Return the items of a list/tuple/1-D array ``value``, else raise."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {value.shape}")
        return value.tolist()
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list or tuple, got {type(value).__name__} {_shown(value)}")
    return list(value)


def increasing(name: str, values: Iterable[int | float]) -> None:
    """Raise unless ``values`` is strictly increasing."""
    values = list(values)
    for a, b in zip(values, values[1:]):
        if not a < b:
            raise ValueError(f"{name} must be strictly increasing, got {_shown(values)}")


def power(name: str, base: float, exponent: float) -> float:
    """``base ** exponent``, or a ``ValueError`` naming ``name`` where it leaves the float64 range
    (Python's float power raises ``OverflowError`` there)."""
    try:
        return base ** exponent
    except OverflowError:
        raise ValueError(f"{name} ** {exponent:g} overflows float64 ({name}={_shown(base)})") from None


def steps_array(steps: Any) -> np.ndarray:
    """Return ``steps`` (any integer array-like) as an int64 array of the same shape."""
    if isinstance(steps, (bool, np.bool_)):
        raise TypeError("steps must be integers, got bool")
    arr = np.asarray(steps)
    if arr.dtype.kind not in "iu" and not isinstance(steps, np.ndarray):
        arr = np.array(steps, dtype=object)  # a Python sequence: let each item speak for itself
    if arr.dtype == object:
        flat = [step(v, "steps") for v in arr.ravel()]
        return np.array(flat, dtype=np.int64).reshape(arr.shape)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"steps must be integers, got an array of dtype {arr.dtype}")
    if arr.size:
        if arr.dtype.kind == "i" and arr.min() < 0:
            raise ValueError(f"steps must be non-negative integers, got {int(arr.min())}")
        if arr.dtype.kind == "u" and arr.max() > INT64_MAX:
            raise ValueError(f"steps must be at most 2**63 - 1, got {int(arr.max())}")
    return np.asarray(arr, dtype=np.int64, order="C")


def output_array(out: Any) -> None:
    """Raise unless ``out`` is a writable, aligned, native, 1-D C-contiguous float32/float64 array."""
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy.ndarray, got {type(out).__name__}")
    if out.dtype not in (np.float64, np.float32) or not out.dtype.isnative:
        raise TypeError(f"out must have dtype float64 or float32 in native byte order, got {out.dtype.str}")
    if out.ndim != 1:
        raise ValueError(f"out must be one-dimensional, got shape {out.shape}")
    if not out.flags.c_contiguous:
        raise ValueError("out must be C-contiguous")
    if not out.flags.writeable:
        raise ValueError("out must be writable, got a read-only array")
    if not out.flags.aligned:
        raise ValueError("out must be aligned to its dtype")


def fill_range(out: Any, start: Any) -> int:
    """Validate a ``fill(out, start)`` call; return ``start`` as an int."""
    output_array(out)
    first = step(start, "start")
    if out.shape[0] and first + out.shape[0] - 1 > INT64_MAX:
        raise ValueError(
            f"start + len(out) - 1 must be at most 2**63 - 1, got {first + out.shape[0] - 1}")
    return first


def table_args(n: Any, dtype: Any) -> tuple[int, np.dtype]:
    """Validate a ``table(n, dtype)`` call; return (n, dtype)."""
    count = integer("n", n, 0)
    try:
        kind = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float64 or float32, got {_shown(dtype)}") from None
    if kind not in (np.float64, np.float32):
        raise TypeError(f"dtype must be float64 or float32, got {kind}")
    return count, kind
