"""How each torch 2.13 scheduler moves the learning rate: closed form and chainable update.

Every class of ``torch.optim.lr_scheduler`` that :mod:`fastlr.compat.torch`
reproduces has a model here with

* ``closed()``: the schedule as fastlr segments (torch's closed form, O(1) per step);
* ``update(k, lr, initial)``: what torch's ``get_lr`` sets at ``last_epoch == k``
  from the current optimizer lr (``initial``: the step the constructor makes):
  the *chainable* form whose rounding torch's values carry;
* ``restart(lr)``: what ``_update_lr(0)`` sets (``SequentialLR`` at a milestone):
  torch's closed form at epoch 0 where the class has one, else ``get_lr``;
* ``settle``: the last epoch where ``update`` can change the lr (``None``: never
  settles); past it ``update`` returns ``lr`` unchanged;
* ``tail(e, lr)``: segments that continue the schedule from epoch ``e`` (at
  local step 0) given the lr there; ``align(e, chained)``: the first epoch
  ``>= e`` where such a tail may begin.

``SequentialLR`` and ``ChainedScheduler`` are models too, built from their
children's models, so containers nest as they do in torch. A container's
values come from :func:`replay`, which runs torch's object protocol (each
constructor's initial step, ``step()``, ``SequentialLR``'s reset, undo and
``_update_lr(0)``) on one shared param group until the composition settles
into a closed form. The models are plain Python, evaluated once, when a
schedule is built.
"""

from __future__ import annotations

import copy
import math
from bisect import bisect_right
from collections import Counter

from .. import _validate as check
from .._kinds import CYCLIC_MODES, Kind
from .._spec import Segment, clipped, shifted

INF = math.inf
MAX_REPLAY = 2**20
"""The furthest milestone a replayed container may have (its replay runs past it)."""


def growth(start: float, rate: float, every: int, staircase: float) -> list[Segment]:
    """``start * rate ** floor(u / every)`` as EXPONENTIAL segments that overflow where the product does.

    With ``|rate| > 1`` and ``|start| < 1``, ``rate ** e`` leaves the float64
    range a few periods before ``start * rate ** e`` would (torch multiplies
    step by step and reaches ``inf`` only there), so a new segment begins at
    the first period where ``|start * rate ** e|`` reaches 1 (from a subnormal
    start, in hops of at most 2**1000): in each segment the product overflows
    no later than the power.
    """
    segments = [Segment(Kind.EXPONENTIAL, 0, (start, rate, float(every), staircase, -INF, INF))]
    if not (abs(rate) > 1.0 and math.isfinite(rate) and math.isfinite(start)):
        return segments
    value, period = start, 0
    while 0.0 < abs(value) < 1.0:
        target = min(1.0 / abs(value), 2.0**1000)
        hops = max(1, math.ceil(math.log(target) / math.log(abs(rate))))
        value, period = value * rate**hops, period + hops
        segments.append(Segment(Kind.EXPONENTIAL, period * every, (value, rate, float(every), staircase,
                                                                    -INF, INF)))
    return segments


class Model:
    """Base: a scheduler that overwrites the lr with its closed form (not chainable)."""

    settle: int | None = None
    overwrite = True
    counts_steps = False  # CosineAnnealingWarmRestarts: its position is the number of step() calls
    clean_restart = True  # restart(...) followed by update(...) is the model's own closed()
    base: float

    def closed(self) -> list[Segment]:
        raise NotImplementedError

    def value(self, k: int) -> float:
        raise NotImplementedError

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        return self.value(k)

    def restart(self, lr: float) -> float:
        return self.value(0)

    def rebased(self, base: float) -> Model:
        """The same scheduler built on an optimizer whose ``initial_lr`` is ``base``."""
        model = copy.copy(self)
        model.base = base
        return model

    def align(self, e: int, chained: bool = False) -> int:
        return e

    def tail(self, e: int, lr: float) -> list[Segment]:
        raise NotImplementedError

    def node(self) -> Node:
        return Leaf(self)


