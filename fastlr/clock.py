"""Clocks: how optimizer steps relate to epochs, samples and tokens, and schedules written in them.

A :class:`Clock` holds the facts of a training run that fix what one
optimizer step consumes: batch size, gradient accumulation, world size, the
data set's size or the steps per epoch, ``drop_last``, tokens per sample, and
Megatron-LM's batch-size ramp-up. :func:`clocked` builds an ordinary schedule
whose step arguments are given as :mod:`fastlr.units` quantities
(``fastlr.tokens(2e9)``); its spec keeps the clock and the quantities, and it
lowers once to the same segments as the schedule with converted step counts.
"""

from __future__ import annotations

import bisect
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from . import _validate as check
from ._rampup import Ramp, Stages, stages
from ._spec import (_FACTORIES, ArgMap, Schedule, Segment, Value, _import_compat_factory,
                    factory, value_type)
from .units import Quantity

__all__ = ["Clock", "clocked"]

_DEFAULTS = {"grad_accum": 1, "world_size": 1, "drop_last": False, "decrease_batch_size_if_needed": False}


def _ceil(x: Fraction | int) -> int:
    return -(-x.numerator // x.denominator) if isinstance(x, Fraction) else x


def _optional(name: str, value: Any, minimum: int = 1) -> int | None:
    return None if value is None else check.integer(name, value, minimum)


@value_type("Clock")
class Clock(Value):
    r"""The facts of a training run that turn epochs, samples and tokens into optimizer steps.

    One optimizer step consumes a *global batch* of
    :math:`G = \mathrm{batch\_size}\cdot\mathrm{grad\_accum}\cdot\mathrm{world\_size}`
    samples (``seq_len`` tokens each), except where an epoch ends or a ramp-up
    runs. Let :math:`c(n)` be the samples consumed by steps :math:`0 \ldots n-1`
    (the samples seen *before* step :math:`n`):

    * no epochs known: :math:`c(n) = nG`;
    * ``steps_per_epoch=U``: :math:`c(n) = nG`, an epoch is :math:`U` steps;
    * ``dataset_size=N``: every rank reads :math:`P = \lceil N / W \rceil` samples
      per epoch (torch's ``DistributedSampler`` pads), of which
      :math:`P' = P` (or :math:`\lfloor P/b \rfloor b` with ``drop_last``) are
      used; an epoch has :math:`S = W P'` samples and :math:`U = \lceil S / G \rceil`
      steps (a short accumulation at the end of an epoch still steps, as in
      Lightning, accelerate and the HF Trainer), and
      :math:`c(n) = \lfloor n/U \rfloor S + \min((n \bmod U)\,G,\; S)`;
    * ``rampup=(start, increment, samples)``: Megatron-LM's
      ``--rampup-batch-size``; :math:`c(n+1) = c(n) + B(c(n))` with
      :math:`B(c)` the global batch after :math:`c` samples (see
      :mod:`fastlr._rampup`), and an epoch is ``dataset_size`` samples.

    A quantity :math:`q` converts to the number of steps after which it has been
    consumed, :math:`\min\{n : c_u(n) \ge q\}`, where :math:`c_u` counts in its
    unit: steps :math:`n`, samples :math:`c(n)`, tokens
    :math:`\mathrm{seq\_len}\cdot c(n)`, epochs :math:`c(n)/S` (or :math:`n/U`).
    So a warmup of ``tokens(2e9)`` ends at the first step that starts with at
    least 2e9 tokens consumed. ``fraction(x)`` is :math:`x` times ``total``, in
    ``total``'s unit. Amounts are used as the exact decimal numbers they print
    as (``fraction(0.1)`` is 1/10, not the binary float just above it), so every
    result is an exact integer.

    Parameters
    ----------
    batch_size : int, optional
        Samples per device per forward pass (the micro-batch), >= 1.
    grad_accum : int
        Forward passes per optimizer step (>= 1).
    world_size : int
        Data-parallel devices (>= 1).
    dataset_size : int, optional
        Samples in one epoch of the data set (>= 1; needs ``batch_size``).
    steps_per_epoch : int, optional
        Optimizer steps per epoch, when the data loader is not modelled
        (>= 1; not with ``dataset_size``).
    drop_last : bool
        The data loader drops each rank's last short batch (needs ``dataset_size``).
    seq_len : int, optional
        Tokens per sample (>= 1); needed for ``tokens``.
    rampup : (int, int, int), optional
        Megatron-LM's ``--rampup-batch-size START INCREMENT SAMPLES``: the global
        batch grows from START by INCREMENT over SAMPLES samples to ``G``.
    decrease_batch_size_if_needed : bool
        Megatron's option: round each ramp-up batch down to a multiple of
        ``batch_size * world_size`` instead of requiring it to be one.
    total : Quantity, optional
        The run's length (any unit but ``fraction``); needed for ``fraction``
        and by :func:`fastlr.plan`.
    """

    __slots__ = ("_ramp", "_stages")
    _ramp: Ramp | None
    _stages: Stages | None

    def __init__(self, *, batch_size: int | None = None, grad_accum: int = 1, world_size: int = 1,
                 dataset_size: int | None = None, steps_per_epoch: int | None = None,
                 drop_last: bool = False, seq_len: int | None = None,
                 rampup: Sequence[int] | None = None, decrease_batch_size_if_needed: bool = False,
                 total: Quantity | None = None) -> None:
        args = {
            "batch_size": _optional("batch_size", batch_size),
            "grad_accum": check.integer("grad_accum", grad_accum, 1),
            "world_size": check.integer("world_size", world_size, 1),
            "dataset_size": _optional("dataset_size", dataset_size),
            "steps_per_epoch": _optional("steps_per_epoch", steps_per_epoch),
            "drop_last": check.boolean("drop_last", drop_last),
            "seq_len": _optional("seq_len", seq_len),
            "rampup": None if rampup is None else tuple(
                check.integer(f"rampup[{i}]", v, 1) for i, v in enumerate(check.sequence("rampup", rampup))),
            "decrease_batch_size_if_needed": check.boolean("decrease_batch_size_if_needed",
                                                           decrease_batch_size_if_needed),
            "total": total,
        }
        Value.__init__(self, "Clock", [(k, v) for k, v in args.items() if _DEFAULTS.get(k, None) != v])
        object.__setattr__(self, "_ramp", self._check_ramp())
        object.__setattr__(self, "_stages", stages(self._ramp) if self._ramp else None)
        self._check_total()

    # ------------------------------------------------------------ facts

    def _arg(self, name: str) -> Any:
        return dict(self.spec.args).get(name, _DEFAULTS.get(name))

    batch_size = property(lambda self: self._arg("batch_size"), doc="Samples per device per pass.")
    grad_accum = property(lambda self: self._arg("grad_accum"), doc="Passes per optimizer step.")
    world_size = property(lambda self: self._arg("world_size"), doc="Data-parallel devices.")
    dataset_size = property(lambda self: self._arg("dataset_size"), doc="Samples per epoch of data.")
    drop_last = property(lambda self: self._arg("drop_last"), doc="Each rank drops its short batch.")
    seq_len = property(lambda self: self._arg("seq_len"), doc="Tokens per sample.")
    rampup = property(lambda self: self._arg("rampup"), doc="(start, increment, samples) or None.")
    total = property(lambda self: self._arg("total"), doc="The run's length, a Quantity or None.")

    @property
    def global_batch(self) -> int | None:
        """Samples per optimizer step, ``batch_size * grad_accum * world_size`` (after any ramp-up)."""
        b = self.batch_size
        return None if b is None else b * self.grad_accum * self.world_size

    @property
    def samples_per_epoch(self) -> int | None:
        """Samples one epoch consumes (padding included, dropped batches excluded)."""
        if self.dataset_size is None:
            spe, g = self._arg("steps_per_epoch"), self.global_batch
            return None if spe is None or g is None else spe * g
        if self.rampup:
            return self.dataset_size
        per_rank = -(-self.dataset_size // self.world_size)
        if self.drop_last:
            per_rank = per_rank // self.batch_size * self.batch_size
        return per_rank * self.world_size

    @property
    def steps_per_epoch(self) -> int | None:
        """Optimizer steps per epoch (None with a ramp-up, where epochs are counted in samples)."""
        given = self._arg("steps_per_epoch")
        if given is not None or self.dataset_size is None or self.rampup:
            return given
        return -(-self.samples_per_epoch // self.global_batch)

    @property
    def total_steps(self) -> int | None:
        """``total`` in optimizer steps (None without ``total``)."""
        return None if self.total is None else self.to_steps(self.total)

    def _check_ramp(self) -> Ramp | None:
        if self.dataset_size is not None and self.batch_size is None:
            raise ValueError("dataset_size needs batch_size (the samples per device per pass)")
        if self.dataset_size is not None and self._arg("steps_per_epoch") is not None:
            raise ValueError("give dataset_size or steps_per_epoch, not both")
        if self.drop_last and self.dataset_size is None:
            raise ValueError("drop_last needs dataset_size (it drops the short batch of an epoch)")
        if self.dataset_size is not None and not self.rampup and self.samples_per_epoch == 0:
            raise ValueError(f"an epoch has no full batch: dataset_size={self.dataset_size} over "
                             f"world_size={self.world_size} is less than batch_size={self.batch_size} "
                             "per rank, and drop_last=True drops it")
        if self.rampup is None:
            if self._arg("decrease_batch_size_if_needed"):
                raise ValueError("decrease_batch_size_if_needed applies to a ramp-up only (rampup=...)")
            return None
        if len(self.rampup) != 3:
            raise ValueError(f"rampup must be (start, increment, samples), got {list(self.rampup)}")
        if self.batch_size is None:
            raise ValueError("rampup needs batch_size (the global batch after the ramp-up is "
                             "batch_size * grad_accum * world_size)")
        for name in ("steps_per_epoch", "drop_last"):
            if self._arg(name):
                raise ValueError(f"{name} does not apply with a ramp-up (batches run across epoch ends); "
                                 "give dataset_size to count epochs in samples")
        start, increment, samples = self.rampup
        final, unit = self.global_batch, self.batch_size * self.world_size
        if start >= final or (final - start) % increment:
            raise ValueError(f"rampup start must be below the global batch size {final} and differ from "
                             f"it by a multiple of the increment {increment}, got start={start}")
        decrease = self._arg("decrease_batch_size_if_needed")
        if not decrease and (start % unit or increment % unit):
            raise ValueError(f"rampup start and increment must be multiples of batch_size * world_size = "
                             f"{unit} (or set decrease_batch_size_if_needed=True), got {start} and {increment}")
        if decrease and start < unit:
            raise ValueError(f"rampup start must be at least batch_size * world_size = {unit}, got {start}")
        return Ramp(start, increment, samples, final, unit, decrease)

    def _check_total(self) -> None:
        total = self.total
        if total is None:
            return
        if not isinstance(total, Quantity):
            raise TypeError(f"total must be a quantity such as fastlr.epochs(3), got {type(total).__name__}")
        if total.unit == "fraction":
            raise ValueError("total must not be a fraction (fractions are of the total)")
        if self.to_steps(total) < 1:
            raise ValueError(f"total must be at least one optimizer step, got {total!r}")

    # ------------------------------------------------------------ counting

    def _need(self, what: str, value: Any, unit: str) -> Any:
        if value is None:
            raise ValueError(f"{unit} need {what} in the clock")
        return value

    def samples_before(self, step: Any) -> Any:
        """Samples consumed by steps ``0 … step - 1``: an int, or an int64 array for an array."""
        g = self._need("batch_size", self.global_batch, "samples")
        if isinstance(step, np.ndarray) or isinstance(step, (list, tuple)):
            n = check.steps_array(step)
            if self._stages:
                s = self._stages
                i = np.searchsorted(np.array(s.steps), n, side="right") - 1
                result = np.array(s.consumed)[i] + (n - np.array(s.steps)[i]) * np.array(s.batch)[i]
            elif self.dataset_size is not None:
                u, per = self.steps_per_epoch, self.samples_per_epoch
                result = n // u * per + np.minimum(n % u * g, per)
            else:
                result = n * g
            return result.astype(np.int64)
        n = check.step(step)
        if self._stages:
            s = self._stages
            i = bisect.bisect_right(s.steps, n) - 1
            return s.consumed[i] + (n - s.steps[i]) * s.batch[i]
        if self.dataset_size is not None:
            u, per = self.steps_per_epoch, self.samples_per_epoch
            return n // u * per + min(n % u * g, per)
        return n * g

    def tokens_before(self, step: Any) -> Any:
        """Tokens consumed by steps ``0 … step - 1`` (``seq_len`` times :meth:`samples_before`)."""
        return self._need("seq_len", self.seq_len, "tokens") * self.samples_before(step)

    def epochs_before(self, step: Any) -> Any:
        """Epochs completed by steps ``0 … step - 1``, as a float (or float64 array)."""
        per = self.samples_per_epoch
        if per is not None:
            return self.samples_before(step) / per
        u = self._need("dataset_size or steps_per_epoch", self.steps_per_epoch, "epochs")
        n = check.steps_array(step) if isinstance(step, (np.ndarray, list, tuple)) else check.step(step)
        return n / u

    def _first_step(self, samples: int) -> int:
        """The least n with samples_before(n) >= samples."""
        if samples <= 0:
            return 0
        g: int = self.global_batch  # type: ignore[assignment]  # callers checked batch_size
        if self._stages:
            s = self._stages
            i = bisect.bisect_right(s.consumed, samples) - 1
            return s.steps[i] + -(-(samples - s.consumed[i]) // s.batch[i])
        if self.dataset_size is not None:
            epochs, rest = divmod(samples, self.samples_per_epoch)
            return epochs * self.steps_per_epoch + -(-rest // g)
        return -(-samples // g)

    def to_steps(self, quantity: Quantity | int) -> int:
        """Optimizer steps after which ``quantity`` has been consumed (an int passes through).

        Raises
        ------
        ValueError
            If the clock lacks a fact the unit needs (``tokens`` need
            ``seq_len``, ``epochs`` need ``dataset_size`` or ``steps_per_epoch``,
            ``samples`` need ``batch_size``, ``fraction`` needs ``total``), or
            the result exceeds 2**63 - 1.
        """
        if not isinstance(quantity, Quantity):
            return check.integer("steps", quantity)
        return self._steps(quantity.unit, quantity.exact)

    def _steps(self, unit: str, amount: Fraction) -> int:
        if unit == "fraction":
            total = self._need("total", self.total, "fractions")
            return self._steps(total.unit, amount * total.exact)
        if unit == "steps":
            result = _ceil(amount)
        elif unit == "epochs" and self.samples_per_epoch is None:
            result = _ceil(amount * self._need("dataset_size or steps_per_epoch", self.steps_per_epoch, unit))
        else:
            if unit == "epochs":
                samples = amount * self.samples_per_epoch  # type: ignore[operator]  # not None here
            elif unit == "tokens":
                samples = amount / self._need("seq_len", self.seq_len, unit)
            else:
                samples = amount
            self._need("batch_size", self.global_batch, unit)
            result = self._first_step(_ceil(samples))
        if result > check.INT64_MAX:
            raise ValueError(f"{unit}({float(amount):g}) is {result} steps, beyond 2**63 - 1")
        return result


# ---------------------------------------------------------------- clocked schedules

def _factory_name(schedule: Any) -> str:
    if isinstance(schedule, str):
        if (_FACTORIES.get(schedule) or _import_compat_factory(schedule)) is None:
            raise ValueError(f"schedule names no fastlr schedule: {schedule!r}")
        return schedule
    for name, make in _FACTORIES.items():
        if make is schedule:
            return name
    raise TypeError("schedule must be a fastlr factory (such as fastlr.warmup_cosine) or its name, "
                    f"got {type(schedule).__name__}")


def _convert(value: Any, clock: Clock, where: str) -> Any:
    if isinstance(value, Quantity):
        try:
            return clock.to_steps(value)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    if isinstance(value, (list, tuple)):
        return type(value)(_convert(v, clock, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(value, Mapping):
        return {k: _convert(v, clock, f"{where}[{k!r}]") for k, v in value.items()}
    return value


@factory("clocked")
def _clocked(clock: Clock, schedule: str, args: Mapping[str, Any]) -> list[Segment]:
    if not isinstance(clock, Clock):
        raise TypeError(f"clock must be a fastlr.Clock, got {type(clock).__name__}")
    name = _factory_name(schedule)
    make = _FACTORIES.get(name) or _import_compat_factory(name)
    assert make is not None  # _factory_name checked it
    if not isinstance(args, Mapping) or not all(isinstance(k, str) for k in args):
        raise TypeError(f"args must be a dict of the schedule's arguments, got {type(args).__name__}")
    return make(**{k: _convert(v, clock, f"args[{k!r}]") for k, v in args.items()}).segments()


def clocked(clock: Clock, schedule: Callable[..., Schedule] | str,
            args: Mapping[str, Any] | None = None, **kwargs: Any) -> Schedule:
    r"""A schedule whose step arguments are epochs, samples, tokens or fractions of the run.

    ``fastlr.clocked(clock, fastlr.warmup_cosine, peak=3e-4, warmup_steps=fastlr.tokens(2e9),
    total_steps=fastlr.tokens(1e11))`` is ``schedule(**args)`` with every
    :class:`~fastlr.units.Quantity` ``q`` among the arguments (also inside lists
    and dicts) replaced by ``clock.to_steps(q)``, converted once:

    .. math:: s(t) = \mathrm{schedule}(\ldots, a_i \mapsto \min\{n : c_{u_i}(n) \ge a_i\}, \ldots)(t)

    (:class:`Clock` defines :math:`c_u`.) Its spec records the clock, the
    schedule's name and the arguments as given, so ``repr`` and ``to_dict``
    show ``fastlr.tokens(2000000000.0)``, not the step count.

    What is exact: each boundary falls on the first step at which its quantity
    has been consumed. Inside a phase the schedule still moves by steps; where
    the samples per step vary (a ramp-up, a short last batch of an epoch) it is
    not a straight line in samples or tokens (Megatron-LM's sample-based
    schedules move by samples instead).

    Parameters
    ----------
    clock : Clock
        The run's facts.
    schedule : factory or str
        A fastlr factory (``fastlr.warmup_cosine``, ``fastlr.compat.torch.OneCycleLR``)
        or its registered name (``"warmup_cosine"``).
    args : dict, optional
        The factory's arguments. Give them here or as keywords; use ``args``
        for a factory argument named ``clock``, ``schedule`` or ``args``.
    **kwargs
        The factory's arguments, as keywords.
    """
    if args is not None and kwargs:
        raise TypeError("give the schedule's arguments either as args= or as keywords, not both")
    given = args if args is not None else kwargs
    given = given.as_dict() if isinstance(given, ArgMap) else given
    if not isinstance(given, Mapping):
        raise TypeError(f"args must be a dict of the schedule's arguments, got {type(given).__name__}")
    return _clocked(clock, _factory_name(schedule), dict(given))
