"""How each torch 2.13 scheduler moves the learning rate: closed form and chainable update.

Every class of ``torch.optim.lr_scheduler`` that :mod:`fastlr.compat.torch`
reproduces has a model here with

* ``closed()``: the schedule as fastlr segments (torch's closed form, O(1) per step);
* ``update(k, lr)``: the value torch sets at its k-th ``step()`` from the current
  optimizer lr (k = 0 is the step the constructor makes): the *chainable* form
  whose rounding torch's values carry, and the rule that
  ``ChainedScheduler`` composes;
* ``settle``: the last step where ``update`` can change the lr (``None``: never
  settles); past it ``update`` returns ``lr`` unchanged;
* ``tail(h, lr)``: for a model that never settles, segments that continue the
  schedule from step ``h`` (at local step 0) given the lr at ``h``;
  ``align(h)``: the first step ``>= h`` where such a tail may begin.

The models are plain Python; they are evaluated once, when a schedule is built.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from .. import _validate as check
from .._kinds import CYCLIC_MODES, Kind
from .._spec import Segment, reference_engine

INF = math.inf


class Model:
    """Base: a scheduler that overwrites the lr with its closed form (not chainable)."""

    settle: int | None = None
    overwrite = True

    def closed(self) -> list[Segment]:
        raise NotImplementedError

    def update(self, k: int, lr: float) -> float:
        return float(self._reference()(k))

    def _reference(self) -> Any:
        """The closed form on the reference engine, made once."""
        cached = getattr(self, "_cache", None)
        if cached is None:
            cached = self._cache = reference_engine(self.closed())
        return cached

    def align(self, h: int, chained: bool = False) -> int:
        return h

    def tail(self, h: int, lr: float) -> list[Segment]:
        raise NotImplementedError


class StepLR(Model):
    overwrite = False

    def __init__(self, base: float, step_size: int, gamma: float) -> None:
        self.base, self.step_size, self.gamma = base, step_size, gamma

    def closed(self) -> list[Segment]:
        return [Segment(Kind.EXPONENTIAL, 0, (self.base, self.gamma, float(self.step_size), 1.0, -INF, INF))]

    def update(self, k: int, lr: float) -> float:
        if k == 0 or k % self.step_size != 0:
            return lr
        return lr * self.gamma

    def align(self, h: int, chained: bool = False) -> int:
        return -(-h // self.step_size) * self.step_size

    def tail(self, h: int, lr: float) -> list[Segment]:
        return [Segment(Kind.EXPONENTIAL, 0, (lr, self.gamma, float(self.step_size), 1.0, -INF, INF))]


class MultiStepLR(Model):
    overwrite = False

    def __init__(self, base: float, milestones: list[int], gamma: float) -> None:
        self.base, self.gamma = base, gamma
        self.counts = Counter(m for m in milestones if m >= 0)
        self.settle = max(self.counts, default=0)

    def closed(self) -> list[Segment]:
        lr = self.update(0, self.base)
        segments = [Segment(Kind.CONSTANT, 0, (lr,))]
        for m in sorted(self.counts):
            if m > 0:
                lr = self.update(m, lr)
                segments.append(Segment(Kind.CONSTANT, m, (lr,)))
        return segments

    def update(self, k: int, lr: float) -> float:
        if k not in self.counts:
            return lr
        return lr * check.power("gamma", self.gamma, self.counts[k])


class ConstantLR(Model):
    overwrite = False

    def __init__(self, base: float, factor: float, total_iters: int) -> None:
        self.base, self.factor, self.total_iters = base, factor, total_iters
        self.settle = max(total_iters, 0)

    def closed(self) -> list[Segment]:
        first = self.update(0, self.base)
        segments = [Segment(Kind.CONSTANT, 0, (first,))]
        if self.total_iters > 0:
            segments.append(Segment(Kind.CONSTANT, self.total_iters, (self.update(self.total_iters, first),)))
        return segments

    def update(self, k: int, lr: float) -> float:
        if k == 0:
            return lr * self.factor
        if k != self.total_iters:
            return lr
        return lr * (1.0 / self.factor)


class LinearLR(Model):
    overwrite = False

    def __init__(self, base: float, start_factor: float, end_factor: float, total_iters: int) -> None:
        self.base, self.start, self.end, self.total_iters = base, start_factor, end_factor, total_iters
        self.settle = max(total_iters, 0)

    def closed(self) -> list[Segment]:
        first, last = self.base * self.start, self.base * self.end
        if self.total_iters <= 0:
            return [Segment(Kind.CONSTANT, 0, (first,))]
        return [Segment(Kind.LINEAR, 0, (first, last, float(self.total_iters))),
                Segment(Kind.CONSTANT, self.total_iters, (last,))]

    def update(self, k: int, lr: float) -> float:
        if k == 0:
            return lr * self.start
        if k > self.total_iters:
            return lr
        delta = self.end - self.start
        return lr * (1.0 + delta / (self.total_iters * self.start + (k - 1) * delta))


class ExponentialLR(Model):
    overwrite = False

    def __init__(self, base: float, gamma: float) -> None:
        self.base, self.gamma = base, gamma

    def closed(self) -> list[Segment]:
        return self.tail(0, self.base)

    def update(self, k: int, lr: float) -> float:
        return lr if k == 0 else lr * self.gamma

    def tail(self, h: int, lr: float) -> list[Segment]:
        return [Segment(Kind.EXPONENTIAL, 0, (lr, self.gamma, 1.0, 0.0, -INF, INF))]


class PolynomialLR(Model):
    overwrite = False

    def __init__(self, base: float, total_iters: int, power: float) -> None:
        self.base, self.total_iters, self.power = base, total_iters, power
        self.settle = max(total_iters, 0)

    def closed(self) -> list[Segment]:
        if self.total_iters <= 0 or self.power == 0.0:
            return [Segment(Kind.CONSTANT, 0, (self.base,))]
        return [Segment(Kind.POLYNOMIAL, 0, (self.base, 0.0, float(self.total_iters), self.power)),
                Segment(Kind.CONSTANT, self.total_iters, (0.0,))]

    def update(self, k: int, lr: float) -> float:
        if k == 0 or k > self.total_iters:
            return lr
        n = self.total_iters
        return lr * ((1.0 - k / n) / (1.0 - (k - 1) / n)) ** self.power


class CosineAnnealingLR(Model):
    overwrite = False

    def __init__(self, base: float, T_max: int, eta_min: float) -> None:
        self.base, self.T_max, self.eta_min = base, T_max, eta_min

    def closed(self) -> list[Segment]:
        return [Segment(Kind.COSINE, 0, (self.base, self.eta_min, float(self.T_max)))]

    def update(self, k: int, lr: float) -> float:
        T, eta = self.T_max, self.eta_min
        if k == 0:
            return lr
        if (k - 1 - T) % (2 * T) == 0:
            return lr + (self.base - eta) * (1 - math.cos(math.pi / T)) / 2
        return (1 + math.cos(math.pi * k / T)) / (1 + math.cos(math.pi * (k - 1) / T)) * (lr - eta) + eta

    def align(self, h: int, chained: bool = False) -> int:
        if not chained:
            return h
        # after the rise that follows a zero (step T + 1 mod 2T) the recursion
        # has forgotten every factor applied before: the closed form holds again
        period = 2 * self.T_max
        return h + (self.T_max + 1 - h) % period + 1

    def tail(self, h: int, lr: float) -> list[Segment]:
        return [Segment(Kind.ANNEAL, 0, (self.base, self.eta_min, float(h), 0.0, float(self.T_max), 0.0))]


class CosineAnnealingWarmRestarts(Model):
    def __init__(self, base: float, T_0: int, T_mult: int, eta_min: float) -> None:
        self.base, self.T_0, self.T_mult, self.eta_min = base, T_0, T_mult, eta_min

    def closed(self) -> list[Segment]:
        return [Segment(Kind.COSINE_RESTARTS, 0,
                        (self.base, self.eta_min, float(self.T_0), float(self.T_mult), 1.0))]


class CyclicLR(Model):
    def __init__(self, base: float, max_lr: float, up: float, down: float, mode: str, gamma: float) -> None:
        self.base, self.max_lr, self.up, self.down, self.mode, self.gamma = base, max_lr, up, down, mode, gamma

    def closed(self) -> list[Segment]:
        total = self.up + self.down
        return [Segment(Kind.CYCLIC, 0, (self.base, self.max_lr, total, self.up / total,
                                         float(CYCLIC_MODES.index(self.mode)), self.gamma))]


def anneal(start: float, end: float, pct: float, linear: bool) -> float:
    """torch OneCycleLR's ``_annealing_cos`` / ``_annealing_linear`` (same operation order)."""
    if linear:
        return (end - start) * pct + start
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


