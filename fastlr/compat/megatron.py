"""Megatron-LM's ``OptimizerParamScheduler`` under its own names (peer: megatron-core 0.16.1).

``OptimizerParamScheduler(init_lr=..., max_lr=..., min_lr=..., lr_warmup_steps=...,
lr_decay_steps=..., lr_decay_style=..., ...)`` takes Megatron's keyword arguments
without the optimizer and returns the lr as a function of Megatron's
``num_steps``: ``s(k)`` is the lr that the scheduler sets once ``num_steps == k``
(the constructor sets ``s(0)``). :func:`weight_decay` is the matching
``weight_decay`` schedule (``get_wd``). Megatron's training loop calls
``step(increment=global_batch_size)`` after each optimizer step, so its steps
count samples: the n-th update uses ``s((n - 1) * global_batch_size)``, and the
step arguments (``lr_warmup_steps``, ``lr_decay_steps``, ``wsd_decay_steps``) are
in samples too (iterations times the global batch size).

Quirks reproduced (megatron-core 0.16.1):

* the warmup is inclusive: ``k <= lr_warmup_steps`` still warms up, so the
  peak ``init_lr + (max_lr - init_lr) * W / W`` comes at ``k = W`` and the decay
  starts at ``k = W + 1``; a fractional ``lr_warmup_steps`` (from
  ``--lr-warmup-fraction``) warms up through ``floor(W)``;
* from ``k > lr_decay_steps`` on the lr is ``min_lr`` for every style except
  ``constant`` (which holds ``max_lr`` forever), ``inverse-square-root`` included,
  which drops there from ``max_lr * sqrt(W / k)`` to ``min_lr``;
* ``WSD`` holds ``min_lr + (max_lr - min_lr)`` until ``lr_decay_steps -
  wsd_decay_steps``, then anneals (``lr_wsd_decay_style``) to ``min_lr`` at
  ``lr_decay_steps``; the annealing may begin inside the warmup, which wins.

Megatron's asserts (``0 <= min_lr <= max_lr``, ``init_lr <= max_lr``,
``0 <= lr_warmup_steps < lr_decay_steps``, ``wsd_decay_steps`` given for WSD,
``0 <= start_wd <= end_wd``, ``start_wd == end_wd`` for the ``constant`` weight
decay) raise ``ValueError``; so do what Megatron rejects only later: an unknown
``lr_decay_style`` (after the warmup), an unknown or missing ``lr_wsd_decay_style``
(at the first annealing step) and ``wd_incr_steps=0`` with a non-constant
increment (a division by zero in the constructor). A negative
``lr_warmup_steps`` or ``wsd_decay_steps`` is rejected too. Per-param-group
``max_lr``/``min_lr`` overrides are not modelled: build one schedule per group.
"""

from __future__ import annotations

import math
from typing import Any

from .. import _validate as check
from .._kinds import DECAY_COEFF_SHAPES, Kind
from .._spec import Segment, factory

__all__ = ["OptimizerParamScheduler", "weight_decay", "LR_DECAY_STYLES", "LR_WSD_DECAY_STYLES", "WD_INCR_STYLES"]

PEER = "megatron-core 0.16.1"

LR_DECAY_STYLES = ("constant", "linear", "cosine", "inverse-square-root", "WSD")
LR_WSD_DECAY_STYLES = ("linear", "cosine", "exponential", "minus_sqrt")
WD_INCR_STYLES = ("constant", "linear", "cosine")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _coeff(low: float, delta: float, offset: int, begin: float, span: float, shape: str) -> tuple[float, ...]:
    """DECAY_COEFF row: ``low + coeff(((u + offset) - begin) / span) * delta`` (scale 1)."""
    return (1.0, low, delta, float(offset), float(begin), float(span), float(DECAY_COEFF_SHAPES.index(shape)))


def _steps(name: str, value: Any, positive: bool = False) -> float:
    """A step count as Megatron uses it: any real number (``--lr-warmup-fraction`` makes floats)."""
    return check.real(name, value, low=0.0, low_open=positive)


