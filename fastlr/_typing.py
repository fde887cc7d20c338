"""Types of the evaluation API, shared by ``Schedule`` (``_spec.py``) and the engine stub.

They say what the engines accept (``_validate.py`` enforces it at run time):
steps are Python or NumPy integers, outputs are float32/float64 arrays, and a
table's dtype is float64 or float32.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence, TypeAlias, TypeVar, Union

import numpy as np
import numpy.typing as npt

Step: TypeAlias = Union[int, np.integer[Any]]
"""A step: a Python or NumPy integer (``bool`` is rejected at run time)."""

Steps: TypeAlias = Union[Step, Sequence[Step], Sequence[Sequence[Step]], npt.NDArray[np.integer[Any]]]
"""Steps for ``Schedule.at``: an integer, a (nested) sequence of integers, or an integer array."""

FloatArray = TypeVar("FloatArray", bound=Union[npt.NDArray[np.float32], npt.NDArray[np.float64]])
"""An output array of ``Schedule.fill``: ``fill`` returns the array it was given."""

Float64Dtype: TypeAlias = Union[type[float], type[np.float64], np.dtype[np.float64],
                                Literal["float64", "f8", "d", "double", "float"]]
"""Spellings of float64 for ``Schedule.table(dtype=...)``."""

Float32Dtype: TypeAlias = Union[type[np.float32], np.dtype[np.float32], Literal["float32", "f4", "f", "single"]]
"""Spellings of float32 for ``Schedule.table(dtype=...)``."""

# String choices of the factories (tests/test_typing.py checks them against the validators' tuples).
CyclicMode: TypeAlias = Literal["triangular", "triangular2", "exp_range"]
Anneal: TypeAlias = Literal["cos", "linear"]
Cooldown: TypeAlias = Literal["linear", "cosine", "1-sqrt"]
WsdDecayFn: TypeAlias = Literal["linear", "1-sqrt", "cosine", "power", "exp"]
WsdStableFn: TypeAlias = Literal["constant", "rsqrt", "power"]
Interpolation: TypeAlias = Literal["linear", "cosine"]
PlateauMode: TypeAlias = Literal["min", "max"]
ThresholdMode: TypeAlias = Literal["rel", "abs"]
ResumePolicy: TypeAlias = Literal["error", "keep", "retarget", "continue"]
