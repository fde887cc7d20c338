"""PyTorch adapter: a fastlr schedule as a ``torch.optim.lr_scheduler.LRScheduler``.

>>> import torch, fastlr, fastlr.torch
>>> model = torch.nn.Linear(4, 1)
>>> opt = torch.optim.AdamW(model.parameters(), lr=0.0)
>>> sched = fastlr.torch.LRScheduler(opt, fastlr.warmup_cosine(1e-3, 100, 1_000))
>>> for batch in range(3):           # doctest: +SKIP
...     loss = model(torch.randn(8, 4)).square().mean()
...     loss.backward(); opt.step(); opt.zero_grad(); sched.step()

The step count lives in the optimizer: every param group carries
``group["fastlr_step"]``, the number of updates done, so the optimizer's own
``state_dict`` is enough to resume. Importing this module needs torch
(``pip install 'fastlr-schedules[torch]'``).
"""

from __future__ import annotations

import sys
import warnings
from types import FrameType, MethodType
from typing import Any, Sequence

from . import _engine, _validate
from ._frameworks import require
from ._spec import Schedule, from_dict

torch = require("torch", "torch", "torch", "PyTorch")
from torch.optim import Optimizer  # noqa: E402
from torch.optim.lr_scheduler import LRScheduler as _TorchLRScheduler  # noqa: E402

__all__ = ["LRScheduler", "STEP_KEY"]

STEP_KEY = "fastlr_step"
"""Param-group key holding the number of optimizer updates done (the schedule's step)."""

_COUNTER_ATTR = "_fastlr_update_counter"


def _per_group(name: str, value: Any, count: int) -> list:
    """``value`` repeated per group, or the list it already is (of the right length)."""
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(f"{name} must have one item per param group ({count}), got {len(value)}")
        return list(value)
    return [value] * count


def _count_update(optimizer: Optimizer, args: Any, kwargs: Any) -> None:
    """Optimizer step post-hook: one more update done (not when a fused AMP step found an inf)."""
    found_inf = getattr(optimizer, "found_inf", None)
    if found_inf is not None and float(found_inf) != 0.0:
        return
    for group in optimizer.param_groups:
        group[STEP_KEY] = group.get(STEP_KEY, 0) + 1