class StepLR(Model):
    overwrite = False

    def __init__(self, base: float, step_size: int, gamma: float) -> None:
        self.base, self.step_size, self.gamma = base, step_size, gamma

    def closed(self) -> list[Segment]:
        return self.tail(0, self.base)

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        if k == 0 or k % self.step_size != 0:
            return lr
        return lr * self.gamma

    def restart(self, lr: float) -> float:
        return self.base * self.gamma**0

    def align(self, e: int, chained: bool = False) -> int:
        return -(-e // self.step_size) * self.step_size

    def tail(self, e: int, lr: float) -> list[Segment]:
        return growth(lr, self.gamma, self.step_size, 1.0)


class MultiStepLR(Model):
    overwrite = False

    def __init__(self, base: float, milestones: list[int], gamma: float) -> None:
        self.base, self.gamma = base, gamma
        self.counts = Counter(milestones)
        self.settle = max(self.counts, default=0)
        # torch's closed form at epoch 0 counts the negative milestones too
        self.clean_restart = min(self.counts, default=0) >= 0

    def closed(self) -> list[Segment]:
        lr = self.update(0, self.base, True)
        segments = [Segment(Kind.CONSTANT, 0, (lr,))]
        for m in sorted(self.counts):
            if m > 0:
                lr = self.update(m, lr)
                segments.append(Segment(Kind.CONSTANT, m, (lr,)))
        return segments

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        if k not in self.counts:
            return lr
        return lr * check.power("gamma", self.gamma, self.counts[k])

    def restart(self, lr: float) -> float:
        return self.base * check.power("gamma", self.gamma, sum(c for m, c in self.counts.items() if m <= 0))


class _Iters(Model):
    """A chainable scheduler that moves the lr in epochs ``0 … total_iters`` only."""

    overwrite = False

    def __init__(self, base: float, total_iters: int) -> None:
        self.base, self.total_iters = base, total_iters
        self.settle = max(total_iters, 0)
        self.clean_restart = total_iters > 0


class ConstantLR(_Iters):
    def __init__(self, base: float, factor: float, total_iters: int) -> None:
        super().__init__(base, total_iters)
        self.factor = factor

    def closed(self) -> list[Segment]:
        first = self.update(0, self.base, True)
        segments = [Segment(Kind.CONSTANT, 0, (first,))]
        if self.total_iters > 0:
            segments.append(Segment(Kind.CONSTANT, self.total_iters, (self.update(self.total_iters, first),)))
        return segments

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        if k == 0:
            return lr * self.factor
        if k != self.total_iters:
            return lr
        return lr * (1.0 / self.factor)

    def restart(self, lr: float) -> float:
        return self.base * (self.factor + (0 >= self.total_iters) * (1 - self.factor))


class LinearLR(_Iters):
    def __init__(self, base: float, start_factor: float, end_factor: float, total_iters: int) -> None:
        super().__init__(base, total_iters)
        self.start, self.end = start_factor, end_factor

    def closed(self) -> list[Segment]:
        first, last = self.base * self.start, self.base * self.end
        if self.total_iters <= 0:
            return [Segment(Kind.CONSTANT, 0, (first,))]
        return [Segment(Kind.LINEAR, 0, (first, last, float(self.total_iters))),
                Segment(Kind.CONSTANT, self.total_iters, (last,))]

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        if k == 0:
            return lr * self.start
        if initial or k > self.total_iters:
            return lr
        delta = self.end - self.start
        return lr * (1.0 + delta / (self.total_iters * self.start + (k - 1) * delta))

    def restart(self, lr: float) -> float:
        n = self.total_iters
        return self.base * (self.start + (self.end - self.start) * min(n, 0) / n)


class ExponentialLR(Model):
    overwrite = False

    def __init__(self, base: float, gamma: float) -> None:
        self.base, self.gamma = base, gamma

    def closed(self) -> list[Segment]:
        return self.tail(0, self.base)

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        return lr if initial else lr * self.gamma

    def restart(self, lr: float) -> float:
        return self.base * self.gamma**0

    def tail(self, e: int, lr: float) -> list[Segment]:
        return growth(lr, self.gamma, 1, 0.0)


class PolynomialLR(_Iters):
    def __init__(self, base: float, total_iters: int, power: float) -> None:
        super().__init__(base, total_iters)
        self.power = power

    def closed(self) -> list[Segment]:
        if self.total_iters <= 0 or self.power == 0.0:
            return [Segment(Kind.CONSTANT, 0, (self.base,))]
        return [Segment(Kind.POLYNOMIAL, 0, (self.base, 0.0, float(self.total_iters), self.power)),
                Segment(Kind.CONSTANT, self.total_iters, (0.0,))]

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        if initial or k > self.total_iters:
            return lr
        n = self.total_iters
        return lr * ((1.0 - k / n) / (1.0 - (k - 1) / n)) ** self.power

    def restart(self, lr: float) -> float:
        n = self.total_iters
        return self.base * (1.0 - min(n, 0) / n) ** self.power


class CosineAnnealingLR(Model):
    overwrite = False

    def __init__(self, base: float, T_max: int, eta_min: float) -> None:
        self.base, self.T_max, self.eta_min = base, T_max, eta_min

    def closed(self) -> list[Segment]:
        return [Segment(Kind.COSINE, 0, (self.base, self.eta_min, float(self.T_max)))]

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        T, eta = self.T_max, self.eta_min
        if initial:
            return lr
        if (k - 1 - T) % (2 * T) == 0:
            return lr + (self.base - eta) * (1 - math.cos(math.pi / T)) / 2
        return (1 + math.cos(math.pi * k / T)) / (1 + math.cos(math.pi * (k - 1) / T)) * (lr - eta) + eta

    def restart(self, lr: float) -> float:
        return self.eta_min + (self.base - self.eta_min) * (1 + math.cos(math.pi * 0 / self.T_max)) / 2

    def align(self, e: int, chained: bool = False) -> int:
        if not chained:
            return e
        # after the rise that follows a zero (epoch T + 1 mod 2T) the recursion
        # has forgotten every factor applied before: the closed form holds again
        period = 2 * self.T_max
        return e + (self.T_max + 1 - e) % period + 1

    def tail(self, e: int, lr: float) -> list[Segment]:
        return [Segment(Kind.ANNEAL, 0, (self.base, self.eta_min, float(e), 0.0, float(self.T_max), 0.0))]


class CosineAnnealingWarmRestarts(Model):
    counts_steps = True

    def __init__(self, base: float, T_0: int, T_mult: int, eta_min: float) -> None:
        self.base, self.T_0, self.T_mult, self.eta_min = base, T_0, T_mult, eta_min

    def closed(self) -> list[Segment]:
        return [Segment(Kind.COSINE_RESTARTS, 0,
                        (self.base, self.eta_min, float(self.T_0), float(self.T_mult), 1.0))]

    def value(self, k: int) -> float:
        position, period = k, self.T_0
        if self.T_mult == 1:
            position %= period
        while position >= period:
            position, period = position - period, period * self.T_mult
        return self.eta_min + (self.base - self.eta_min) * (1 + math.cos(math.pi * position / period)) / 2


class CyclicLR(Model):
    def __init__(self, base: float, max_lr: float, up: float, down: float, mode: str, gamma: float) -> None:
        self.base, self.max_lr, self.up, self.down, self.mode, self.gamma = base, max_lr, up, down, mode, gamma

    def closed(self) -> list[Segment]:
        total = self.up + self.down
        return [Segment(Kind.CYCLIC, 0, (self.base, self.max_lr, total, self.up / total,
                                         float(CYCLIC_MODES.index(self.mode)), self.gamma))]

    def rebased(self, base: float) -> Model:
        return self  # CyclicLR's base_lr is its own argument, not the optimizer's

    def value(self, k: int) -> float:
        total = self.up + self.down
        ratio = self.up / total
        cycle = math.floor(1 + k / total)
        x = 1.0 + k / total - cycle
        scale = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
        height = (self.max_lr - self.base) * scale
        if self.mode == "triangular2":
            try:
                return self.base + height * (1 / (2.0 ** (cycle - 1)))
            except OverflowError:  # torch raises past 1024 cycles; the closed form's 1 / inf
                return self.base + height * 0.0
        if self.mode == "exp_range":
            return self.base + height * self.gamma**k
        return self.base + height * 1.0


def anneal(start: float, end: float, pct: float, linear: bool) -> float:
    """torch OneCycleLR's ``_annealing_cos`` / ``_annealing_linear`` (same operation order)."""
    if linear:
        return (end - start) * pct + start
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


class OneCycleLR(Model):
    def __init__(self, max_lr: float, total_steps: int, pct_start: float, linear: bool,
                 div_factor: float, final_div_factor: float, three_phase: bool) -> None:
        initial = max_lr / div_factor
        self.total_steps, self.linear, self.pct_start, self.three_phase = total_steps, linear, pct_start, three_phase
        self.settle = total_steps
        self.lrs = (initial, max_lr, initial / final_div_factor)
        self.base = initial

    @property
    def phases(self) -> list[tuple[float, float, float]]:
        """(end step, start lr, end lr) of torch's phases, from the group's initial/max/min lr."""
        initial, peak, minimum = self.lrs
        first = float(self.pct_start * self.total_steps) - 1
        last = self.total_steps - 1
        if self.three_phase:
            return [(first, initial, peak), (float(2 * self.pct_start * self.total_steps) - 2, peak, initial),
                    (last, initial, minimum)]
        return [(first, initial, peak), (last, peak, minimum)]

    def rebased(self, base: float) -> Model:
        return self  # OneCycleLR reads the group's initial_lr/max_lr/min_lr (see with_lrs)

    def with_lrs(self, lrs: tuple[float, float, float]) -> OneCycleLR:
        """The same phases between the lrs another OneCycleLR wrote into the shared group."""
        model = copy.copy(self)
        model.lrs = lrs
        return model

    def pieces(self) -> list[tuple[int, int, float, float, float, float]]:
        """(first step, last step, begin, stop, start lr, end lr) of each phase torch evaluates in [0, T]."""
        result = []
        first, begin = 0, 0.0
        phases = self.phases
        for i, (stop, start_lr, end_lr) in enumerate(phases):
            last = self.total_steps if i == len(phases) - 1 else min(math.floor(stop), self.total_steps)
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
        """torch's ``get_lr`` at ``last_epoch == k``; past ``total_steps`` the value there (torch raises)."""
        k = min(k, self.total_steps)
        begin = 0.0
        phases = self.phases
        for i, (stop, start_lr, end_lr) in enumerate(phases):
            if k <= stop or i == len(phases) - 1:
                return anneal(start_lr, end_lr, (k - begin) / (stop - begin), self.linear)
            begin = stop
        raise AssertionError("unreachable: the last phase always matches")

    def update(self, k: int, lr: float, initial: bool = False) -> float:
        return lr if k > self.total_steps else self.value(k)


def recursive_segments(model: Model, horizon: int) -> list[Segment]:
    """torch's chainable values from a table, continued in closed form past ``horizon`` steps."""
    if model.settle is not None:
        stop = model.settle + 1
    else:
        stop = model.align(horizon)
    values = [model.update(0, model.base, True)]
    for k in range(1, stop + (model.settle is None)):
        values.append(model.update(k, values[-1]))
    if model.settle is not None:
        return [Segment(Kind.TABLE, 0, (), tuple(values))]
    return [Segment(Kind.TABLE, 0, (), tuple(values[:stop]))] + shifted(model.tail(stop, values[stop]), stop)


# ---------------------------------------------------------------- containers

class Group:
    """The optimizer's param group as torch's schedulers see it (one group)."""

    def __init__(self, lr: float) -> None:
        self.lr = lr
        self.initial_lr: float | None = None
        self.one_cycle: tuple[float, float, float] | None = None  # initial/max/min lr of the last OneCycleLR


class Node:
    """A torch scheduler object during a replay (the mutable twin of a model)."""

    def construct(self, group: Group) -> None:
        """What torch's constructor does to the group (children first, in list order)."""
        raise NotImplementedError

    def step(self, group: Group, initial: bool = False) -> None:
        """torch's ``step()`` (``initial``: inside ``_initial_step``)."""
        raise NotImplementedError

    def restart(self, group: Group, where: str) -> None:
        """torch's ``_update_lr(0)``, which ``SequentialLR`` calls at a milestone."""
        raise ValueError(f"{where}: torch's SequentialLR restarts it at its milestone with "
                         f"_update_lr(0), which {type(self).__name__[:-4]} lacks (NotImplementedError "
                         "in torch); a container can only be SequentialLR's scheduler in use at step 0")

    def undo(self) -> None:
        """``SequentialLR.recursive_undo``: every leaf below steps its epoch back by one."""
        raise NotImplementedError

    def live(self) -> list[Leaf] | None:
        """The leaves that every later step will step, once that set is fixed (else None)."""
        raise NotImplementedError


class Leaf(Node):
    def __init__(self, model: Model) -> None:
        self.model = model
        self.epoch = self.position = -1

    def construct(self, group: Group) -> None:
        model = self.model
        if isinstance(model, CyclicLR):
            group.lr = model.base
        if isinstance(model, OneCycleLR):
            group.initial_lr = model.lrs[0]
            group.one_cycle = model.lrs
        if group.initial_lr is None:
            group.initial_lr = group.lr
        if isinstance(model, CyclicLR):
            # torch sets CyclicLR's own base_lrs only after its initial step, which uses initial_lr
            self.model = copy.copy(model)
            self.model.base = group.initial_lr
            self.step(group, initial=True)
            self.model = model
            return
        self.model = model.rebased(group.initial_lr)
        self.step(group, initial=True)

    def _read(self, group: Group) -> None:
        if isinstance(self.model, OneCycleLR) and self.model.lrs != group.one_cycle:
            self.model = self.model.with_lrs(group.one_cycle)  # type: ignore[arg-type]

    def step(self, group: Group, initial: bool = False) -> None:
        self._read(group)
        if self.model.counts_steps and self.epoch < 0:
            self.epoch = self.position = 0
        else:
            self.epoch += 1
            self.position += 1
        if not self.model.counts_steps:
            self.position = self.epoch
        group.lr = self.model.update(self.position, group.lr, initial)

    def restart(self, group: Group, where: str) -> None:
        self._read(group)
        self.epoch = 0
        if self.model.counts_steps:
            group.lr = self.model.value(self.position)
        else:
            self.position = 0
            group.lr = self.model.restart(group.lr)

    def undo(self) -> None:
        self.epoch -= 1
        if not self.model.counts_steps:
            self.position -= 1

    def live(self) -> list[Leaf]:
        return [self]

    def settled(self) -> bool:
        return self.model.settle is not None and self.position >= self.model.settle


class ChainNode(Node):
    def __init__(self, children: list[Node]) -> None:
        self.children = children

    def construct(self, group: Group) -> None:
        for child in self.children:
            child.construct(group)

    def step(self, group: Group, initial: bool = False) -> None:
        for child in self.children:  # torch steps the children outside initial mode
            child.step(group)

    def undo(self) -> None:
        for child in self.children:
            child.undo()

    def live(self) -> list[Leaf] | None:
        result: list[Leaf] = []
        for child in self.children:
            part = child.live()
            if part is None:
                return None
            result += part
        return result


class SequentialNode(ChainNode):
    def __init__(self, children: list[Node], milestones: list[int]) -> None:
        super().__init__(children)
        self.milestones = milestones
        self.epoch = 0

    def construct(self, group: Group) -> None:
        super().construct(group)
        group.lr = group.initial_lr  # type: ignore[assignment]
        self.undo()
        self.children[bisect_right(self.milestones, 0)].step(group, initial=True)

    def step(self, group: Group, initial: bool = False) -> None:
        self.epoch += 1
        i = bisect_right(self.milestones, self.epoch)
        if i > 0 and self.milestones[i - 1] == self.epoch:
            self.children[i].restart(group, f"SequentialLR.schedulers[{i}]")
        else:
            self.children[i].step(group)

    def live(self) -> list[Leaf] | None:
        if self.milestones and self.epoch < max(self.milestones):
            return None
        return self.children[-1].live()


class Chained(Model):
    """torch ``ChainedScheduler`` over child models (leaves or containers)."""

    torch_name = "ChainedScheduler"

    def __init__(self, base: float, children: list[Model], horizon: int) -> None:
        self.base, self.children, self.horizon = base, children, horizon

    def node(self) -> Node:
        return ChainNode([child.node() for child in self.children])

    def last_milestone(self) -> int:
        return max((c.last_milestone() for c in self.children if isinstance(c, (Chained, Sequential))), default=0)

    def closed(self) -> list[Segment]:
        return replay(self)


class Sequential(Chained):
    """torch ``SequentialLR`` over child models (leaves or containers)."""

    torch_name = "SequentialLR"

    def __init__(self, base: float, children: list[Model], milestones: list[int], horizon: int,
                 own: list[list[Segment] | None]) -> None:
        super().__init__(base, children, horizon)
        self.milestones, self.own = milestones, own

    def node(self) -> Node:
        return SequentialNode([child.node() for child in self.children], self.milestones)

    def last_milestone(self) -> int:
        return max([super().last_milestone(), *self.milestones])

    def closed(self) -> list[Segment]:
        """Each child's own segments between its milestones where torch runs it as it runs alone."""
        pieces = self._pieces()
        if pieces is None:
            return replay(self)
        segments: list[Segment] = []
        for begin, stop, own in pieces:
            segments += shifted(own if stop is None else clipped(own, stop - begin), begin)
        return segments

    def _pieces(self) -> list[tuple[int, int | None, list[Segment]]] | None:
        marks = self.milestones
        if any(b < a for a, b in zip(marks, marks[1:])):
            return None
        node = self.node()
        group = Group(self.base)
        try:
            node.construct(group)
        except ZeroDivisionError:
            return None  # replay() says where
        starts = [0] + [max(m, 0) for m in marks]
        pieces = []
        for i, child in enumerate(self.children):
            begin = starts[i]
            stop = starts[i + 1] if i + 1 < len(self.children) else None
            if stop is not None and stop <= begin:
                continue
            if isinstance(child, Chained):
                return None
            model = node.children[i].model  # type: ignore[attr-defined]
            if isinstance(model, OneCycleLR):
                model = model.with_lrs(group.one_cycle)  # type: ignore[arg-type]
            if begin == 0 and not (model.overwrite or model.base == group.initial_lr):
                return None
            if begin > 0 and not model.clean_restart:
                return None
            own = self.own[i]
            same = vars(model) == vars(child) if not isinstance(child, OneCycleLR) else model.lrs == child.lrs
            pieces.append((begin, stop, own if same and own is not None else model.closed()))
        return pieces


def replay(root: Chained) -> list[Segment]:
    """torch's values for a container: a table of its steps, then the closed form it settles into.

    The table carries torch's rounding. It ends where every leaf that later
    steps touch has settled (a constant follows) or all but one have, and that
    one continues in closed form: a StepLR/ExponentialLR (from its next
    period), a CosineAnnealingLR (after its next rise, where the recursion has
    forgotten earlier factors) or an overwriting scheduler restarted right
    there. Otherwise it runs ``root.horizon`` steps past the last milestone and
    holds its last value.
    """
    if root.last_milestone() > MAX_REPLAY:
        raise ValueError(f"this {root.torch_name} needs torch's steps replayed up to its milestone "
                         f"{root.last_milestone()}; fastlr replays at most {MAX_REPLAY} steps (2**20)")
    group = Group(root.base)
    node = root.node()
    step = 0
    try:
        node.construct(group)
        values = [group.lr]
        mover, target = None, None
        horizon = root.horizon + root.last_milestone()
        while step < horizon:
            live = node.live()
            if live is not None:
                moving = [leaf for leaf in live if not leaf.settled()]
                if not moving:
                    return _table(values) + [Segment(Kind.CONSTANT, step + 1, (values[-1],))]
                if len(moving) == 1:
                    if moving[0] is not mover:
                        mover, target = moving[0], _tail_position(moving[0])
                    if mover.model.overwrite:
                        # its closed form replaces this step's value: no other leaf may have moved in it
                        target = 0 if all(leaf.position > leaf.model.settle for leaf in live  # type: ignore
                                          if leaf is not mover) else None
                    if mover.position == target:
                        return _table(values[:-1]) + shifted(_tail(mover, values[-1]), step)
                else:
                    mover = None
            step += 1
            node.step(group)
            values.append(group.lr)
    except ZeroDivisionError:
        raise ValueError(f"torch divides by zero at step {step} of this {root.torch_name} "
                         "(ZeroDivisionError while stepping)") from None
    return _table(values)


def _tail_position(leaf: Leaf) -> int | None:
    model = leaf.model
    if model.settle is not None:
        return None  # it settles: a constant follows then
    if isinstance(model, CosineAnnealingLR):
        return model.align(leaf.position + 2, chained=True)
    return model.align(leaf.position + 1)


def _tail(leaf: Leaf, lr: float) -> list[Segment]:
    return leaf.model.closed() if leaf.model.overwrite else leaf.model.tail(leaf.position, lr)


def _table(values: list[float]) -> list[Segment]:
    return [Segment(Kind.TABLE, 0, (), tuple(values))]
