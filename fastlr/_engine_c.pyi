"""Type stub of the compiled engine (fastlr/_engine_c.pyx); same API as _engine_py."""

from typing import Any

import numpy as np
import numpy.typing as npt

from ._spec import Program, Spec

NPARAMS: int

def kind_facts() -> dict[int, tuple[str, bool]]: ...

class Engine:
    """A schedule program evaluated by the compiled engine (immutable)."""

    @property
    def spec(self) -> Spec | None: ...
    @property
    def program(self) -> Program: ...
    def __init__(self, program: Program, spec: Spec | None = None, *args: Any, **kwargs: Any) -> None: ...
    def __call__(self, step: int | np.integer[Any]) -> float: ...
    def at(self, steps: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
    def fill(
        self, out: npt.NDArray[np.floating[Any]], start: int | np.integer[Any] = 0
    ) -> npt.NDArray[np.floating[Any]]: ...
    def table(
        self, n: int | np.integer[Any], dtype: npt.DTypeLike = ..., *, start: int | np.integer[Any] = 0
    ) -> npt.NDArray[np.floating[Any]]: ...