class OneCycleLR(Model):
    def __init__(self, max_lr: float, total_steps: int, pct_start: float, linear: bool,
                 div_factor: float, final_div_factor: float, three_phase: bool) -> None:
        self.total_steps, self.linear = total_steps, linear
        initial = max_lr / div_factor
        minimum = initial / final_div_factor
        self.initial = initial
        if three_phase:
            self.phases = [(float(pct_start * total_steps) - 1, initial, max_lr),
                           (float(2 * pct_start * total_steps) - 2, max_lr, initial),
                           (total_steps - 1, initial, minimum)]
        else:
            self.phases = [(float(pct_start * total_steps) - 1, initial, max_lr),
                           (total_steps - 1, max_lr, minimum)]
        self.settle = total_steps

    def pieces(self) -> list[tuple[int, int, float, float, float, float]]:
        """(first step, last step, begin, stop, start lr, end lr) of each phase torch evaluates in [0, T]."""
        result = []
        first, begin = 0, 0.0
        last_index = len(self.phases) - 1
        for i, (stop, start_lr, end_lr) in enumerate(self.phases):
            last = self.total_steps if i == last_index else min(math.floor(stop), self.total_steps)
            if last >= first:
                result.append((first, last, begin, float(stop), start_lr, end_lr))
                first = last + 1
            begin = float(stop)
        return result

    def closed(self) -> list[Segment]:
        segments = []
        for first, last, begin, stop, start_lr, end_lr in self.pieces():
            segments.append(Segment(Kind.ANNEAL, first, (start_lr, end_lr, float(first), begin, stop,
                                                         float(self.linear))))
        final = self.value(self.total_steps)
        return segments + [Segment(Kind.CONSTANT, self.total_steps + 1, (final,))]

    def value(self, k: int) -> float:
        for first, last, begin, stop, start_lr, end_lr in self.pieces():
            if first <= k <= last:
                return anneal(start_lr, end_lr, (k - begin) / (stop - begin), self.linear)
        return self.value(self.total_steps)

    def update(self, k: int, lr: float) -> float:
        return lr if k > self.total_steps else self.value(k)


