"""torch.optim.lr_scheduler under its own names (peer: torch 2.13.0).

Each constructor takes ``base_lr=`` where torch takes the optimizer (torch's
optimizer lr, ``param_groups[0]['initial_lr']``) and keeps torch's other
keyword arguments. ``s(k)`` is ``optimizer.param_groups[0]['lr']`` after
exactly ``k`` calls of ``scheduler.step()``; ``s(0)`` is the lr right after the
constructor. So the n-th ``optimizer.step()`` of a torch loop runs with ``s(n - 1)``.

torch computes most schedulers recursively from the previous lr ("chainable"
form). fastlr uses the closed form by default (``s(t)`` is O(1); the drift
from torch's recursion is below 1e-13 of the peak on the reference cases) and
``recursive=True`` reproduces torch's rounding bit for bit from a table of the
first ``RECURSIVE_STEPS`` steps (closed form after it). Classes whose values do
not depend on the recursion (``CosineAnnealingWarmRestarts``, ``CyclicLR``,
``OneCycleLR``, ``MultiStepLR``, ``ConstantLR``) are exact without it.

Where torch accepts parameters and then fails while stepping
(``StepLR(step_size=0)``, ``CosineAnnealingLR(T_max=0)``,
``ConstantLR(factor=0)``, a ``OneCycleLR`` phase of length 0), fastlr rejects
the constructor with ``ValueError``. ``last_epoch`` (resuming from an
optimizer state) must be ``-1``: a fastlr schedule is stateless, evaluate it
at ``t + last_epoch + 1`` instead.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence

from .. import _validate as check
from .._kinds import CYCLIC_MODES
from .._typing import Anneal, CyclicMode
from .._spec import Schedule, Segment, factory
from . import _torch_models as models
from ._plateau import ReduceLROnPlateau

__all__ = [
    "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR",
    "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR",
    "SequentialLR", "ChainedScheduler", "ReduceLROnPlateau", "RECURSIVE_STEPS", "CHAIN_STEPS", "cycle_momentum",
]

PEER = "torch 2.13.0"
RECURSIVE_STEPS = 2**20
"""Steps tabulated by ``recursive=True`` before the closed form takes over."""
CHAIN_STEPS = 2**17
"""Steps a ``ChainedScheduler`` tabulates when it never settles into one closed form."""

_PREFIX = "compat.torch."
_CONTAINERS = ("SequentialLR", "ChainedScheduler")


def _last_epoch(value: Any) -> None:
    check.integer("last_epoch", value, -1)
    if value != -1:
        raise ValueError(f"last_epoch must be -1 (a fastlr schedule is stateless: evaluate it at "
                         f"t + last_epoch + 1 to resume), got {value}")


def _finish(model: models.Model, recursive: Any) -> list[Segment]:
    if check.boolean("recursive", recursive):
        return models.recursive_segments(model, RECURSIVE_STEPS)
    return model.closed()


@factory("compat.torch.StepLR")
def StepLR(base_lr: float, step_size: int, gamma: float = 0.1, last_epoch: int = -1,
           recursive: bool = False) -> list[Segment]:
    r"""torch ``StepLR``: multiply by ``gamma`` every ``step_size`` steps.

    .. math:: s(k) = \mathrm{base\_lr}\cdot\gamma^{\lfloor k/\mathrm{step\_size}\rfloor}

    torch 2.13.0 accepts ``step_size=0`` and divides by zero at the first
    ``step()``; fastlr rejects ``step_size < 1`` (and non-integers) instead. With
    ``gamma > 1`` the lr reaches ``inf`` at the step where torch's running product does.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    step_size : int
        Period of the decay (>= 1).
    gamma : float
        Factor per period.
    last_epoch : int
        Must be -1.
    recursive : bool
        Reproduce torch's repeated ``lr * gamma`` rounding from a table.
    """
    _last_epoch(last_epoch)
    model = models.StepLR(check.real("base_lr", base_lr), check.integer("step_size", step_size, 1),
                          check.real("gamma", gamma))
    return _finish(model, recursive)


def _milestones(value: Any, name: str = "milestones") -> list[int]:
    return [check.integer(f"{name}[{i}]", m, -(2**63)) for i, m in enumerate(check.sequence(name, value))]


@factory("compat.torch.MultiStepLR")
def MultiStepLR(base_lr: float, milestones: Sequence[int], gamma: float = 0.1,
                last_epoch: int = -1) -> list[Segment]:
    r"""torch ``MultiStepLR``: multiply by ``gamma`` at each milestone.

    .. math:: s(k) = \mathrm{base\_lr}\cdot\gamma^{\#\{m \in \mathrm{milestones}: 0 \le m \le k\}}

    As in torch 2.13.0: a milestone 0 applies at construction, a repeated
    milestone applies ``gamma`` once per repetition, the order of the list does
    not matter, and negative milestones are never reached. The values carry
    torch's chainable rounding exactly (``lr * gamma**count`` at each milestone).

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    milestones : sequence of int
        Steps where the lr is multiplied by ``gamma``.
    gamma : float
        Factor per milestone.
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    model = models.MultiStepLR(check.real("base_lr", base_lr), _milestones(milestones),
                               check.real("gamma", gamma))
    return model.closed()


@factory("compat.torch.ConstantLR")
def ConstantLR(base_lr: float, factor: float = 1.0 / 3, total_iters: int = 5,
               last_epoch: int = -1) -> list[Segment]:
    r"""torch ``ConstantLR``: ``base_lr * factor`` for ``k < total_iters``, then ``base_lr``.

    .. math:: s(k) = \mathrm{base\_lr}\cdot\mathrm{factor}\;(k < T), \qquad
              (\mathrm{base\_lr}\cdot\mathrm{factor})\cdot(1/\mathrm{factor})\;(k \ge T)

    torch's rounding is reproduced exactly. ``total_iters <= 0`` keeps the factor
    forever (torch applies it at k = 0 and never removes it). torch rejects
    ``factor`` outside [0, 1]; ``factor=0`` with ``total_iters > 0`` divides by
    zero at step ``total_iters`` in torch and is rejected here.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    factor : float
        In [0, 1] (0 only with ``total_iters <= 0``).
    total_iters : int
        Step where the factor is removed.
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    factor = check.real("factor", factor)
    if not 0.0 <= factor <= 1.0:
        raise ValueError(f"factor must be between 0 and 1 (Constant multiplicative factor), got {factor!r}")
    total = check.integer("total_iters", total_iters, -(2**63))
    if factor == 0.0 and total > 0:
        raise ValueError("factor must be > 0 when total_iters > 0 (torch divides by the factor at "
                         f"total_iters), got {factor!r}")
    return models.ConstantLR(check.real("base_lr", base_lr), factor, total).closed()


@factory("compat.torch.LinearLR")
def LinearLR(base_lr: float, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
             total_iters: int = 5, last_epoch: int = -1, recursive: bool = False) -> list[Segment]:
    r"""torch ``LinearLR``: the factor moves linearly from ``start_factor`` to ``end_factor``.

    .. math:: s(k) = \mathrm{base\_lr}\,\bigl(f_0 + (f_1 - f_0)\min(k, T)/T\bigr)

    ``total_iters <= 0`` keeps ``start_factor`` forever, as torch does.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    start_factor : float
        In (0, 1] (torch's rule).
    end_factor : float
        In [0, 1].
    total_iters : int
        Length of the ramp.
    last_epoch : int
        Must be -1.
    recursive : bool
        Reproduce torch's chainable rounding from a table.
    """
    _last_epoch(last_epoch)
    start = check.real("start_factor", start_factor)
    if not 0.0 < start <= 1.0:
        raise ValueError(f"start_factor must be > 0 and <= 1, got {start!r}")
    end = check.real("end_factor", end_factor)
    if not 0.0 <= end <= 1.0:
        raise ValueError(f"end_factor must be between 0 and 1, got {end!r}")
    model = models.LinearLR(check.real("base_lr", base_lr), start, end,
                            check.integer("total_iters", total_iters, -(2**63)))
    return _finish(model, recursive)


@factory("compat.torch.ExponentialLR")
def ExponentialLR(base_lr: float, gamma: float, last_epoch: int = -1,
                  recursive: bool = False) -> list[Segment]:
    r"""torch ``ExponentialLR``: multiply by ``gamma`` at every step.

    .. math:: s(k) = \mathrm{base\_lr}\cdot\gamma^{k}

    Like torch, values underflow through subnormals to 0.0 (no flushing), and
    with ``gamma > 1`` reach ``inf`` at the step where torch's running product does.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    gamma : float
        Factor per step.
    last_epoch : int
        Must be -1.
    recursive : bool
        Reproduce torch's repeated multiplication from a table.
    """
    _last_epoch(last_epoch)
    return _finish(models.ExponentialLR(check.real("base_lr", base_lr), check.real("gamma", gamma)), recursive)


@factory("compat.torch.PolynomialLR")
def PolynomialLR(base_lr: float, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1,
                 recursive: bool = False) -> list[Segment]:
    r"""torch ``PolynomialLR``: polynomial decay to 0 at ``total_iters``, then 0.

    .. math:: s(k) = \mathrm{base\_lr}\,(1 - \min(k, T)/T)^{\mathrm{power}}

    ``total_iters <= 0`` keeps ``base_lr`` forever (torch never divides then).
    A negative ``power`` divides by zero at ``total_iters`` in torch and is rejected.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    total_iters : int
        Steps until 0.
    power : float
        Exponent (>= 0).
    last_epoch : int
        Must be -1.
    recursive : bool
        Reproduce torch's chainable rounding from a table.
    """
    _last_epoch(last_epoch)
    model = models.PolynomialLR(check.real("base_lr", base_lr),
                                check.integer("total_iters", total_iters, -(2**63)),
                                check.real("power", power, low=0.0))
    return _finish(model, recursive)


@factory("compat.torch.CosineAnnealingLR")
def CosineAnnealingLR(base_lr: float, T_max: int, eta_min: float = 0.0, last_epoch: int = -1,
                      recursive: bool = False) -> list[Segment]:
    r"""torch ``CosineAnnealingLR``: a cosine of period ``2 * T_max`` that is never clamped.

    .. math:: s(k) = \eta_{min} + (\mathrm{base\_lr} - \eta_{min})\,\frac{1 + \cos(\pi k / T_{max})}{2}

    Past ``T_max`` the lr rises again, as torch's recursion does (``T_max=1``
    alternates base_lr, eta_min, ...). torch accepts ``T_max=0`` and divides by
    zero at the first ``step()``; fastlr rejects ``T_max < 1``.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    T_max : int
        Half period (>= 1).
    eta_min : float
        Bottom of the cosine.
    last_epoch : int
        Must be -1.
    recursive : bool
        Reproduce torch's chainable rounding from a table.
    """
    _last_epoch(last_epoch)
    model = models.CosineAnnealingLR(check.real("base_lr", base_lr), check.integer("T_max", T_max, 1),
                                     check.real("eta_min", eta_min))
    return _finish(model, recursive)


@factory("compat.torch.CosineAnnealingWarmRestarts")
def CosineAnnealingWarmRestarts(base_lr: float, T_0: int, T_mult: int = 1, eta_min: float = 0.0,
                                last_epoch: int = -1) -> list[Segment]:
    r"""torch ``CosineAnnealingWarmRestarts`` (SGDR), stepped without an epoch argument.

    Cycle :math:`i` lasts :math:`T_0 T_{mult}^i` steps; inside it, at position
    :math:`T_{cur}`:

    .. math:: s(k) = \eta_{min} + (\mathrm{base\_lr} - \eta_{min})\,\frac{1 + \cos(\pi T_{cur}/T_i)}{2}

    Restarts fall exactly on their step (torch counts ``T_cur`` in integers).
    Validation as torch: ``T_0`` a positive integer, ``T_mult`` an integer >= 1.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    T_0 : int
        Length of the first cycle (>= 1).
    T_mult : int
        Growth factor of the cycle length (>= 1).
    eta_min : float
        Bottom of every cycle.
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    T_0 = check.integer("T_0", T_0, 1)
    T_mult = check.integer("T_mult", T_mult, 1)
    model = models.CosineAnnealingWarmRestarts(check.real("base_lr", base_lr), T_0, T_mult,
                                               check.real("eta_min", eta_min))
    return model.closed()


@factory("compat.torch.CyclicLR")
def CyclicLR(base_lr: float, max_lr: float, step_size_up: float = 2000, step_size_down: float | None = None,
             mode: CyclicMode = "triangular", gamma: float = 1.0, scale_fn: None = None,
             scale_mode: Literal["cycle", "iterations"] = "cycle",
             cycle_momentum: bool = True, base_momentum: float = 0.8, max_momentum: float = 0.9,
             last_epoch: int = -1) -> list[Segment]:
    r"""torch ``CyclicLR`` (Smith 2017), torch's own closed form.

    With :math:`P` = ``step_size_up + step_size_down``, :math:`r` = ``step_size_up / P``,
    :math:`c = \lfloor 1 + k/P \rfloor`, :math:`x = 1 + k/P - c`:

    .. math:: s(k) = \mathrm{base\_lr} + (\mathrm{max\_lr} - \mathrm{base\_lr})\,h(x)\,g,\quad
              h(x) = x/r \;(x \le r),\; (x - 1)/(r - 1) \;\text{otherwise}

    :math:`g = 1` (triangular), :math:`2^{-(c-1)}` (triangular2), :math:`\gamma^k` (exp_range).
    ``base_lr`` is CyclicLR's own argument (torch writes it into the optimizer).
    ``scale_fn`` (a Python callable) is not supported; the momentum arguments
    are validated and otherwise ignored (fastlr schedules the lr only).
    ``step_size_down=0`` gives a sawtooth, as in torch; ``step_size_up=0``
    divides by zero in torch's constructor and raises ``ValueError`` here.

    Parameters
    ----------
    base_lr, max_lr : float
        Bottom and top of the cycle.
    step_size_up : float
        Steps from base_lr to max_lr (> 0).
    step_size_down : float, optional
        Steps back down (>= 0; default ``step_size_up``).
    mode : {"triangular", "triangular2", "exp_range"}
        Amplitude policy.
    gamma : float
        exp_range factor per step.
    scale_fn : None
        Must be None.
    scale_mode : {"cycle", "iterations"}
        Accepted for signature compatibility (only used with ``scale_fn``).
    cycle_momentum : bool
    base_momentum, max_momentum : float
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    if scale_fn is not None:
        raise TypeError("scale_fn must be None: a Python callable cannot be part of a fastlr schedule")
    if mode not in CYCLIC_MODES:
        raise ValueError(f"mode is invalid and scale_fn is None: mode must be one of "
                         f"{', '.join(map(repr, CYCLIC_MODES))}; got {mode!r}")
    check.choice("scale_mode", scale_mode, ("cycle", "iterations"))
    check.boolean("cycle_momentum", cycle_momentum)
    check.real("base_momentum", base_momentum)
    check.real("max_momentum", max_momentum)
    up = check.real("step_size_up", step_size_up, low=0.0, low_open=True)
    down = up if step_size_down is None else check.real("step_size_down", step_size_down, low=0.0)
    model = models.CyclicLR(check.real("base_lr", base_lr), check.real("max_lr", max_lr), up, down, mode,
                            check.real("gamma", gamma))
    return model.closed()


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


@factory("compat.torch.OneCycleLR")
def OneCycleLR(base_lr: float, max_lr: float, total_steps: int | None = None, epochs: int | None = None,
               steps_per_epoch: int | None = None, pct_start: float = 0.3, anneal_strategy: Anneal = "cos",
               cycle_momentum: bool = True, base_momentum: float = 0.85, max_momentum: float = 0.95,
               div_factor: float = 25.0, final_div_factor: float = 1e4, three_phase: bool = False,
               last_epoch: int = -1) -> list[Segment]:
    r"""torch ``OneCycleLR`` with torch's phase layout.

    With :math:`T` = ``total_steps``, initial :math:`a` = ``max_lr / div_factor`` and
    minimum :math:`m = a` / ``final_div_factor``, torch's phases end at the float
    steps :math:`e_1 = \mathrm{pct\_start}\,T - 1` and :math:`e_2 = T - 1` (three
    phases: :math:`e_1`, :math:`2\,\mathrm{pct\_start}\,T - 2`, :math:`T - 1`).
    At step :math:`k` in phase :math:`j` (the first with :math:`k \le e_j`, or the last):

    .. math:: p = \frac{k - e_{j-1}}{e_j - e_{j-1}} \;(e_0 = 0),\qquad
              s(k) = \mathrm{end} + \frac{\mathrm{start} - \mathrm{end}}{2}(\cos \pi p + 1)
              \quad\text{or}\quad (\mathrm{end} - \mathrm{start})\,p + \mathrm{start}

    So the minimum comes at ``k = total_steps - 1`` and ``s(total_steps)`` is
    torch's extrapolation one step past it. torch raises on the
    ``(total_steps + 1)``-th ``step()``; fastlr holds ``s(total_steps)`` from
    then on. ``base_lr`` is ignored (as torch ignores the optimizer lr). A phase
    of zero length that torch would evaluate (``ZeroDivisionError`` in torch)
    raises ``ValueError``; torch's validation messages are kept. The momentum
    arguments are validated and otherwise ignored.

    Parameters
    ----------
    base_lr : float
        Ignored (the optimizer's lr).
    max_lr : float
        Peak.
    total_steps : int, optional
        Length of the cycle; else ``epochs * steps_per_epoch``.
    epochs, steps_per_epoch : int, optional
    pct_start : float
        A float in [0, 1] (torch rejects an int).
    anneal_strategy : {"cos", "linear"}
    cycle_momentum : bool
    base_momentum, max_momentum : float
    div_factor, final_div_factor : float
        > 0.
    three_phase : bool
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    check.real("base_lr", base_lr)
    if total_steps is not None:
        total = _positive_int("total_steps", total_steps)
    elif epochs is not None and steps_per_epoch is not None:
        total = _positive_int("epochs", epochs) * _positive_int("steps_per_epoch", steps_per_epoch)
    else:
        raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
    if total > check.INT64_MAX:
        raise ValueError(f"total_steps (or epochs * steps_per_epoch) must be at most 2**63 - 1, got {total}")
    if not isinstance(pct_start, float) or not 0.0 <= pct_start <= 1.0:
        raise ValueError(f"pct_start must be a float between 0 and 1, got {pct_start!r}")
    if anneal_strategy not in ("cos", "linear"):
        raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', got {anneal_strategy!r}")
    check.boolean("cycle_momentum", cycle_momentum)
    check.real("base_momentum", base_momentum)
    check.real("max_momentum", max_momentum)
    model = models.OneCycleLR(check.real("max_lr", max_lr), total, pct_start, anneal_strategy == "linear",
                              check.real("div_factor", div_factor, low=0.0, low_open=True),
                              check.real("final_div_factor", final_div_factor, low=0.0, low_open=True),
                              check.boolean("three_phase", three_phase))
    for first, last, begin, stop, *_ in model.pieces():
        if stop == begin:
            raise ValueError(f"pct_start={pct_start!r} with total_steps={total} gives a phase of length 0 "
                             f"that torch divides by (at step {first})")
    return model.closed()


@factory("compat.torch.cycle_momentum")
def cycle_momentum(schedule: Schedule) -> list[Segment]:
    r"""The momentum (SGD) or beta1 (Adam) that torch's ``OneCycleLR``/``CyclicLR`` cycle inversely to the lr.

    With ``cycle_momentum=True`` torch moves the optimizer's momentum (``betas[0]`` where the
    optimizer has betas) opposite to the lr, on the same phases:

    * ``OneCycleLR``: from ``max_momentum`` down to ``base_momentum`` while the lr rises, then
      back up (three phases: down, up, then ``max_momentum`` held), by the same cos or linear
      anneal of the same ``pct``;
    * ``CyclicLR``: :math:`m(k) = \mathrm{max\_momentum} - (\mathrm{max\_momentum} -
      \mathrm{base\_momentum})\,h(x)\,g`, the lr's triangle turned over.

    ``fastlr.torch.LRScheduler`` drives it by itself for such a schedule (as torch's
    scheduler would); use this for another loop, or ``hyperparams=``. Values are torch's bit
    for bit (same operation order).

    Parameters
    ----------
    schedule : Schedule
        A ``compat.torch.OneCycleLR`` or ``compat.torch.CyclicLR`` with ``cycle_momentum=True``.
    """
    name = schedule.spec.name[len(_PREFIX):] if isinstance(schedule, Schedule) else ""
    if name not in ("OneCycleLR", "CyclicLR"):
        raise TypeError(f"schedule must be a compat.torch.OneCycleLR or CyclicLR schedule, got {schedule!r}")
    args = dict(schedule.spec.args)
    if not args["cycle_momentum"]:
        raise ValueError(f"schedule has cycle_momentum=False: torch leaves the momentum alone ({schedule!r})")
    high, low = args["max_momentum"], args["base_momentum"]
    model = _MODELS[name](args["base_lr"], args)
    if name == "CyclicLR":
        return models.CyclicLR(high, low, model.up, model.down, model.mode, model.gamma).closed()
    return model.with_lrs((high, low, high)).closed()


# ---------------------------------------------------------------- containers

_MODELS = {
    "StepLR": lambda b, a: models.StepLR(b, a["step_size"], a["gamma"]),
    "MultiStepLR": lambda b, a: models.MultiStepLR(b, list(a["milestones"]), a["gamma"]),
    "ConstantLR": lambda b, a: models.ConstantLR(b, a["factor"], a["total_iters"]),
    "LinearLR": lambda b, a: models.LinearLR(b, a["start_factor"], a["end_factor"], a["total_iters"]),
    "ExponentialLR": lambda b, a: models.ExponentialLR(b, a["gamma"]),
    "PolynomialLR": lambda b, a: models.PolynomialLR(b, a["total_iters"], a["power"]),
    "CosineAnnealingLR": lambda b, a: models.CosineAnnealingLR(b, a["T_max"], a["eta_min"]),
    "CosineAnnealingWarmRestarts": lambda b, a: models.CosineAnnealingWarmRestarts(
        b, a["T_0"], a["T_mult"], a["eta_min"]),
    "CyclicLR": lambda b, a: models.CyclicLR(
        a["base_lr"], a["max_lr"], float(a["step_size_up"]),
        float(a["step_size_up"] if a["step_size_down"] is None else a["step_size_down"]), a["mode"], a["gamma"]),
    "OneCycleLR": lambda b, a: models.OneCycleLR(
        a["max_lr"], a["total_steps"] if a["total_steps"] is not None else a["epochs"] * a["steps_per_epoch"],
        a["pct_start"], a["anneal_strategy"] == "linear", a["div_factor"], a["final_div_factor"],
        a["three_phase"]),
    "SequentialLR": lambda b, a: models.Sequential(
        b, _children("SequentialLR", b, a["schedulers"]), list(a["milestones"]), CHAIN_STEPS,
        [None if c.spec.name[len(_PREFIX):] in _CONTAINERS else c.segments() for c in a["schedulers"]]),
    "ChainedScheduler": lambda b, a: models.Chained(b, _children("ChainedScheduler", b, a["schedulers"]),
                                                    CHAIN_STEPS),
}
_OWN_BASE = ("CyclicLR", "OneCycleLR")  # base_lr is the scheduler's own argument / ignored
_CALLABLES = ("LambdaLR", "MultiplicativeLR")
_CALLABLE_REASON = ("takes lr_lambda, a Python callable, which cannot be part of a fastlr schedule (a "
                    "schedule is data: repr, ==, to_dict and pickling need its arguments). Write the "
                    "factor as a fastlr schedule, or keep torch's container and put fastlr.torch.LRScheduler "
                    "in it next to the LambdaLR")


def __getattr__(name: str) -> Any:
    if name in _CALLABLES:
        raise AttributeError(f"fastlr.compat.torch has no {name}: torch's {name} {_CALLABLE_REASON}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _child_model(container: str, i: int, base_lr: float, child: Any) -> models.Model:
    where = f"{container}: schedulers[{i}]"
    if isinstance(child, ReduceLROnPlateau):
        raise ValueError(f"{where}: {container} does not support ReduceLROnPlateau (as in torch): it needs a "
                         "metric at each step, and a fastlr schedule is a function of the step alone")
    if not isinstance(child, Schedule) or not child.spec.name.startswith(_PREFIX):
        kind = type(child).__name__
        if kind in _CALLABLES and type(child).__module__.startswith("torch."):
            raise TypeError(f"{where} is torch's {kind}, which {_CALLABLE_REASON}")
        raise TypeError(f"{where} must be a fastlr.compat.torch schedule (the same class under "
                        f"fastlr.compat.torch, with base_lr=), got {child!r}")
    name = child.spec.name[len(_PREFIX):]
    args = dict(child.spec.args)
    if name not in _OWN_BASE and args["base_lr"] != base_lr:
        raise ValueError(f"{where}.base_lr must equal {container}'s base_lr (nested torch schedulers "
                         f"share one optimizer), got {args['base_lr']!r} != {base_lr!r}")
    return _MODELS[name](args["base_lr"], args)


def _children(container: str, base_lr: float, schedulers: Any) -> list[models.Model]:
    """The models of the nested schedulers, in construction (list) order."""
    items = check.sequence("schedulers", schedulers)
    if not items:
        what = " to be chained" if container == "ChainedScheduler" else ""
        raise ValueError(f"{container} expects at least one scheduler{what}, but got no scheduler.")
    return [_child_model(container, i, base_lr, child) for i, child in enumerate(items)]


@factory("compat.torch.SequentialLR")
def SequentialLR(base_lr: float, schedulers: Sequence[Schedule], milestones: Sequence[int],
                 last_epoch: int = -1) -> list[Segment]:
    r"""torch ``SequentialLR``: ``schedulers[i]`` runs from ``milestones[i-1]`` on, restarted.

    .. math:: s(k) = \mathrm{schedulers}[i](k - m_{i-1}),\quad i = \#\{m \in \mathrm{milestones}: m \le k\}

    As torch 2.13.0 does: the constructor resets the optimizer lr to its
    initial lr and runs the initial step of the scheduler in use at step 0
    (``i`` for ``k = 0``; a milestone 0 means the first scheduler is never
    used); at each milestone torch restarts the next scheduler from its closed
    form at epoch 0 (``_update_lr(0)``), so a child runs as it would alone,
    from its own step 0, with each child's closed-form quirks at epoch 0
    (``MultiStepLR`` counts its negative milestones there, ``ConstantLR`` with
    ``total_iters <= 0`` drops its factor). Milestones are looked up with
    ``bisect_right`` on the list as given, so unsorted milestones give torch's
    values too. The children are ``fastlr.compat.torch`` schedules with this
    ``base_lr`` (they share one optimizer; ``CyclicLR``'s ``base_lr`` is its
    own), including ``ChainedScheduler`` and ``SequentialLR`` as the scheduler
    in use at step 0 (torch cannot restart a container at a later milestone:
    ``ValueError``). A ``OneCycleLR`` child rewrites the optimizer's initial
    lr, which every scheduler built after it and the reset use. With sorted
    milestones and no nested container, each child's own segments are used
    (its ``recursive`` flag honoured); otherwise the values come from a replay
    of torch's steps (see :func:`ChainedScheduler`; milestones up to 2**20).
    ``ReduceLROnPlateau`` is rejected, as in torch.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    schedulers : sequence of Schedule
        ``fastlr.compat.torch`` schedules, in construction order.
    milestones : sequence of int
        ``len(schedulers) - 1`` steps.
    last_epoch : int
        Must be -1.
    """
    _last_epoch(last_epoch)
    base = check.real("base_lr", base_lr)
    items = check.sequence("schedulers", schedulers)
    marks = _milestones(milestones)
    if items and len(marks) != len(items) - 1:
        raise ValueError("Sequential Schedulers expects number of schedulers provided to be one more than "
                         f"the number of milestone points, but got number of schedulers {len(items)} and "
                         f"the number of milestones to be equal to {len(marks)}")
    return _MODELS["SequentialLR"](base, {"schedulers": items, "milestones": marks}).closed()


@factory("compat.torch.ChainedScheduler")
def ChainedScheduler(base_lr: float, schedulers: Sequence[Schedule]) -> list[Segment]:
    r"""torch ``ChainedScheduler``: every child updates the shared lr, in list order, at each step.

    For multiplicative children this is the product of their factors,

    .. math:: s(k) = \mathrm{base\_lr}\prod_i \frac{\mathrm{schedulers}[i](k)}{\mathrm{base\_lr}},

    but torch composes the *chainable* updates (``CosineAnnealingLR`` adds a term
    at each rise; ``CyclicLR`` and friends overwrite the lr), so fastlr replays
    torch's steps (each child's constructor, then ``step()`` of every child in
    list order), with torch's rounding, until the chain settles: a constant
    once every child has finished, or the closed-form continuation of its only
    unfinished ``StepLR``/``ExponentialLR``/``CosineAnnealingLR``, or of an
    overwriting child restarted at that step. A chain that never settles that
    way is tabulated for ``CHAIN_STEPS`` steps past its last nested milestone
    and holds its last value after them. Children as in :func:`SequentialLR`;
    a nested ``ChainedScheduler`` or ``SequentialLR`` steps as in torch.

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    schedulers : sequence of Schedule
        ``fastlr.compat.torch`` schedules, in construction order (at least one).
    """
    base = check.real("base_lr", base_lr)
    return _MODELS["ChainedScheduler"](base, {"schedulers": schedulers}).closed()
