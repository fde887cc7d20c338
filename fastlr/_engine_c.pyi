"""Type stub of the compiled engine (fastlr/_engine_c.pyx); same API as _engine_py.

Checked against the built module by ``python -m mypy.stubtest fastlr._engine_c``.
The public evaluation API is declared on ``fastlr.Schedule`` (_spec.py).
"""

from typing import Any, overload

from typing_extensions import Self, disjoint_base

import numpy as np
import numpy.typing as npt

from ._spec import Program, Spec
from ._typing import Float32Dtype, Float64Dtype, FloatArray, Step, Steps

NPARAMS: int
VECTOR_MATH: bool
SIMD: str | None

def kind_facts() -> dict[int, tuple[str, bool]]: ...
def uses_vectorcall(cls: type) -> bool: ...
def _fill_chunk(engine: Engine, address: int, n: int, start: int, exact: bool, single: bool) -> None: ...

@disjoint_base
class Engine:
    """A schedule program evaluated by the compiled engine (immutable)."""

    @property
    def spec(self) -> Spec | None: ...
    @property
    def program(self) -> Program: ...
    @property
    def capsule(self) -> object: ...
    @staticmethod
    def adopt(cls: type) -> None: ...
    def __new__(cls, program: Program, spec: Spec | None = None, *args: Any, **kwargs: Any) -> Self: ...
    def __call__(self, step: Step) -> float: ...
    def at(self, steps: Steps) -> npt.NDArray[np.float64]: ...
    def fill(self, out: FloatArray, start: Step = 0, *, exact: bool = False,
             threads: int | None = None) -> FloatArray: ...
    @overload  # np.dtype[float64] and np.dtype[float32] never overlap (mypy cannot tell)
    def table(self, n: Step, dtype: Float64Dtype = ..., *, start: Step = 0,  # type: ignore[overload-overlap]
              exact: bool = False, threads: int | None = None) -> npt.NDArray[np.float64]: ...
    @overload
    def table(self, n: Step, dtype: Float32Dtype, *, start: Step = 0, exact: bool = False,
              threads: int | None = None) -> npt.NDArray[np.float32]: ...
    @overload
    def table(self, n: Step, dtype: str, *, start: Step = 0, exact: bool = False,
              threads: int | None = None) -> npt.NDArray[np.float32] | npt.NDArray[np.float64]: ...