def _warn_if_optimizer_idle(optimizer: Optimizer) -> None:
    """Warn as torch does when the first advancing ``step()`` comes before any ``optimizer.step()``.

    torch's scheduler base class wraps ``optimizer.step`` so that it sets
    ``optimizer._opt_called``. Where that wrapper is gone (the step replaced,
    or the optimizer deep-copied) the order is unknown and nothing is said
    (torch warns there even when the order is right).
    """
    if hasattr(optimizer.step, "_wrapped_by_lr_sched") and not getattr(optimizer, "_opt_called", False):
        warnings.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`: each "
                      "`lr_scheduler.step()` moves the schedule on by one update, so the first update "
                      "skips its value s(start_step). Call `optimizer.step()` first, or build the "
                      "scheduler with follow_optimizer=True to count the optimizer's own updates",
                      UserWarning, stacklevel=_user_stacklevel())


def _user_stacklevel() -> int:
    """``stacklevel`` of the first frame outside this module (the code that called ``step``)."""
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame, level = frame.f_back, level + 1
    return level


class LRScheduler(_TorchLRScheduler):
    r"""Drive an optimizer's learning rates with fastlr schedules.

    With :math:`k` = ``start_step`` (default 0, or the count the optimizer's
    param groups already carry), the :math:`n`-th update (:math:`n = 1, 2,
    \dots`) of param group :math:`g` uses

    .. math:: \mathrm{lr}_g(n) = c_g \cdot s_g(k + n - 1)

    where :math:`s_g` is the group's schedule and :math:`c_g` its scale
    (omitted when ``scale`` is None: the value is then ``s_g(k + n - 1)`` bit
    for bit, from the scalar path). The constructor sets :math:`s_g(k)`; call
    :meth:`step` once per optimizer update, after ``optimizer.step()``
    (under gradient accumulation: once per update, not per micro-batch).

    Parameters
    ----------
    optimizer : torch.optim.Optimizer
        The optimizer whose ``param_groups[i]["lr"]`` this scheduler sets.
    schedule : Schedule or sequence of Schedule
        One schedule for every group, or one per param group.
    scale : float or sequence of float, optional
        Factor applied to the schedule's value, per group or for all groups.
    start_step : int, optional
        Warm start: the count of updates already done (the first update uses
        ``s(start_step)``). Default: the ``"fastlr_step"`` the param groups
        already carry (an optimizer restored from a checkpoint), else 0.
    follow_optimizer : bool
        Count the optimizer's own updates instead of :meth:`step` calls: an
        optimizer step post-hook advances the count each time
        ``optimizer.step()`` runs, so updates that AMP's ``GradScaler`` skips
        on overflow do not advance the schedule; :meth:`step` then only
        applies the current value.

    Notes
    -----
    Each param group carries ``group["fastlr_step"]``, the number of updates
    done; it is the only state, so ``optimizer.state_dict()`` alone resumes a
    run exactly (construct the scheduler before or after
    ``optimizer.load_state_dict``). :meth:`state_dict` additionally records the
    schedules, and :meth:`load_state_dict` restores them, like torch's own
    schedulers restore their hyperparameters; to change the schedule on resume,
    load only the optimizer's state. All fastlr schedulers attached to one
    optimizer share the count (as ``SequentialLR`` children do: each restarts
    at 0 at its milestone) and must agree on ``follow_optimizer``.
    ``step(epoch)`` sets the count to ``epoch`` without a warning: the value is
    a closed form of the step.
    """

    def __init__(self, optimizer: Optimizer, schedule: Schedule | Sequence[Schedule], *,
                 scale: float | Sequence[float] | None = None, start_step: int | None = None,
                 follow_optimizer: bool = False) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
        groups = optimizer.param_groups
        schedules = _per_group("schedule", schedule, len(groups))
        for i, s in enumerate(schedules):
            if not isinstance(s, Schedule):
                where = "schedule" if not isinstance(schedule, (list, tuple)) else f"schedule[{i}]"
                raise TypeError(f"{where} must be a fastlr schedule, got {type(s).__name__}")
        scales = _per_group("scale", scale, len(groups))
        scales = [None if c is None else _validate.real(f"scale[{i}]" if isinstance(scale, (list, tuple))
                                                          else "scale", c)
                  for i, c in enumerate(scales)]
        follow = _validate.boolean("follow_optimizer", follow_optimizer)
        first = None if start_step is None else _validate.step(start_step, "start_step")

        counting = getattr(optimizer, _COUNTER_ATTR, None) is not None
        if counting and not follow:
            raise ValueError("follow_optimizer must be True: another fastlr scheduler already made "
                             "this optimizer count its own updates")
        self._schedules = schedules
        self._scales = scales
        self._follow = follow
        self._last_lr = [0.0] * len(groups)
        for group in groups:
            if first is not None:
                group[STEP_KEY] = first
            else:
                _validate.step(group.setdefault(STEP_KEY, 0), f"param group {STEP_KEY!r}")
        if follow and not counting:
            setattr(optimizer, _COUNTER_ATTR, optimizer.register_step_post_hook(_count_update))
        super().__init__(optimizer)
        self._install_fast_step()

    def _install_fast_step(self) -> None:
        """Shadow :meth:`step` with the compiled stepper when it applies (same results, ~10x less work).

        The stepper comes from the engine switch (``fastlr._engine.stepper``):
        the compiled engine's, or none on the NumPy engine; it drives
        schedules of the compiled engine (tests rebind some). It handles the
        plain case (float learning rates, counts in place) and calls the
        Python :meth:`step` for anything else; subclasses that override
        ``step`` keep theirs.
        """
        self.__dict__.pop("step", None)
        stepper = _engine.stepper()
        if type(self).step is not LRScheduler.step or stepper is None or not stepper.drives(self._schedules):
            return
        fast = stepper.GroupStepper(self.optimizer, self._schedules, self._scales, STEP_KEY,
                                    not self._follow, self.__dict__, MethodType(LRScheduler.step, self))
        if self._step_count != 1:
            self.__dict__["step"] = fast.step
            return

        def first_step(epoch: int | None = None) -> None:
            # the first step checks the call order (see _step), then hands over to the stepper
            self._step(epoch)
            self.__dict__["step"] = fast.step

        self.__dict__["step"] = first_step

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("step", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._install_fast_step()

    # torch's base class calls this once from __init__ (and SequentialLR for its first child);
    # _step_count stays 1 until the first step() call, which then checks the call order
    def _initial_step(self) -> None:
        self._step_count = 1
        self._apply(None)

    def step(self, epoch: int | None = None) -> None:
        """Advance the count by one update and set each group's ``lr``.

        With ``follow_optimizer=True`` the count is the optimizer's and this
        only applies it; ``step(epoch)`` sets the count to ``epoch``. Like
        torch's schedulers, the first call warns (``UserWarning``) when it
        advances the count before any ``optimizer.step()``.
        """
        self._step(epoch)

    def _step(self, epoch: int | None) -> None:
        advance = epoch is None and not self._follow
        if self._step_count == 1:
            self._step_count = 2
            if advance:
                _warn_if_optimizer_idle(self.optimizer)
        self._apply(epoch, advance=advance)

    def _update_lr(self, epoch: int | None = None) -> None:
        # what torch's SequentialLR calls at a milestone (epoch=0)
        self._apply(epoch, advance=epoch is None and not self._follow)

    def _check_groups(self) -> list[dict]:
        groups = self.optimizer.param_groups
        if len(groups) != len(self._schedules):
            raise ValueError(f"the optimizer has {len(groups)} param groups but this scheduler was "
                             f"built for {len(self._schedules)}; build a new scheduler after "
                             "add_param_group")
        for i, group in enumerate(groups):
            if STEP_KEY not in group:
                raise KeyError(f"optimizer.param_groups[{i}] has no {STEP_KEY!r}: its param groups were "
                               "replaced (e.g. by loading a checkpoint saved without fastlr); "
                               "load the scheduler's state_dict or build it with start_step=")
        return groups

    def _apply(self, epoch: int | None, advance: bool = False) -> None:
        """Set every group's count (``epoch``, or one more if ``advance``) and its lr."""
        groups = self._check_groups()
        if epoch is not None:
            epoch = _validate.step(epoch, "epoch")
        values = []
        for group, s, c in zip(groups, self._schedules, self._scales):
            t = epoch if epoch is not None else group[STEP_KEY] + advance
            group[STEP_KEY] = t
            value = s(t) if c is None else c * s(t)
            if isinstance(group["lr"], torch.Tensor):
                group["lr"].fill_(value)
            else:
                group["lr"] = value
            values.append(value)
        self._last_lr = values
        self.last_epoch = groups[0][STEP_KEY]

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the last :meth:`step` (a new list, one float per group)."""
        return list(self._last_lr)

    def get_lr(self) -> list[float]:
        """The learning rates for the next update, from the current counts (closed form)."""
        groups = self._check_groups()
        return [s(g[STEP_KEY]) if c is None else c * s(g[STEP_KEY])
                for g, s, c in zip(groups, self._schedules, self._scales)]

    _get_closed_form_lr = get_lr

    def state_dict(self) -> dict[str, Any]:
        """The counts and schedules, as plain lists and dicts (``torch.load(weights_only=True)``-safe)."""
        groups = self._check_groups()
        return {
            "fastlr_step": [int(g[STEP_KEY]) for g in groups],
            "schedules": [s.to_dict() for s in self._schedules],
            "scale": [c for c in self._scales],
            "follow_optimizer": self._follow,
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the counts and schedules of :meth:`state_dict`; set the learning rates."""
        if not isinstance(state_dict, dict):
            raise TypeError(f"state_dict must be a dict, got {type(state_dict).__name__}")
        for key in ("fastlr_step", "schedules", "scale", "follow_optimizer"):
            if key not in state_dict:
                raise ValueError(f"state_dict is missing the key {key!r} (not a fastlr.torch state)")
        groups = self.optimizer.param_groups
        counts = state_dict["fastlr_step"]
        if not isinstance(counts, list) or len(counts) != len(groups):
            raise ValueError(f"state_dict['fastlr_step'] must list one count per param group "
                             f"({len(groups)}), got {counts!r}")
        if state_dict["follow_optimizer"] != self._follow:
            raise ValueError(f"state_dict['follow_optimizer'] is {state_dict['follow_optimizer']!r} but "
                             f"this scheduler was built with follow_optimizer={self._follow!r}")
        schedules = [from_dict(d) for d in state_dict["schedules"]]
        scales = list(state_dict["scale"])
        if len(schedules) != len(groups) or len(scales) != len(groups):
            raise ValueError(f"state_dict must hold one schedule and scale per param group ({len(groups)})")
        for i, (group, t) in enumerate(zip(groups, counts)):
            group[STEP_KEY] = _validate.step(t, f"state_dict['fastlr_step'][{i}]")
        self._schedules, self._scales = schedules, scales
        self._apply(None)
        self._install_fast_step()
