"""Print per-library golden counts for fastlr.compat (torch, transformers, timm, megatron, olmo, torchtitan)
on both engines.

Usage: python tests/golden_counts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import fastlr  # noqa: E402
from fastlr import _engine, _spec  # noqa: E402

from _compat import counts, metric_cases  # noqa: E402


class _Bound:
    def __init__(self, engine_class):
        self.engine_class = engine_class

    def bind(self, schedule):
        return _spec.rebind(schedule, self.engine_class)


def main() -> None:
    engines = _engine.available_engines()
    print("| library | engine | cases passed / total | values exact | within tolerance | total values |")
    print("| --- | --- | --- | --- | --- | --- |")
    for library in ("torch", "transformers", "timm", "megatron", "olmo", "torchtitan"):
        for name, module in engines.items():
            passed, cases, exact, within, total = counts(library, _Bound(module.Engine))
            print(f"| {library} | {name} | {passed} / {cases} | {exact} | {within} | {total} |")
        metric = metric_cases(library)
        if metric:
            ok = exact = total = 0
            for case in metric:
                if "raises" in case:
                    try:
                        eval(case["call"], {"fastlr": fastlr})
                    except (ValueError, TypeError):
                        ok += 1
                    continue
                controller = eval(case["call"], {"fastlr": fastlr})
                got = [controller.lr] + [controller.step(m) for m in case["args"]["metrics"]]
                want = [float(v) for v in case["values"]]
                hits = sum(got[k] == w for k, w in zip(case["steps"], want))
                ok += hits == len(want)
                exact += hits
                total += len(want)
            print(f"| {library} (metric) | - | {ok} / {len(metric)} | {exact} | {exact} | {total} |")


if __name__ == "__main__":
    main()