def recursive_segments(model: Model, horizon: int) -> list[Segment]:
    """torch's chainable values from a table, continued in closed form past ``horizon`` steps."""
    if model.settle is not None:
        stop = model.settle + 1
    else:
        stop = model.align(horizon)
    values = [model.update(0, model.base)]
    for k in range(1, stop + (model.settle is None)):
        values.append(model.update(k, values[-1]))
    if model.settle is not None:
        return [Segment(Kind.TABLE, 0, (), tuple(values))]
    tail = [s._replace(start=s.start + stop) for s in model.tail(stop, values[stop])]
    return [Segment(Kind.TABLE, 0, (), tuple(values[:stop]))] + tail


def chain_segments(models: list[Model], base: float, horizon: int) -> list[Segment]:
    """torch ``ChainedScheduler``: every model updates the shared lr in list order at each step.

    Simulated step by step (so the values carry torch's rounding) until the
    chain settles into one closed form: a constant once every child has
    settled, or the continuation of its only unsettled chainable child.
    Otherwise the table runs for ``horizon`` steps and holds its last value.
    """
    settle = max((m.settle for m in models if m.settle is not None), default=0)
    open_models = [m for m in models if m.settle is None]
    if not open_models:
        stop, continuing = settle + 1, None
    elif len(open_models) == 1 and not open_models[0].overwrite:
        continuing = open_models[0]
        stop = continuing.align(settle + 1, chained=True)
    else:
        stop, continuing = horizon, None
    lr = base
    for m in models:
        lr = m.update(0, lr)
    values = [lr]
    for k in range(1, stop + (continuing is not None)):
        for m in models:
            lr = m.update(k, lr)
        values.append(lr)
    if continuing is None:
        return [Segment(Kind.TABLE, 0, (), tuple(values))]
    tail = [s._replace(start=s.start + stop) for s in continuing.tail(stop, values[stop])]
    return [Segment(Kind.TABLE, 0, (), tuple(values[:stop]))] + tail

