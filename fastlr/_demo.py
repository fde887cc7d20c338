"""The seed demo: the founding blog post's schedules over 40,000 steps, and its figure.

The post (on learning-rate warmup, written with TensorFlow) plotted five
schedules, the Transformer schedule at two model widths (six curves); each is
rebuilt here from the native catalog:

============================================  ==================================================
post                                          fastlr
============================================  ==================================================
``CosineDecay(0.001, 4000)``                  ``cosine(0.001, 4000)``
``ExponentialDecay(0.001, 4000, 0.9)``        ``exponential(0.001, 0.9, 4000)``
``PiecewiseConstantDecay([10000, 20000,       ``piecewise_constant([10001, 20001, 30001], ...)``
30000], [1e-3, 8e-4, 4e-4, 1e-4])``           (Keras keeps ``values[i]`` while ``step <= b``)
custom warmup, ``lr * warmup / step``         ``warmup_inverse(0.001, 4000, power=1.0)``
Transformer schedule, ``d_model`` 128 / 512   ``noam(128)``, ``noam(512)``
============================================  ==================================================
"""

from __future__ import annotations

from typing import Any

from ._spec import Schedule
from ._summary import number, sparkline, summarize
from .schedules import cosine, exponential, noam, piecewise_constant, warmup_inverse

STEPS = 40_000
DEFAULT_OUTPUT = "fastlr-demo.png"
KEY_STEPS = (0, 1_000, 4_000, 10_000, 20_000, 30_000, 39_999)
KERAS_BOUNDARIES = (10_000, 20_000, 30_000)  # the post's PiecewiseConstantDecay boundaries


def seed_schedules() -> dict[str, Schedule]:
    """The post's schedules by legend label, built from the native catalog."""
    return {
        "CosineDecay(0.001, 4000)": cosine(0.001, 4000),
        "ExponentialDecay(0.001, 4000, 0.9)": exponential(0.001, 0.9, 4000),
        "PiecewiseConstantDecay([10000, 20000, 30000], ...)": piecewise_constant(
            [b + 1 for b in KERAS_BOUNDARIES], [0.001, 0.0008, 0.0004, 0.0001]),
        "warmup 4000, then lr * warmup / step": warmup_inverse(0.001, 4000, power=1.0),
        "Noam, d_model 128": noam(128),
        "Noam, d_model 512": noam(512),
    }


PANELS = (
    ("TF CosineDecay", ["CosineDecay(0.001, 4000)"]),
    ("TF ExponentialDecay", ["ExponentialDecay(0.001, 4000, 0.9)"]),
    ("TF PiecewiseConstantDecay", ["PiecewiseConstantDecay([10000, 20000, 30000], ...)"]),
    ("Linear warmup, then 1/step", ["warmup 4000, then lr * warmup / step"]),
    ("Transformer (Noam), warmup 4000", ["Noam, d_model 128", "Noam, d_model 512"]),
)


def summary_text(schedules: dict[str, Schedule], steps: int = STEPS) -> str:
    """The table the demo prints: peak and where, values at key steps, a sparkline each."""
    keys = [k for k in KEY_STEPS if k < steps]
    width = max(len(label) for label in schedules)
    head = f"{'schedule':<{width}}  {'peak':>11} {'at step':>8}  " + " ".join(f"{f's({k})':>11}" for k in keys)
    lines = [f"The founding blog post's {len(PANELS)} schedules, {len(schedules)} curves (the Transformer "
             f"schedule at two model widths), over {steps:,} steps (0-based update counts):",
             "", head, "-" * len(head)]
    sparks = []
    for label, s in schedules.items():
        info = summarize(s, steps, width=60)
        values = " ".join(f"{number(s(k)):>11}" for k in keys)
        lines.append(f"{label:<{width}}  {number(info.peak):>11} {info.peak_step:>8,}  {values}")
        sparks.append((label, sparkline(info.highs, low=0.0), repr(s)))
    lines.append("")
    lines.append(f"Each row from step 0 to {steps - 1:,}, on one scale from 0 to its own peak "
                 f"(each character: the largest value of its {steps / 60:,.0f} steps):")
    for label, spark, _ in sparks:
        lines.append(f"  {spark}  {label}")
    lines.append("")
    lines.append("Built with:")
    lines.extend(f"  {text}" for _, _, text in sparks)
    lines.append("")
    shifted = ", ".join(str(b + 1) for b in KERAS_BOUNDARIES)
    lines.append(f"Keras's PiecewiseConstantDecay changes value one step after each boundary (it keeps "
                 f"values[i] while step <= boundaries[i]);\nfastlr's piecewise_constant changes at the "
                 f"boundary, so the post's boundaries {list(KERAS_BOUNDARIES)} become [{shifted}] here.")
    return "\n".join(lines)


def figure(schedules: dict[str, Schedule], steps: int = STEPS) -> Any:
    """The post's figure: one panel per schedule and an overlay of all of them."""
    from matplotlib.figure import Figure

    from .plot import plot

    fig = Figure(figsize=(13, 7.5), layout="constrained")
    axes = fig.subplots(2, 3).ravel()
    for ax, (title, labels) in zip(axes, PANELS):
        plot({k: schedules[k] for k in labels}, steps=steps, ax=ax)
        ax.set_title(title)
    plot(schedules, steps=steps, ax=axes[-1], boundaries=False, linewidth=1.0)
    axes[-1].set_title("All of them")
    axes[-1].legend(fontsize="x-small")
    fig.suptitle(f"fastlr demo: the founding blog post's schedules over {steps:,} steps")
    return fig
