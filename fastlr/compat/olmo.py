"""OLMo-core's learning-rate schedulers under their own names (peer: ai2-olmo-core 3.0.0).

Each class of ``olmo_core.optim.scheduler`` is a factory taking the dataclass's
fields plus ``base_lr=`` (the optimizer's lr, OLMo-core's ``initial_lr``) and
``max_steps=`` (the trainer's ``max_steps``, OLMo-core's ``t_max``; ``max_tokens``
with ``units="tokens"``). ``s(k) = get_lr(base_lr, current=k, t_max=max_steps)``.
OLMo-core's Trainer increments ``global_step`` before each batch and sets the
lr from ``current = global_step``, so its n-th update (n = 1, 2, ...) uses
``s(n)``, not ``s(n - 1)``: with ``fastlr.torch.LRScheduler`` (whose n-th update
uses ``s(start_step + n - 1)``) pass ``start_step=1``.

Quirks reproduced (OLMo-core 3.0.0):

* ``ConstantWithWarmup``, ``WSD`` and ``PowerLR`` warm up while
  ``current <= warmup`` (inclusive), the other schedulers while
  ``current < warmup``; ``warmup_fraction``/``decay_fraction`` become
  ``round(t_max * fraction)`` (half to even);
* past ``t_max`` the linear decays of ``WSD``, ``PowerLR``,
  ``CosWithWarmupAndLinearDecay`` go on below ``decay_min_lr`` (and below zero);
  ``CosWithWarmup``/``LinearWithWarmup``/``HalfCosWithWarmup`` hold
  ``base_lr * alpha_f``; ``InvSqrtWithWarmup`` has no end; a ``warmup`` longer
  than ``t_max`` runs to its end first;
* the ``t_max`` field of ``CosWithWarmup`` & co. replaces the trainer's value,
  except in ``CosWithWarmupAndLinearDecay``'s decay, which uses the trainer's;
* ``WSDS`` counts each later period from 1: the count where one period ends
  belongs to it, the next begins one count later;
* ``SequentialScheduler`` hands each scheduler the lr the previous one reached
  at its ``schedulers_max`` (computed with ``t_max = schedulers_max``) and
  starts it at its own count 1. Its entries are dicts
  ``{"name": <class name>, "args": {<fields>}}``.

OLMo-core's configuration errors raise ``ValueError`` (same messages), and so do
parameters it accepts but fails on later, during training: a zero-length decay
(``WSD``, ``PowerLR``, ``CosWithWarmupAndLinearDecay``, ``WSDS`` divide by it at
``t_max`` or at each period's end), ``PowerLR`` with ``warmup=0`` or
``max_steps <= decay`` (for ``WSD`` and ``PowerLR`` only where ``max_steps > warmup``:
otherwise OLMo-core fails only past ``max_steps`` and fastlr holds ``base_lr`` there),
``warmup_min_lr``/``decay_min_lr`` not below the lr they start from (OLMo-core
asserts it where it evaluates that phase), and negative counts.
With ``warmup=0`` OLMo-core divides 0 by 0 at ``current = 0``, a count its
Trainer never uses; fastlr gives the value just after the (empty) warmup there.
Past ``max_steps`` ``SequentialScheduler`` asserts; fastlr goes on with the last
scheduler it reached. One deliberate difference: ``WSD``, ``PowerLR`` and
``CosWithWarmupAndLinearDecay`` default ``decay_fraction`` to 0.1 in OLMo-core,
so ``decay`` alone raises "Never both" there (pass ``decay_fraction=None``); here
``decay_fraction`` defaults to None, meaning 0.1 when ``decay`` is not given,
because a schedule's ``to_dict``/``repr`` cannot hold an explicit None. Tensor
learning rates are not modelled.
"""

from __future__ import annotations

import inspect
from typing import Any, Mapping, Sequence

from .._docblocks import define
from .._spec import Segment, factory
from . import _olmo_parts as parts

__all__ = list(parts.SCHEDULERS)

PEER = "ai2-olmo-core 3.0.0"

