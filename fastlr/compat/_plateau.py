"""Metric-driven learning-rate controllers: small stateful objects, not schedules.

A plateau scheduler's lr depends on the metrics it has seen, so it cannot be a
fastlr :class:`~fastlr.Schedule` (a function of the step). These controllers
keep the peer's state and rules: ``step(metric)`` feeds one metric and returns
the new lr; ``lr`` is the current value; ``state_dict()`` /
``load_state_dict()`` save and restore everything (JSON types only).

* :class:`ReduceLROnPlateau`: torch 2.13.0 ``ReduceLROnPlateau`` (also
  transformers 5.24.0 ``get_scheduler("reduce_lr_on_plateau")``).
* :class:`GreedyLR`: transformers 5.24.0 ``GreedyLR`` (``get_scheduler("greedy")``).
* :class:`PlateauLRScheduler`: timm 1.0.31 ``PlateauLRScheduler``.

Values are the peer's to the bit: the same comparisons, in the same order, in
Python floats.
"""

from __future__ import annotations

import math
from typing import Any

from .. import _validate as check
from .._docblocks import define, fill
from .._typing import PlateauMode, ThresholdMode

__all__ = ["ReduceLROnPlateau", "GreedyLR", "PlateauLRScheduler"]

define(plateau_lr_mode_factor="""
    base_lr : float
        The optimizer's lr.
    mode : {"min", "max"}
    factor : float
        < 1.
    """)


def _choice(name: str, value: Any, options: tuple[str, ...], label: str) -> str:
    if value not in options:
        raise ValueError(f"{label} {value!r} is unknown: {name} must be one of "
                         f"{', '.join(map(repr, options))}")
    return value


def _improves(mode: str, threshold_mode: str, threshold: float, current: float, best: float) -> bool:
    """torch's ``_is_better`` (GreedyLR's ``is_better`` is the same test)."""
    if mode == "min" and threshold_mode == "rel":
        return current < best * (1.0 - threshold)
    if mode == "min":
        return current < best - threshold
    if threshold_mode == "rel":
        return current > best * (threshold + 1.0)
    return current > best + threshold