def _weight_decay_args(start_wd: Any, end_wd: Any, wd_incr_steps: Any,
                       wd_incr_style: Any) -> tuple[float, float, float, str]:
    start, end = check.real("start_wd", start_wd), check.real("end_wd", end_wd)
    _require(start >= 0.0, f"start_wd must be >= 0, got {start_wd!r}")
    _require(end >= start, f"end_wd must be >= start_wd, got end_wd={end_wd!r}, start_wd={start_wd!r}")
    steps = _steps("wd_incr_steps", wd_incr_steps)
    style = check.choice("wd_incr_style", wd_incr_style, WD_INCR_STYLES)
    if style == "constant":
        _require(start == end, f"wd_incr_style='constant' needs start_wd == end_wd, got {start_wd!r} and {end_wd!r}")
    else:
        _require(steps > 0, f"wd_incr_steps must be > 0 with wd_incr_style={style!r} (Megatron divides by it), "
                            f"got {wd_incr_steps!r}")
    return start, end, steps, style


@factory("compat.megatron.weight_decay")
def weight_decay(start_wd: float, end_wd: float, wd_incr_steps: float, wd_incr_style: str) -> list[Segment]:
    r"""Megatron-LM ``OptimizerParamScheduler.get_wd`` (megatron-core 0.16.1): the weight decay at ``num_steps = k``.

    With :math:`r = k / \mathrm{wd\_incr\_steps}`:

    .. math:: s(k) = \mathrm{start\_wd} + c(r)\,(\mathrm{end\_wd} - \mathrm{start\_wd})
              \quad (k \le \mathrm{wd\_incr\_steps}),

    :math:`c(r) = r` (``"linear"``) or :math:`\tfrac12(\cos(\pi(1 - r)) + 1)`
    (``"cosine"``); ``end_wd`` after it and for ``"constant"`` (which needs
    ``start_wd == end_wd``). Megatron multiplies it by a group's ``wd_mult``.

    Parameters
    ----------
    start_wd, end_wd : float
        ``0 <= start_wd <= end_wd``.
    wd_incr_steps : float
        Length of the increment (> 0 unless constant).
    wd_incr_style : {"constant", "linear", "cosine"}
    """
    start, end, steps, style = _weight_decay_args(start_wd, end_wd, wd_incr_steps, wd_incr_style)
    after = Segment(Kind.CONSTANT, math.floor(steps) + 1, (end,))
    if style == "constant":
        return [Segment(Kind.CONSTANT, 0, (end,))]
    shape = "ramp" if style == "linear" else "cosine_rise"
    return [Segment(Kind.DECAY_COEFF, 0, _coeff(start, end - start, 0, 0.0, steps, shape)), after]