define(  # parameters that several schedulers document alike (in full in one of them)
    olmo_base="""
    base_lr : float
    max_steps : int
    """,
    olmo_fields="""
    lr_field, initial_lr_field, units :
        As :func:`ConstantScheduler`.
    """,
    olmo_warmup="""
    warmup, warmup_steps, warmup_fraction, warmup_min_lr :
        As :func:`ConstantWithWarmup`.
    """,
    olmo_cosine="""
    warmup, warmup_steps, warmup_fraction, alpha_f, t_max, warmup_min_lr :
        As :func:`CosWithWarmup`.
    """)


def _schedule(name: str, arguments: dict[str, Any]) -> list[Segment]:
    fields = dict(arguments)
    return parts.schedule(name, fields.pop("base_lr"), fields.pop("max_steps"), fields)


@factory("compat.olmo.ConstantScheduler")
def ConstantScheduler(base_lr: float, max_steps: int, lr_field: str = "lr", initial_lr_field: str = "initial_lr",
                      units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``ConstantScheduler``: :math:`s(k) = \mathrm{base\_lr}`.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr (``initial_lr``).
    max_steps : int
        The trainer's ``max_steps`` (``t_max``), >= 0.
    lr_field, initial_lr_field : str
        Accepted (no effect).
    units : {"steps", "tokens"}
        What a step counts (no effect on the values).
    """
    return _schedule("ConstantScheduler", locals())


@factory("compat.olmo.ConstantWithWarmup")
def ConstantWithWarmup(base_lr: float, max_steps: int, warmup: int | None = None, warmup_steps: int | None = None,
                       warmup_fraction: float | None = None, warmup_min_lr: float = 0.0, lr_field: str = "lr",
                       initial_lr_field: str = "initial_lr", units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``ConstantWithWarmup``.

    With :math:`W` = ``warmup`` (or ``round(max_steps * warmup_fraction)``) and
    :math:`m` = ``warmup_min_lr``:

    .. math:: s(k) = m + (\mathrm{base\_lr} - m)\,k / W \;(k \le W), \qquad \mathrm{base\_lr} \;(k > W)

    Parameters
    ----------
    <<olmo_base>>
    warmup : int, optional
        Exactly one of ``warmup`` and ``warmup_fraction`` (in [0, 1]).
    warmup_steps : int, optional
        Deprecated spelling of ``warmup`` (``DeprecationWarning``).
    warmup_fraction : float, optional
    warmup_min_lr : float
        In ``[0, base_lr)``.
    <<olmo_fields>>
    """
    return _schedule("ConstantWithWarmup", locals())


@factory("compat.olmo.WSD")
def WSD(base_lr: float, max_steps: int, warmup: int | None = None, warmup_steps: int | None = None,
        warmup_fraction: float | None = None, decay: int | None = None, decay_steps: int | None = None,
        decay_fraction: float | None = None, warmup_min_lr: float = 0.0, decay_min_lr: float = 0.0,
        lr_field: str = "lr", initial_lr_field: str = "initial_lr", units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``WSD``: warmup (inclusive), stable, linear decay over the last :math:`D` steps.

    With :math:`T` = ``max_steps``, :math:`D` = ``decay`` or ``round(T * decay_fraction)``:

    .. math:: s(k) = \mathrm{decay\_min\_lr} + (\mathrm{base\_lr} - \mathrm{decay\_min\_lr})\,(T - k)/D
              \quad (k \ge T - D,\ k > W)

    after the warmup of :func:`ConstantWithWarmup` and ``base_lr`` in between;
    not clamped past :math:`T`.

    Parameters
    ----------
    <<olmo_base>>
    <<olmo_warmup>>
    decay : int, optional
        At most one of ``decay`` and ``decay_fraction`` (0.1 when neither is
        given; OLMo-core needs ``decay_fraction=None`` with ``decay``); > 0.
    decay_steps : int, optional
        Deprecated spelling of ``decay``.
    decay_fraction : float, optional
    decay_min_lr : float
        In ``[0, base_lr)``.
    <<olmo_fields>>
    """
    return _schedule("WSD", locals())


@factory("compat.olmo.PowerLR")
def PowerLR(base_lr: float, max_steps: int, b: float = -0.51, warmup: int | None = None,
            warmup_steps: int | None = None, warmup_fraction: float | None = None, warmup_min_lr: float = 0.0,
            decay: int | None = None, decay_steps: int | None = None, decay_fraction: float | None = None,
            decay_min_lr: float = 0.0, lr_field: str = "lr", initial_lr_field: str = "initial_lr",
            units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``PowerLR`` (IBM's power scheduler): warmup, power law, linear decay tail.

    .. math:: s(k) = \mathrm{base\_lr}\,(k / W)^{b} \quad (W < k < T - D)

    after the inclusive warmup of :func:`ConstantWithWarmup`; from :math:`T - D` the
    linear decay of :func:`WSD` from :math:`\mathrm{base\_lr}\,((T - D)/W)^{b}`.

    Parameters
    ----------
    <<olmo_base>>
        Must exceed the decay.
    b : float
        Negative exponent.
    warmup, warmup_steps, warmup_fraction, warmup_min_lr :
        As :func:`ConstantWithWarmup`; the warmup must be > 0.
    decay, decay_steps, decay_fraction, decay_min_lr :
        As :func:`WSD`.
    <<olmo_fields>>
    """
    return _schedule("PowerLR", locals())


@factory("compat.olmo.LinearWithWarmup")
def LinearWithWarmup(base_lr: float, max_steps: int, alpha_f: float = 0.1, t_max: int | None = None,
                     warmup: int | None = None, warmup_steps: int | None = None,
                     warmup_fraction: float | None = None, warmup_min_lr: float = 0.0, lr_field: str = "lr",
                     initial_lr_field: str = "initial_lr", units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``LinearWithWarmup``.

    With :math:`T` = ``t_max`` (default ``max_steps``) and :math:`\eta` = ``base_lr * alpha_f``:

    .. math:: s(k) = \mathrm{base\_lr} - (\mathrm{base\_lr} - \eta)\,\frac{k - W}{T - W} \quad (W \le k < T)

    after the warmup (exclusive: :math:`k < W`), :math:`\eta` from :math:`\max(W, T)` on.

    Parameters
    ----------
    <<olmo_base>>
    alpha_f : float
        Final fraction of ``base_lr``.
    t_max : int, optional
        Replaces ``max_steps``.
    <<olmo_warmup>>
    <<olmo_fields>>
    """
    return _schedule("LinearWithWarmup", locals())


@factory("compat.olmo.InvSqrtWithWarmup")
def InvSqrtWithWarmup(base_lr: float, max_steps: int, alpha_f: float = 0.1, warmup: int | None = None,
                      warmup_steps: int | None = None, warmup_fraction: float | None = None,
                      warmup_min_lr: float = 0.0, lr_field: str = "lr", initial_lr_field: str = "initial_lr",
                      units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``InvSqrtWithWarmup`` (no end: ``max_steps`` only resolves ``warmup_fraction``).

    .. math:: s(k) = \eta + (\mathrm{base\_lr} - \eta)\sqrt{W / k} \quad (k \ge W),
              \qquad \eta = \mathrm{base\_lr}\,\alpha_f

    after the warmup (exclusive).

    Parameters
    ----------
    <<olmo_base>>
    alpha_f : float
    <<olmo_warmup>>
    <<olmo_fields>>
    """
    return _schedule("InvSqrtWithWarmup", locals())


@factory("compat.olmo.CosWithWarmup")
def CosWithWarmup(base_lr: float, max_steps: int, warmup: int | None = None, warmup_steps: int | None = None,
                  warmup_fraction: float | None = None, alpha_f: float = 0.1, t_max: int | None = None,
                  warmup_min_lr: float = 0.0, lr_field: str = "lr", initial_lr_field: str = "initial_lr",
                  units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``CosWithWarmup``.

    .. math:: s(k) = \eta + (\mathrm{base\_lr} - \eta)\,\tfrac12\Bigl(1 + \cos\frac{\pi (k - W)}{T - W}\Bigr)
              \quad (W \le k < T)

    after the warmup (exclusive), :math:`\eta` = ``base_lr * alpha_f`` from
    :math:`\max(W, T)` on; :math:`T` as :func:`LinearWithWarmup`.

    Parameters
    ----------
    <<olmo_base>>
    warmup, warmup_steps, warmup_fraction :
        As :func:`ConstantWithWarmup`.
    alpha_f : float
    t_max : int, optional
    warmup_min_lr : float
    <<olmo_fields>>
    """
    return _schedule("CosWithWarmup", locals())


@factory("compat.olmo.HalfCosWithWarmup")
def HalfCosWithWarmup(base_lr: float, max_steps: int, warmup: int | None = None, warmup_steps: int | None = None,
                      warmup_fraction: float | None = None, alpha_f: float = 0.1, t_max: int | None = None,
                      warmup_min_lr: float = 0.0, lr_field: str = "lr", initial_lr_field: str = "initial_lr",
                      units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``HalfCosWithWarmup``: the second half of a cosine from ``base_lr`` to :math:`\eta`.

    .. math:: s(k) = \eta + (\mathrm{base\_lr} - \eta)\,\tfrac12\Bigl(1 + \cos\frac{\pi (k - W + T')}{2T'}\Bigr),
              \quad T' = T - W \quad (W \le k < T)

    after a warmup (exclusive) to the cosine's midpoint :math:`\eta + (\mathrm{base\_lr} - \eta)/2`.

    Parameters
    ----------
    <<olmo_base>>
    <<olmo_cosine>>
    <<olmo_fields>>
    """
    return _schedule("HalfCosWithWarmup", locals())


@factory("compat.olmo.CosWithWarmupAndLinearDecay")
def CosWithWarmupAndLinearDecay(base_lr: float, max_steps: int, warmup: int | None = None,
                                warmup_steps: int | None = None, warmup_fraction: float | None = None,
                                alpha_f: float = 0.1, t_max: int | None = None, warmup_min_lr: float = 0.0,
                                decay: int | None = None, decay_steps: int | None = None,
                                decay_fraction: float | None = None, decay_min_lr: float = 0.0,
                                lr_field: str = "lr", initial_lr_field: str = "initial_lr",
                                units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``CosWithWarmupAndLinearDecay``: :func:`CosWithWarmup` cut at :math:`T - D`, then linear.

    With :math:`T` = ``max_steps`` (the ``t_max`` field does not move the cut) and
    :math:`c` the cosine's value at :math:`T - D`:

    .. math:: s(k) = \mathrm{decay\_min\_lr} + (c - \mathrm{decay\_min\_lr})(T - k)/D \quad (k \ge T - D)

    Parameters
    ----------
    <<olmo_base>>
    <<olmo_cosine>>
    decay, decay_steps, decay_fraction, decay_min_lr :
        As :func:`WSD` (``decay <= max_steps``).
    <<olmo_fields>>
    """
    return _schedule("CosWithWarmupAndLinearDecay", locals())


@factory("compat.olmo.WSDS")
def WSDS(base_lr: float, max_steps: int, period_lengths: Sequence[int] = (),
         period_lr_multipliers: Sequence[float] | None = None, warmup: int | None = None,
         warmup_fraction: float | None = None, decay: int | None = None, decay_fraction: float | None = None,
         warmup_min_lr: float = 0.0, decay_min_lr: float = 0.0, lr_field: str = "lr",
         initial_lr_field: str = "initial_lr", units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``WSDS`` (warmup-stable-decay, simplified, for continual pretraining).

    Periods of ``period_lengths`` (the first includes the warmup), each at its
    peak :math:`p_i` = ``base_lr * period_lr_multipliers[i]`` and decaying
    linearly over its last :math:`D_i` steps (``decay`` or
    ``round(decay_fraction * length)``) to ``decay_min_lr``, which holds after the
    last period. With :math:`E_i` the count where period :math:`i` ends:

    .. math:: s(k) = \mathrm{decay\_min\_lr} + (p_i - \mathrm{decay\_min\_lr})(E_i - k)/D_i
              \quad (E_i - D_i \le k \le E_i)

    ``max_steps`` is not used (the periods define the schedule).

    Parameters
    ----------
    <<olmo_base>>
    period_lengths : sequence of int
        Positive; ``warmup + D_0 <= period_lengths[0]``.
    period_lr_multipliers : sequence of float, optional
        Positive, one per period.
    warmup, warmup_fraction : optional
        Exactly one (the fraction is of the first period).
    decay, decay_fraction : optional
        Exactly one.
    warmup_min_lr, decay_min_lr : float
    <<olmo_fields>>
    """
    return _schedule("WSDS", locals())


@factory("compat.olmo.ExponentialScheduler")
def ExponentialScheduler(base_lr: float, max_steps: int, lr_min: float = 1e-9, lr_field: str = "lr",
                         initial_lr_field: str = "initial_lr", units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``ExponentialScheduler``: an exponential rise from ``lr_min`` to ``base_lr``.

    .. math:: s(k) = \mathrm{lr\_min}\,(\mathrm{base\_lr} / \mathrm{lr\_min})^{k / T} \quad (0 < k < T)

    ``lr_min`` at 0 and ``base_lr`` from :math:`T` = ``max_steps`` on.

    Parameters
    ----------
    <<olmo_base>>
    lr_min : float
        > 0.
    <<olmo_fields>>
    """
    return _schedule("ExponentialScheduler", locals())


@factory("compat.olmo.ComposableScheduler")
def ComposableScheduler(base_lr: float, max_steps: int, stages: Sequence[Mapping[str, Any]] = (),
                        override_decay: Mapping[str, Any] | None = None, lr_field: str = "lr",
                        initial_lr_field: str = "initial_lr", units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``ComposableScheduler``: linear or cosine stages, then the last end lr.

    Stage :math:`j` (``ComposableSchedulerStage`` fields as a dict: ``duration``,
    ``shape`` "linear"/"cosine", ``start_lr``/``start_lr_fraction`` (default: the
    previous end), exactly one of ``end_lr``/``end_lr_fraction``) interpolates
    from :math:`a` to :math:`b` over its count :math:`c`:

    .. math:: a + (b - a)\,c / n \quad\text{or}\quad b + (a - b)\,\tfrac12(1 + \cos(\pi c / n))

    ``override_decay`` (``OverrideDecay`` fields as a dict: ``start``,
    ``duration``, ``shape``, ``end_lr``/``end_lr_fraction``) replaces everything
    from ``start`` by an interpolation from the value there to its end lr.
    ``max_steps`` is not used.

    Parameters
    ----------
    <<olmo_base>>
    stages : sequence of dict
    override_decay : dict, optional
    <<olmo_fields>>
    """
    return _schedule("ComposableScheduler", locals())


@factory("compat.olmo.SequentialScheduler")
def SequentialScheduler(base_lr: float, max_steps: int, schedulers: Sequence[Mapping[str, Any]] = (),
                        schedulers_max: Sequence[int] | None = None,
                        schedulers_max_steps: Sequence[int] | None = None,
                        override_decay: Mapping[str, Any] | None = None, lr_field: str = "lr",
                        initial_lr_field: str = "initial_lr", units: str = "steps") -> list[Segment]:
    r"""OLMo-core ``SequentialScheduler``: schedulers one after another.

    Scheduler :math:`i` (a dict ``{"name": <class name>, "args": {<fields>}}``)
    runs for counts up to :math:`M_i` = ``schedulers_max[i]`` (the last one to
    the end) with ``t_max`` :math:`\min(T_i, M_i)`, :math:`T_i` what is left of
    ``max_steps``; the next one starts at its own count 1 from the lr the
    previous one has at :math:`M_i` with ``t_max`` :math:`M_i`:

    .. math:: s(k) = f_i\bigl(\mathrm{lr}_i, k - \textstyle\sum_{j<i} M_j\bigr)

    ``override_decay`` as in :func:`ComposableScheduler`.

    Parameters
    ----------
    <<olmo_base>>
    schedulers : sequence of dict
    schedulers_max : sequence of int
        One per scheduler but the last (a value for the last is ignored).
    schedulers_max_steps : sequence of int, optional
        Deprecated spelling of ``schedulers_max``.
    override_decay : dict, optional
    <<olmo_fields>>
    """
    return _schedule("SequentialScheduler", locals())


_BASE = {"base_lr", "max_steps", "lr_field", "initial_lr_field", "units"}
parts.DEFAULTS.update({
    name: {key: p.default for key, p in inspect.signature(globals()[name]).parameters.items() if key not in _BASE}
    for name in parts.SCHEDULERS
})