class _Controller:
    """State as a dict of JSON-friendly fields; subclasses list them in ``_STATE``."""

    _STATE: tuple[str, ...] = ()

    def state_dict(self) -> dict[str, Any]:
        """Every field that ``step`` reads or writes (JSON types; infinities as floats)."""
        return {key: getattr(self, key) for key in self._STATE}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned; unknown keys raise ``ValueError``."""
        unknown = set(state) - set(self._STATE)
        if unknown:
            raise ValueError(f"state has unknown key {sorted(unknown)[0]!r}")
        for key, value in state.items():
            setattr(self, key, list(value) if isinstance(value, (list, tuple)) else value)

    def get_last_lr(self) -> list[float]:
        """The current lr as a one-element list (torch's accessor)."""
        return [self.lr]


@fill
class ReduceLROnPlateau(_Controller):
    r"""torch ``ReduceLROnPlateau`` (torch 2.13.0) for one parameter group.

    After each metric, if it is not better than the best one so far
    (``mode``/``threshold``/``threshold_mode`` as torch) for more than
    ``patience`` consecutive steps outside the cooldown, the lr becomes

    .. math:: \mathrm{lr} \leftarrow \max(\mathrm{lr}\cdot\mathrm{factor}, \mathrm{min\_lr})
              \quad\text{if the change exceeds } \mathrm{eps},

    and a cooldown of ``cooldown`` steps starts. torch's validation and
    messages are kept (``factor >= 1``, unknown mode: ``ValueError``).

    Parameters
    ----------
    <<plateau_lr_mode_factor>>
    patience, cooldown : int
    threshold : float
    threshold_mode : {"rel", "abs"}
    min_lr : float
    eps : float
    """

    _STATE = ("lr", "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr",
              "eps", "best", "num_bad_epochs", "cooldown_counter", "last_epoch")

    def __init__(self, base_lr: float, mode: PlateauMode = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: ThresholdMode = "rel", cooldown: int = 0,
                 min_lr: float = 0.0, eps: float = 1e-8) -> None:
        factor = check.real("factor", factor)
        if factor >= 1.0:
            raise ValueError(f"Factor should be < 1.0: factor must be < 1, got {factor!r}")
        self.lr = check.real("base_lr", base_lr)
        self.factor = factor
        self.min_lr = check.real("min_lr", min_lr)
        self.patience = check.integer("patience", patience, -(2**63))
        self.cooldown = check.integer("cooldown", cooldown, -(2**63))
        self.eps = check.real("eps", eps)
        self.mode = _choice("mode", mode, ("min", "max"), "mode")
        self.threshold_mode = _choice("threshold_mode", threshold_mode, ("rel", "abs"), "threshold mode")
        self.threshold = check.real("threshold", threshold)
        self.last_epoch = 0
        self.best = math.inf if self.mode == "min" else -math.inf
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics: float) -> float:
        """Feed one metric; return the lr for what follows."""
        current = float(metrics)
        self.last_epoch += 1
        if _improves(self.mode, self.threshold_mode, self.threshold, current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            new_lr = max(self.lr * self.factor, self.min_lr)
            if self.lr - new_lr > self.eps:
                self.lr = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        return self.lr


class _StreamingAverage:
    """transformers' running mean over the last ``window_size`` metrics (same summation order)."""

    def __init__(self, window_size: int, values: list[float] | None = None, total: float = 0.0) -> None:
        self.window_size, self.values, self.sum = window_size, list(values or []), total

    def add(self, value: float) -> float:
        self.values.append(value)
        self.sum += value
        if len(self.values) > self.window_size:
            self.sum -= self.values.pop(0)
        return self.sum / len(self.values)


@fill
class GreedyLR(_Controller):
    r"""transformers ``GreedyLR`` (transformers 5.24.0, ``get_scheduler("greedy")``).

    Like :class:`ReduceLROnPlateau`, but it also *raises* the lr: after more
    than ``patience`` consecutive improvements (outside cooldown and warmup)

    .. math:: \mathrm{lr} \leftarrow \min(\mathrm{lr} / \mathrm{factor}, \mathrm{max\_lr})

    and a warmup of ``warmup`` steps starts; after more than ``patience`` bad
    steps it multiplies by ``factor`` (not below ``min_lr``) and starts a
    cooldown. Once the lr sits at ``min_lr`` for ``reset_start`` reductions, the
    controller resets to ``base_lr`` and its initial state. ``smooth=True``
    compares a running mean of the last ``window_size`` metrics. ``verbose``
    is accepted and ignored.

    Parameters
    ----------
    <<plateau_lr_mode_factor>>
    patience, cooldown, warmup, window_size, reset_start : int
    threshold : float
    threshold_mode : {"rel", "abs"}
    min_lr, max_lr, eps : float
    verbose, smooth : bool
    """

    _STATE = ("lr", "base_lr", "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown",
              "warmup", "min_lr", "max_lr", "eps", "smooth", "window_size", "best", "num_bad_epochs",
              "num_good_epochs", "cooldown_counter", "warmup_counter", "reset_start", "reset_start_original",
              "last_epoch", "window")

    def __init__(self, base_lr: float, mode: PlateauMode = "min", factor: float = 0.95, patience: int = 10,
                 threshold: float = 1e-6, threshold_mode: ThresholdMode = "abs", cooldown: int = 0, warmup: int = 0,
                 min_lr: float = 1e-3, max_lr: float = 1.0, eps: float = 1e-8, verbose: bool = False,
                 smooth: bool = False, window_size: int = 50, reset_start: int = 500) -> None:
        factor = check.real("factor", factor)
        if factor >= 1.0:
            raise ValueError(f"Factor should be < 1.0: factor must be < 1, got {factor!r}")
        self.base_lr = self.lr = check.real("base_lr", base_lr)
        self.factor = factor
        self.patience = check.integer("patience", patience, -(2**63))
        self.cooldown = check.integer("cooldown", cooldown, -(2**63))
        self.warmup = check.integer("warmup", warmup, -(2**63))
        self.threshold = check.real("threshold", threshold)
        self.eps = check.real("eps", eps)
        self.min_lr = check.real("min_lr", min_lr)
        self.max_lr = check.real("max_lr", max_lr)
        check.boolean("verbose", verbose)
        self.smooth = check.boolean("smooth", smooth)
        self.window_size = check.integer("window_size", window_size, 1)
        self.reset_start = self.reset_start_original = check.integer("reset_start", reset_start, -(2**63))
        self.mode = _choice("mode", mode, ("min", "max"), "mode")
        self.threshold_mode = _choice("threshold_mode", threshold_mode, ("rel", "abs"), "threshold mode")
        self.last_epoch = 0
        self.window: list[float] = []
        self._clear()

    def _clear(self) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf
        self.num_bad_epochs = self.num_good_epochs = 0
        self.cooldown_counter = self.warmup_counter = 0
        self.reset_start = self.reset_start_original
        self.window = []
        self._window_sum = 0.0

    def state_dict(self) -> dict[str, Any]:
        return {**super().state_dict(), "window_sum": self._window_sum}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        state = dict(state)
        self._window_sum = float(state.pop("window_sum", self._window_sum))
        super().load_state_dict(state)

    def step(self, metrics: float) -> float:
        """Feed one metric; return the lr for what follows."""
        current = float(metrics)
        if self.smooth:
            average = _StreamingAverage(self.window_size, self.window, self._window_sum)
            current = average.add(current)
            self.window, self._window_sum = average.values, average.sum
        self.last_epoch += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = self.num_good_epochs = 0
        elif self.warmup_counter > 0:
            self.warmup_counter -= 1
            self.num_bad_epochs = self.num_good_epochs = 0
        else:
            if _improves(self.mode, self.threshold_mode, self.threshold, current, self.best):
                self.best = current
                self.num_bad_epochs = 0
                self.num_good_epochs += 1
            else:
                self.num_bad_epochs += 1
                self.num_good_epochs = 0
            if self.num_good_epochs > self.patience:
                new_lr = min(self.lr / self.factor, self.max_lr)
                if new_lr - self.lr > self.eps:
                    self.lr = new_lr
                self.reset_start = self.reset_start_original
                self.warmup_counter = self.warmup
                self.num_good_epochs = 0
            elif self.num_bad_epochs > self.patience:
                self._reduce()
                self.cooldown_counter = self.cooldown
                self.num_bad_epochs = 0
        return self.lr

    def _reduce(self) -> None:
        new_lr = max(self.lr * self.factor, self.min_lr)
        if self.lr - new_lr > self.eps:
            self.lr = new_lr
        if not self.lr > self.min_lr:
            self.reset_start -= 1
            if self.reset_start <= 0:
                self.lr = self.base_lr
                self._clear()


class PlateauLRScheduler(_Controller):
    r"""timm ``PlateauLRScheduler`` (timm 1.0.31), without noise.

    ``step(epoch, metric)`` as in timm: for ``epoch <= warmup_t`` the lr is
    ``warmup_lr_init + epoch * (base_lr - warmup_lr_init) / warmup_t`` and the
    metric is ignored; afterwards a torch :class:`ReduceLROnPlateau`
    (``patience=patience_t``, ``factor=decay_rate``, ``cooldown=cooldown_t``,
    ``min_lr=lr_min``, relative threshold) steps on the metric, if one is given.
    Quirk reproduced: with ``warmup_t=0``, ``step(0)`` sets the lr to
    ``warmup_lr_init`` (timm's warmup slope is 1 then). The lr right after
    construction is ``warmup_lr_init`` if ``warmup_t > 0`` else ``base_lr``.
    Noise is not supported (``noise_range_t`` must be None).

    Parameters
    ----------
    base_lr : float
        The optimizer's lr.
    decay_rate : float
        < 1.
    patience_t, cooldown_t, warmup_t : int
    threshold, warmup_lr_init, lr_min : float
    mode : {"min", "max"}
        Default "max" (timm's default).
    """

    _STATE = ("warmup_t", "warmup_lr_init", "warmup_step", "inner")

    def __init__(self, base_lr: float, decay_rate: float = 0.1, patience_t: int = 10, threshold: float = 1e-4,
                 cooldown_t: int = 0, warmup_t: int = 0, warmup_lr_init: float = 0.0, lr_min: float = 0.0,
                 mode: PlateauMode = "max", noise_range_t: None = None, noise_type: str = "normal",
                 noise_pct: float = 0.67, noise_std: float = 1.0, noise_seed: int | None = None,
                 initialize: bool = True) -> None:
        if noise_range_t is not None:
            raise ValueError("noise_range_t must be None: fastlr does not reproduce timm's random noise")
        base = check.real("base_lr", base_lr)
        self._inner = ReduceLROnPlateau(base, mode=mode, factor=decay_rate, patience=patience_t,
                                        threshold=threshold, cooldown=cooldown_t, min_lr=lr_min)
        self.warmup_t = check.integer("warmup_t", warmup_t)
        self.warmup_lr_init = check.real("warmup_lr_init", warmup_lr_init)
        self.warmup_step = (base - self.warmup_lr_init) / self.warmup_t if self.warmup_t else 1.0
        if self.warmup_t:
            self._inner.lr = self.warmup_lr_init

    @property
    def lr(self) -> float:
        """The current lr."""
        return self._inner.lr

    @property
    def inner(self) -> dict[str, Any]:
        return self._inner.state_dict()

    @inner.setter
    def inner(self, state: dict[str, Any]) -> None:
        self._inner.load_state_dict(state)

    def step(self, epoch: int, metric: float | None = None) -> float:
        """timm's ``step(epoch, metric)``; return the lr for what follows."""
        epoch = check.integer("epoch", epoch, -(2**63))
        if epoch <= self.warmup_t:
            self._inner.lr = self.warmup_lr_init + epoch * self.warmup_step
        elif metric is not None:
            self._inner.step(metric)
        return self.lr
