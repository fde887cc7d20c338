"""Loading the vendored golden tables and the tolerance rule they are checked with."""

from __future__ import annotations

import functools
import gzip
import json
import math
from pathlib import Path

import numpy as np

GOLDEN = Path(__file__).parent / "golden"
LIBRARIES = ("torch", "keras", "tf_keras", "optax", "transformers", "timm", "seed")


@functools.lru_cache(maxsize=None)
def cases(library: str) -> list[dict]:
    """Every case of one library's golden file."""
    with gzip.open(GOLDEN / f"{library}.json.gz", "rt") as f:
        return json.load(f)["cases"]


def values(case: dict) -> np.ndarray:
    """The golden values as float64 (the strings "nan"/"inf"/"-inf" decoded)."""
    return np.array([float(v) for v in case["values"]], dtype=np.float64)


def tolerance(case: dict) -> np.ndarray:
    """Allowed absolute error per value under the golden rule."""
    want = values(case)
    finite = np.abs(want[np.isfinite(want)])
    scale = float(finite.max()) if finite.size else 0.0
    if case["dtype"] == "float32":
        ulp = np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)
        return 2 * ulp + 4 * 2.0**-23 * scale
    return np.full(want.shape, 1e-12 * scale + 1e-300)


def mismatches(case: dict, got: np.ndarray) -> np.ndarray:
    """Indices where ``got`` breaks the rule (non-finite values must match exactly)."""
    want = values(case)
    got = np.asarray(got, dtype=np.float64)
    finite = np.isfinite(want)
    with np.errstate(invalid="ignore"):
        bad_finite = finite & ~(np.abs(got - want) <= tolerance(case))
    bad_special = ~finite & ~((np.isnan(want) & np.isnan(got)) | (want == got))
    return np.flatnonzero(bad_finite | bad_special)


def exact_count(case: dict, got: np.ndarray) -> int:
    """How many values are bit-for-bit equal to the golden ones."""
    want = values(case)
    got = np.asarray(got, dtype=np.float64)
    return int(np.sum((got == want) | (np.isnan(got) & np.isnan(want))))


def case_ids(library: str) -> list[str]:
    return [c["id"] for c in cases(library)]


def is_nonsense(case: dict) -> bool:
    """The peer accepted the parameters but failed later or produced nan/inf."""
    return "raises_at_step" in case or not all(math.isfinite(float(v)) for v in case.get("values", []))
