"""Checks shared by both engines and by every factory: one set of messages.

Every message names the parameter and the rule, then shows the value:
``"warmup_steps must be a non-negative integer, got -1"``. Engines call these
before touching any memory, so a rejected call never writes to a caller's
array.
"""

from __future__ import annotations

import difflib
import math
import numbers
import operator
from typing import Any, Iterable, Sequence

import numpy as np

INT64_MAX = 2**63 - 1


ADAPTER = "fastlr.torch.LRScheduler(optimizer, schedule)"
"""What drives a torch optimizer with a fastlr schedule (named where an optimizer is passed by mistake)."""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_integer(value: Any) -> bool:
    return (isinstance(value, (int, np.integer))
            and not isinstance(value, (bool, np.bool_, np.timedelta64)))


def _is_bool(value: Any) -> bool:
    """A bool scalar, or an array/tensor of a bool dtype (NumPy ``bool``, ``torch.bool``, ...)."""
    if isinstance(value, (bool, np.bool_)):
        return True
    dtype = getattr(value, "dtype", None)
    return dtype is not None and str(dtype).rsplit(".", 1)[-1] == "bool"


def _is_integral_float(value: Any) -> bool:
    """A real float (scalar, or 0-d NumPy array or torch tensor) holding a whole number: ``10.0``."""
    if isinstance(value, np.ndarray):
        floating = value.ndim == 0 and value.dtype.kind == "f"
    else:
        floating = isinstance(value, numbers.Real) or (
            getattr(value, "ndim", None) == 0
            and getattr(getattr(value, "dtype", None), "is_floating_point", None) is True)
    return floating and math.isfinite(value) and float(value).is_integer()


def _as_int(name: str, value: Any) -> int:
    """``value`` as an int: a NumPy integer, an int subclass, or anything else with ``__index__``
    (a 0-d integer array or tensor), except bools and arrays of one or more dimensions."""
    if _is_integer(value):
        return int(value)
    index = None
    if not _is_bool(value) and getattr(value, "ndim", 0) == 0:
        try:
            index = operator.index(value)
        except TypeError:
            pass
    if index is None:
        whole = _is_integral_float(value) and not _is_bool(value)
        hint = f" (use int({name}))" if whole and name.isidentifier() else ""
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {_shown(value)}{hint}")
    return index


def integer(name: str, value: Any, minimum: int = 0) -> int:
    """Return ``value`` as an int >= ``minimum`` (and within int64), else raise.

    Accepts Python and NumPy integers and 0-d integer arrays or tensors
    (``operator.index``); rejects bools and floats, even whole ones.
    """
    if type(value) is not int:
        value = _as_int(name, value)
    if value < minimum:
        rule = {0: "a non-negative integer", 1: "a positive integer"}.get(
            minimum, f"an integer >= {minimum}")
        raise ValueError(f"{name} must be {rule}, got {value}")
    if value > INT64_MAX:
        raise ValueError(f"{name} must be at most 2**63 - 1, got {value}")
    return value


def step(value: Any, name: str = "step") -> int:
    """A step: a non-negative integer (Python, NumPy, 0-d array or tensor; not bool) within int64."""
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
        lr = optimizer_lr(value)
        if lr is not None:
            raise TypeError(f"{name} must be a real number, got the optimizer {type(value).__name__}: "
                            f"pass {name}={lr} (its lr) and drive the optimizer with {ADAPTER}")
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


def table_args(n: Any, dtype: Any, start: Any) -> tuple[int, np.dtype, int]:
    """Validate a ``table(n, dtype, start=start)`` call; return (n, dtype, start)."""
    count = integer("n", n, 0)
    try:
        kind = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float64 or float32, got {_shown(dtype)}") from None
    if kind not in (np.float64, np.float32):
        raise TypeError(f"dtype must be float64 or float32, got {kind}")
    first = step(start, "start")
    if count and first + count - 1 > INT64_MAX:
        raise ValueError(f"start + n - 1 must be at most 2**63 - 1, got {first + count - 1}")
    return count, kind, first


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the ``options`` closest to ``word`` (difflib), or ``""``."""
    close = difflib.get_close_matches(word, sorted(options), n=3)
    return f"; did you mean {' or '.join(map(repr, close))}?" if close else ""


def optimizer_lr(value: Any) -> str | None:
    """If ``value`` looks like an optimizer (it has ``param_groups``, as torch's do): the lr of its
    first param group as text (a placeholder when unreadable); else None."""
    if isinstance(value, type) or not hasattr(value, "param_groups"):
        return None
    try:
        return repr(float(value.param_groups[0]["lr"]))
    except (AttributeError, LookupError, TypeError, ValueError):
        return "<your optimizer's lr>"
