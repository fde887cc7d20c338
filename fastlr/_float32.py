"""Float32 flush-to-zero, shared by the NumPy float32 formulas and the compat factories.

TensorFlow and the XLA:CPU client run with flush-to-zero: every float32
result of the peers that compute in float32 (Keras, optax) passes through
:func:`fz`. It lives here, outside any engine, so that compat can round
hyper-parameters the same way without importing an engine's formulas.
"""

from __future__ import annotations

from typing import Any

import numpy as np

F32 = np.float32
_TINY = F32(np.finfo(np.float32).tiny)
_ZERO = F32(0.0)


def fz(x: Any) -> np.ndarray:
    """Flush subnormal float32 values to a zero of the same sign."""
    x = np.asarray(x, dtype=F32)
    return np.where(np.abs(x) < _TINY, np.copysign(_ZERO, x), x)
