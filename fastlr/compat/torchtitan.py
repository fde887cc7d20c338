"""torchtitan's learning-rate schedule under its own names (peer: torchtitan 0.3.0).

torchtitan has one schedule, ``linear_warmup_stable_decay``, built by
``LRSchedulersContainer.Config(...).build(optimizers=..., training_steps=...)``
and run as a torch ``LambdaLR``: ``s(k) = base_lr * lambda(k)`` after ``k``
calls of ``lr_schedulers.step()``. torchtitan's train loop steps the optimizer
first and the schedulers second, so the n-th update (n = 1, 2, ...) uses
``s(n - 1)``, as with every torch scheduler.

Quirks reproduced (torchtitan 0.3.0):

* the warmup counts from 1: ``lambda(k) = (k + 1) / warmup_steps`` for
  ``k < warmup_steps``, so the first update already has ``base_lr / warmup_steps``
  and the peak comes at ``k = warmup_steps - 1``;
* a "virtual last step": the stable phase lasts ``total + 1 - warmup - decay``
  steps and the decay progress is ``(k + 1 - warmup - stable) / decay``, so the
  minimum ``base_lr * min_lr_factor`` comes at ``k = total``, one step after the
  last update of the run;
* nothing is clamped past ``total``: the linear and sqrt decays go on below the
  minimum (and below zero), the cosine rises again;
* ``warmup_steps > total`` is cut to ``total``; ``decay_steps =
  round(total * decay_ratio)`` (Python's round: half to even) is cut to
  ``total - warmup``.

With no decay phase (``decay_ratio=0``, or a warmup as long as the run)
torchtitan's ``step()`` fails its assertion ``decay_steps != 0`` from
``k = total + 1`` on, past the end of training; fastlr holds ``base_lr`` there.
A negative ``warmup_steps``, ``total_steps`` or ``decay_ratio`` and an unknown
``decay_type`` (which torchtitan rejects only when the decay begins) raise
``ValueError`` at construction.
"""

from __future__ import annotations

from .. import _validate as check
from .._kinds import DECAY_COEFF_SHAPES, Kind
from .._spec import Segment, factory

__all__ = ["LRSchedulersContainer"]

PEER = "torchtitan 0.3.0"

DECAY_TYPES = ("linear", "sqrt", "cosine")
_SHAPES = {"linear": "linear", "sqrt": "minus_sqrt", "cosine": "cosine"}


def _coeff(scale: float, low: float, delta: float, offset: int, begin: int, span: int,
           shape: str) -> tuple[float, ...]:
    return (scale, low, delta, float(offset), float(begin), float(span), float(DECAY_COEFF_SHAPES.index(shape)))


@factory("compat.torchtitan.LRSchedulersContainer")
def LRSchedulersContainer(base_lr: float, training_steps: int, warmup_steps: int = 200,
                          total_steps: int | None = None, decay_ratio: float | None = None,
                          decay_type: str = "linear", min_lr_factor: float = 0.0) -> list[Segment]:
    r"""torchtitan ``LRSchedulersContainer`` (torchtitan 0.3.0): linear warmup, stable, decay.

    With :math:`T` = ``total_steps`` (default ``training_steps``),
    :math:`W = \min(` ``warmup_steps`` :math:`, T)`, :math:`D` = ``T - W`` or
    :math:`\min(\mathrm{round}(T\,\mathrm{decay\_ratio}), T - W)`,
    :math:`S = T + 1 - W - D` and :math:`m` = ``min_lr_factor``:

    .. math:: s(k) = \mathrm{base\_lr}\cdot\begin{cases}
              (k + 1) / W & k < W \\
              1 & W \le k < W + S \\
              m + (1 - m)\,f(p),\ p = (k + 1 - W - S) / D & k \ge W + S
              \end{cases}

    with :math:`f(p) = 1 - p` (``"linear"``), :math:`1 - \sqrt p` (``"sqrt"``) or
    :math:`\tfrac12(1 + \cos\pi p)` (``"cosine"``), unclamped for :math:`p > 1`.
    See the module docstring for the quirks.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    training_steps : int
        ``training.steps`` (what torchtitan passes to ``build``), >= 0.
    warmup_steps : int
        >= 0; cut to the total.
    total_steps : int, optional
        Overrides ``training_steps`` for the schedule (>= 0).
    decay_ratio : float, optional
        Fraction of the total spent decaying (>= 0); None: decay right after the warmup.
    decay_type : {"linear", "sqrt", "cosine"}
    min_lr_factor : float
        The decay ends at ``base_lr * min_lr_factor``.
    """
    base = check.real("base_lr", base_lr)
    training = check.integer("training_steps", training_steps)
    total = training if total_steps is None else check.integer("total_steps", total_steps)
    warm = min(check.integer("warmup_steps", warmup_steps), total)
    if decay_ratio is None:
        decay = total - warm
    else:
        ratio = check.real("decay_ratio", decay_ratio, low=0.0)
        decay = total - warm if ratio >= 1.0 else min(round(total * ratio), total - warm)
    shape = _SHAPES[check.choice("decay_type", decay_type, DECAY_TYPES)]
    low = check.real("min_lr_factor", min_lr_factor)
    begin = total + 1 - decay  # warmup + stable steps
    segments = []
    if warm > 0:
        segments.append(Segment(Kind.DECAY_COEFF, 0, _coeff(base, 0.0, 1.0, 1, 0, warm, "ramp")))
    segments.append(Segment(Kind.CONSTANT, warm, (base * 1.0,)))
    if decay > 0:
        segments.append(Segment(Kind.DECAY_COEFF, begin, _coeff(base, low, 1 - low, begin + 1, begin, decay, shape)))
    return segments