@factory("compat.megatron.OptimizerParamScheduler")
def OptimizerParamScheduler(init_lr: float, max_lr: float, min_lr: float, lr_warmup_steps: float,
                            lr_decay_steps: float, lr_decay_style: str, start_wd: float = 0.0,
                            end_wd: float = 0.0, wd_incr_steps: float = 0, wd_incr_style: str = "constant",
                            use_checkpoint_opt_param_scheduler: bool = True,
                            override_opt_param_scheduler: bool = False, wsd_decay_steps: float | None = None,
                            lr_wsd_decay_style: str | None = None) -> list[Segment]:
    r"""Megatron-LM ``OptimizerParamScheduler`` (megatron-core 0.16.1): the lr at ``num_steps = k``.

    With :math:`W` = ``lr_warmup_steps``, :math:`D` = ``lr_decay_steps``,
    :math:`\Delta` = ``max_lr - min_lr`` and :math:`r = (k - W)/(D - W)`:

    .. math:: s(k) = \begin{cases}
              \mathrm{init\_lr} + (\mathrm{max\_lr} - \mathrm{init\_lr})\,k / W & W > 0,\ k \le W \\
              \mathrm{max\_lr} & \text{constant} \\
              \mathrm{min\_lr} & k > D \\
              \max\bigl(\mathrm{min\_lr}, \mathrm{max\_lr}\sqrt{\max(W, 1)} / \sqrt{\max(k, 1)}\bigr)
              & \text{inverse-square-root} \\
              \mathrm{min\_lr} + c\,\Delta & \text{otherwise}
              \end{cases}

    with :math:`c = 1 - r` (linear), :math:`\tfrac12(\cos\pi r + 1)` (cosine), and
    for WSD :math:`c = 1` while :math:`k \le A = D -` ``wsd_decay_steps``, then
    :math:`q = (k - A)/` ``wsd_decay_steps`` in :math:`1 - q`,
    :math:`\tfrac12(\cos\pi q + 1)`, :math:`2 \cdot 0.5^q - 1` (exponential) or
    :math:`1 - \sqrt q` (minus_sqrt). See the module docstring for the quirks.

    Parameters
    ----------
    init_lr, max_lr, min_lr : float
        ``0 <= min_lr <= max_lr``, ``init_lr <= max_lr``.
    lr_warmup_steps : float
        ``0 <= W < lr_decay_steps`` (may be fractional).
    lr_decay_steps : float
        > 0.
    lr_decay_style : {"constant", "linear", "cosine", "inverse-square-root", "WSD"}
    start_wd, end_wd, wd_incr_steps, wd_incr_style :
        Validated as Megatron does (see :func:`weight_decay`); no effect on the lr.
    use_checkpoint_opt_param_scheduler, override_opt_param_scheduler : bool
        Not both.
    wsd_decay_steps : float, optional
        Length of the WSD annealing (>= 0), required with ``"WSD"``.
    lr_wsd_decay_style : {"linear", "cosine", "exponential", "minus_sqrt"}, optional
        Required with ``"WSD"``.
    """
    init, peak, low = check.real("init_lr", init_lr), check.real("max_lr", max_lr), check.real("min_lr", min_lr)
    _require(low >= 0.0, f"min_lr must be >= 0, got {min_lr!r}")
    _require(peak >= low, f"max_lr must be >= min_lr, got max_lr={max_lr!r}, min_lr={min_lr!r}")
    _require(init <= peak, f"init_lr must be <= max_lr, got init_lr={init_lr!r}, max_lr={max_lr!r}")
    warm, decay = _steps("lr_warmup_steps", lr_warmup_steps), _steps("lr_decay_steps", lr_decay_steps, True)
    _require(warm < decay, f"lr_warmup_steps must be < lr_decay_steps, got {lr_warmup_steps!r} and {lr_decay_steps!r}")
    style = check.choice("lr_decay_style", lr_decay_style, LR_DECAY_STYLES)
    wsd_steps = 0.0
    if style == "WSD":
        _require(wsd_decay_steps is not None, "lr_decay_style='WSD' needs wsd_decay_steps")
        wsd_steps = _steps("wsd_decay_steps", wsd_decay_steps)
        _require(lr_wsd_decay_style is not None, "lr_decay_style='WSD' needs lr_wsd_decay_style")
        check.choice("lr_wsd_decay_style", lr_wsd_decay_style, LR_WSD_DECAY_STYLES)
    _weight_decay_args(start_wd, end_wd, wd_incr_steps, wd_incr_style)
    check.boolean("use_checkpoint_opt_param_scheduler", use_checkpoint_opt_param_scheduler)
    _require(not (check.boolean("override_opt_param_scheduler", override_opt_param_scheduler)
                  and use_checkpoint_opt_param_scheduler),
             "override_opt_param_scheduler and use_checkpoint_opt_param_scheduler cannot both be set")

    first = math.floor(warm) + 1 if warm > 0 else 0  # first step after the inclusive warmup
    last = math.floor(decay)  # last step before min_lr
    segments = [Segment(Kind.LINEAR, 0, (init, peak, warm))] if warm > 0 else []
    if style == "constant":
        return segments + [Segment(Kind.CONSTANT, first, (peak,))]
    delta = peak - min_lr  # Megatron's own operands (min_lr may be an int)
    if style == "inverse-square-root":
        root = max(lr_warmup_steps, 1) ** 0.5
        if first == 0:  # num_steps = max(k, 1)
            segments.append(Segment(Kind.CONSTANT, 0, (max(low, peak * root / 1 ** 0.5),)))
            first = 1
        if first <= last:
            segments.append(Segment(Kind.MEGATRON_INV_SQRT, first, (peak, root, low, float(first))))
    elif style == "WSD":
        anneal = lr_decay_steps - wsd_decay_steps  # type: ignore[operator]
        turn = max(first, math.floor(anneal) + 1)
        if first <= min(math.floor(anneal), last):
            segments.append(Segment(Kind.CONSTANT, first, (low + 1.0 * delta,)))
        if turn <= last:
            segments.append(Segment(Kind.DECAY_COEFF, turn, _coeff(low, delta, turn, anneal, wsd_steps,
                                                                    lr_wsd_decay_style)))  # type: ignore[arg-type]
    elif first <= last:
        segments.append(Segment(Kind.DECAY_COEFF, first, _coeff(low, delta, first, warm,
                                                                lr_decay_steps - lr_warmup_steps, style)))
    return segments + [Segment(Kind.CONSTANT, last + 1, (low,))]
