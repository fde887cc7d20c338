"""Count how many golden float32 values fastlr reproduces bit for bit, per library and engine.

    python tools/f32_exactness.py [keras tf_keras optax seed ...]

For every case of the vendored golden tables (tests/golden/<library>.json.gz)
whose ``call`` names ``fastlr.compat.<library>`` (seed: the three TensorFlow
cases), each engine evaluates the schedule per step (``s(k)``) and in bulk
(``s.at(steps)``, float64, and ``s.fill`` on float32 between the smallest and
largest step); the script prints values exact / within the golden tolerance /
total, per dtype, and the cases that fail the rule.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import fastlr  # noqa: E402
from fastlr import _engine, _spec  # noqa: E402
import _golden  # noqa: E402

DEFAULT = ("keras", "tf_keras", "optax", "seed")


def compat_cases(library: str) -> list[dict]:
    cases = _golden.cases(library)
    if library == "seed":
        return [c for c in cases if c["call"].startswith("fastlr.compat.tf_keras.")]
    return [c for c in cases if c.get("kind") != "metric"]


def evaluate(case: dict, engine) -> dict[str, np.ndarray] | None:
    try:
        s = eval(case["call"], {"fastlr": fastlr})
    except (ValueError, TypeError):
        return None
    s = _spec.rebind(s, engine.Engine)
    steps = np.array(case["steps"], dtype=np.int64)
    lo, hi = int(steps.min()), int(steps.max())
    filled = s.fill(np.empty(hi - lo + 1, dtype=np.float32), lo)[steps - lo]
    return {"per_step": np.array([s(int(k)) for k in steps]), "at": s.at(steps),
            "fill_f32": filled.astype(np.float64)}


def main(libraries: list[str]) -> int:
    failures = 0
    for name, engine in _engine.available_engines().items():
        for library in libraries:
            counts: dict[str, list[int]] = {}
            for case in compat_cases(library):
                if "raises" in case:
                    ok = evaluate(case, engine) is None
                    counts.setdefault("raises", [0, 0, 0])
                    counts["raises"][0] += ok
                    counts["raises"][2] += 1
                    if not ok:
                        failures += 1
                        print(f"  FAIL {name} {case['id']}: constructed, peer raised {case['raises']}")
                    continue
                got = evaluate(case, engine)
                if got is None:
                    if not _golden.is_nonsense(case):
                        failures += 1
                        print(f"  FAIL {name} {case['id']}: rejected at construction")
                    continue
                row = counts.setdefault(case["dtype"], [0, 0, 0])
                for path, values in got.items():
                    if path == "fill_f32" and case["dtype"] == "float64":
                        continue  # a float64 peer value has no float32 contract
                    bad = _golden.mismatches(case, values)
                    if path == "per_step":
                        if library == "seed":
                            print(f"{name:7s} {case['id']}: exact {_golden.exact_count(case, values)}"
                                  f" / within tolerance {len(values) - len(bad)} / total {len(values)}")
                        row[0] += _golden.exact_count(case, values)
                        row[1] += len(values) - len(bad)
                        row[2] += len(values)
                    if len(bad):
                        failures += 1
                        print(f"  FAIL {name} {case['id']} [{path}]: {len(bad)} values off the rule")
            summary = "; ".join(
                f"raises: rejected {e} / {t}" if dtype == "raises" else
                f"{dtype}: exact {e} / within tolerance {w} / total {t} ({100 * e / t:.2f}% exact)"
                for dtype, (e, w, t) in sorted(counts.items()))
            print(f"{name:7s} {library:9s} {summary}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(DEFAULT)))
