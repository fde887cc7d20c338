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

import re
import sys
import warnings
import weakref
from types import FrameType, MethodType
from typing import Any, Literal, Mapping, NamedTuple, Sequence, cast

from . import _engine, _validate
from ._frameworks import require
from ._resume import POLICIES, fingerprint, resume
from ._spec import Schedule, from_dict
from ._typing import ResumePolicy

torch = require("torch", "torch", "torch", "PyTorch")
from torch import Tensor  # noqa: E402
from torch.optim import Optimizer  # noqa: E402
from torch.optim.lr_scheduler import LRScheduler as _TorchLRScheduler  # noqa: E402

__all__ = ["LRScheduler", "STEP_KEY", "SPEC_KEY", "RESUME_POLICIES"]

STEP_KEY = "fastlr_step"
"""Param-group key holding the number of optimizer updates done (the schedule's step)."""

SPEC_KEY = "fastlr_schedule"
"""Param-group key holding the spec (``to_dict()``) of the schedule the group follows, so that
a checkpoint of the optimizer alone knows what it was trained with."""

RESUME_POLICIES = (*POLICIES, "saved")
"""What to do when a checkpoint's schedule differs from the one asked for: the policies of
:func:`fastlr.resume`, or ``"saved"``: use the checkpoint's schedule."""

_NO_DEFAULT = object()
_CYCLES_MOMENTUM = ("compat.torch.OneCycleLR", "compat.torch.CyclicLR")
_COUNTER_ATTR = "_fastlr_update_counter"
_WRITTEN_ATTR = "_fastlr_specs"  # the spec dicts fastlr schedulers put in this optimizer's groups
_SCHEDULERS_ATTR = "_fastlr_schedulers"  # weak references to the fastlr schedulers of an optimizer


def _matches(selector: object, index: int, group: dict[str, Any]) -> bool:
    """A group selector: its index (int), its ``"name"`` (str), or a regex (re.Pattern) that
    matches the whole name."""
    if isinstance(selector, bool):
        return False
    if isinstance(selector, int):
        return selector == index
    name = group.get("name")
    if isinstance(selector, re.Pattern):
        return isinstance(name, str) and selector.fullmatch(name) is not None
    return selector == name


def _per_group(name: str, value: Any, groups: list[dict[str, Any]],
               missing: Any = _NO_DEFAULT) -> list[Any]:
    """``value`` repeated per group, the list it already is (of the right length), or a mapping
    by group selector (index, name or regex; the first that matches wins)."""
    count = len(groups)
    if isinstance(value, Mapping):
        for selector in value:
            if not isinstance(selector, (int, str, re.Pattern)) or isinstance(selector, bool):
                raise TypeError(f"{name} keys must be group indices, names or re.Pattern objects, "
                                f"got {selector!r}")
        result = []
        for i, group in enumerate(groups):
            found = next((v for sel, v in value.items() if _matches(sel, i, group)), _NO_DEFAULT)
            if found is _NO_DEFAULT:
                if missing is _NO_DEFAULT:
                    raise ValueError(f"{name} has no entry for param group {i} (name {group.get('name')!r})")
                found = missing
            result.append(found)
        return result
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(f"{name} must have one item per param group ({count}), got {len(value)}")
        return list(value)
    return [value] * count


class _Key(NamedTuple):
    """A param-group hyperparameter: ``group[name]``, or element ``index`` of a tuple there."""

    name: str
    index: int | None  # type: ignore[assignment]  # a field named like tuple.index, on purpose

    @classmethod
    def parse(cls, text: Any) -> "_Key":
        match = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"hyperparams keys must be param-group keys like 'weight_decay' or "
                             f"'betas[0]', got {text!r}")
        if match.group(1) in ("lr", STEP_KEY, SPEC_KEY, "params"):
            raise ValueError(f"hyperparams cannot drive {match.group(1)!r} (the lr is `schedule`)")
        return cls(match.group(1), None if match.group(2) is None else int(match.group(2)))

    def set(self, group: dict[str, Any], value: float, where: str) -> None:
        if self.name not in group:
            raise KeyError(f"{where} has no {self.name!r}: this optimizer does not use that hyperparameter")
        held = group[self.name]
        if self.index is None:
            if isinstance(held, torch.Tensor):
                held.fill_(value)
            else:
                group[self.name] = value
            return
        if not isinstance(held, (tuple, list)) or self.index >= len(held):
            raise TypeError(f"{where}[{self.name!r}] is not a tuple with an item {self.index}: {held!r}")
        items = list(held)
        if isinstance(items[self.index], torch.Tensor):
            items[self.index].fill_(value)
        else:
            items[self.index] = value
        group[self.name] = type(held)(items)


def _key_text(key: "_Key") -> str:
    return key.name if key.index is None else f"{key.name}[{key.index}]"


def _reapply_after_load(optimizer: Optimizer) -> None:
    """Optimizer load_state_dict post-hook: the one fastlr scheduler of this optimizer adopts
    the loaded checkpoint (resume policy) and sets the learning rates before the next update.
    With several (SequentialLR children share an optimizer) the active one does it at its next
    step instead."""
    alive = [s for s in (ref() for ref in optimizer.__dict__.get(_SCHEDULERS_ATTR, ())) if s is not None]
    counted = all(STEP_KEY in group for group in optimizer.param_groups)  # else: a foreign state
    if len(alive) == 1 and alive[0].optimizer is optimizer and counted:
        alive[0]._apply(None)


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
    schedule : Schedule, sequence of Schedule, or mapping
        One schedule for every group, one per param group, or a mapping by group
        selector: a group index, a group ``"name"`` (the key torch keeps in a param
        group), or a compiled regex matched against the whole name; the first entry
        that matches a group wins, and every group needs one.
    scale : float, sequence of float, or mapping, optional
        Factor applied to the schedule's value (muP-style per-group multipliers), for
        all groups, per group, or by group selector (unselected groups: no factor).
    start_step : int, optional
        Warm start: the count of updates already done (the first update uses
        ``s(start_step)``). Default: the ``"fastlr_step"`` the param groups
        already carry (an optimizer restored from a checkpoint), else 0.
    hyperparams : mapping, optional
        Other param-group keys driven on the same clock: ``{"weight_decay": s_wd,
        "betas[0]": s_beta1, "momentum": s_m, ...}`` (``name[i]`` sets item ``i`` of a
        tuple such as Adam's ``betas``). A value is one schedule for every group, or a
        mapping by group selector (below); groups it does not select keep their value.
        A ``compat.torch`` ``OneCycleLR``/``CyclicLR`` schedule with ``cycle_momentum=True``
        drives the momentum (``betas[0]`` for Adam-like optimizers) by itself, as torch's
        scheduler does (``compat.torch.cycle_momentum``), unless this names that key.
    follow_optimizer : bool
        Count the optimizer's own updates instead of :meth:`step` calls: an
        optimizer step post-hook advances the count each time
        ``optimizer.step()`` runs, so updates that AMP's ``GradScaler`` skips
        on overflow do not advance the schedule; :meth:`step` then only
        applies the current value.
    resume : {"error", "keep", "retarget", "continue", "saved"}
        What to do when a checkpoint (the optimizer's param groups, or
        :meth:`load_state_dict`) was trained with another schedule than
        ``schedule``: ``"error"`` (default) raises with what changed; ``"keep"``,
        ``"retarget"`` and ``"continue"`` resume by :func:`fastlr.resume` at the
        checkpoint's count; ``"saved"`` follows the checkpoint's schedule.

    Notes
    -----
    Each param group carries ``group["fastlr_step"]``, the number of updates
    done, and ``group["fastlr_schedule"]``, the spec of its schedule, so
    ``optimizer.state_dict()`` alone resumes a run exactly (construct the
    scheduler before or after ``optimizer.load_state_dict``). :meth:`state_dict`
    also records the schedules with their :func:`fastlr.fingerprint`. A
    checkpoint whose schedule differs from the one asked for is resolved by
    ``resume`` (the first time the scheduler sees it: at construction, in
    :meth:`load_state_dict`, or at the next :meth:`step` after
    ``optimizer.load_state_dict``). All fastlr schedulers attached to one
    optimizer share the count (as ``SequentialLR`` children do: each restarts
    at 0 at its milestone) and must agree on ``follow_optimizer``.
    ``step(epoch)`` sets the count to ``epoch`` without a warning: the value is
    a closed form of the step.
    """

    def __init__(self, optimizer: Optimizer,
                 schedule: Schedule | Sequence[Schedule] | Mapping[Any, Schedule], *,
                 scale: float | Sequence[float] | Mapping[Any, float] | None = None,
                 hyperparams: Mapping[str, Schedule | Mapping[Any, Schedule]] | None = None,
                 start_step: int | None = None, follow_optimizer: bool = False,
                 resume: ResumePolicy | Literal["saved"] = "error") -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}")
        groups = optimizer.param_groups
        schedules = _per_group("schedule", schedule, groups)
        for i, s in enumerate(schedules):
            if not isinstance(s, Schedule):
                where = "schedule" if not isinstance(schedule, (list, tuple, Mapping)) else f"schedule for param group {i}"
                raise TypeError(f"{where} must be a fastlr schedule, got {type(s).__name__}")
        scales = _per_group("scale", scale, groups, missing=None)
        scales = [None if c is None else _validate.real("scale" if not isinstance(scale, (list, tuple, Mapping))
                                                          else f"scale for param group {i}", c)
                  for i, c in enumerate(scales)]
        self._hyper = self._hyperparams(hyperparams, groups)
        self._hyper += self._cycled_momentum(schedules, optimizer, self._hyper)
        follow = _validate.boolean("follow_optimizer", follow_optimizer)
        first = None if start_step is None else _validate.step(start_step, "start_step")

        counting = getattr(optimizer, _COUNTER_ATTR, None) is not None
        if counting and not follow:
            raise ValueError("follow_optimizer must be True: another fastlr scheduler already made "
                             "this optimizer count its own updates")
        self._policy = _validate.choice("resume", resume, RESUME_POLICIES)
        self._requested = list(schedules)  # what the user asked for; _schedules is what runs
        self._schedules = list(schedules)
        self._specs = [sched.to_dict() for sched in schedules]
        self._scales = scales
        self._follow = follow
        self._last_lr = [0.0] * len(groups)
        for group in groups:
            if first is not None:
                group[STEP_KEY] = first
                group.pop(SPEC_KEY, None)  # a warm start, not a checkpoint
            else:
                _validate.step(group.setdefault(STEP_KEY, 0), f"param group {STEP_KEY!r}")
        if follow and not counting:
            setattr(optimizer, _COUNTER_ATTR, optimizer.register_step_post_hook(_count_update))
        if _SCHEDULERS_ATTR not in optimizer.__dict__:
            optimizer.__dict__[_SCHEDULERS_ATTR] = []
            optimizer.register_load_state_dict_post_hook(_reapply_after_load)
        optimizer.__dict__[_SCHEDULERS_ATTR].append(weakref.ref(self))
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
        if type(self).step is not LRScheduler.step or stepper is None or not stepper.drives(self._schedules) \
                or self._hyper:  # the compiled step drives the lr only
            return
        fast = stepper.GroupStepper(self.optimizer, self._schedules, self._scales, STEP_KEY,
                                    not self._follow, self.__dict__, MethodType(LRScheduler.step, self),
                                    SPEC_KEY, self._specs)
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

    def _check_groups(self) -> list[dict[str, Any]]:
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
        self._resolve(groups)
        return groups

    def _effective(self, i: int, saved: Schedule, step: int) -> Schedule:
        """Group ``i``'s schedule when its checkpoint was trained with ``saved`` up to ``step``."""
        requested = self._requested[i]
        if self._policy == "saved" or saved == requested:
            return saved
        if saved.name == "resume" and saved.args["new"] == requested:
            return saved  # resumed before with this very request: go on as it did
        return resume(saved, requested, step, cast("ResumePolicy", self._policy))  # not "saved" here

    def _resolve(self, groups: list[dict[str, Any]]) -> None:
        """Adopt the spec each group carries if it came from a checkpoint, by the resume policy.

        Specs that fastlr schedulers of this optimizer wrote in this process (SequentialLR
        children share the groups) are told apart from loaded ones by identity.
        """
        written = self.optimizer.__dict__.setdefault(_WRITTEN_ATTR, [])
        changed = False
        for i, group in enumerate(groups):
            held = group.get(SPEC_KEY)
            if held is self._specs[i]:
                continue
            if held is not None and held != self._specs[i] and not any(held is w for w in written):
                if not isinstance(held, dict):
                    raise TypeError(f"optimizer.param_groups[{i}][{SPEC_KEY!r}] must be a schedule spec "
                                    f"(a dict), got {type(held).__name__}")
                effective = self._effective(i, from_dict(held), group[STEP_KEY])
                self._schedules[i], self._specs[i] = effective, effective.to_dict()
                changed = True
            group[SPEC_KEY] = self._specs[i]
            if not any(self._specs[i] is w for w in written):
                written.append(self._specs[i])
        if changed and "step" in self.__dict__:
            self._install_fast_step()

    @staticmethod
    def _hyperparams(hyperparams: Any,
                     groups: list[dict[str, Any]]) -> list[tuple[_Key, list[Schedule | None]]]:
        """``hyperparams`` as (key, schedule or None per group), validated."""
        if hyperparams is None:
            return []
        if not isinstance(hyperparams, Mapping):
            raise TypeError(f"hyperparams must be a mapping of param-group keys to schedules, "
                            f"got {type(hyperparams).__name__}")
        result = []
        for text, value in hyperparams.items():
            key = _Key.parse(text)
            per_group = _per_group(f"hyperparams[{text!r}]", value, groups, missing=None)
            for i, (group, s) in enumerate(zip(groups, per_group)):
                if s is None:
                    continue
                if not isinstance(s, Schedule):
                    raise TypeError(f"hyperparams[{text!r}] for param group {i} must be a fastlr schedule, "
                                    f"got {type(s).__name__}")
                if key.name not in group:
                    raise ValueError(f"hyperparams[{text!r}]: param group {i} has no {key.name!r} "
                                     "(this optimizer does not use it)")
            result.append((key, per_group))
        return result

    @staticmethod
    def _cycled_momentum(schedules: list[Schedule], optimizer: Optimizer,
                         hyper: list[tuple[_Key, list[Schedule | None]]]) -> list[tuple[_Key, list[Schedule | None]]]:
        """The momentum (or beta1) that torch's OneCycleLR/CyclicLR cycle, for the groups
        whose schedule is one with ``cycle_momentum=True``, unless ``hyperparams`` drives it."""
        cycled = [s if s.name in _CYCLES_MOMENTUM and s.args["cycle_momentum"] else None for s in schedules]
        if not any(cycled):
            return []
        if "betas" in optimizer.defaults:
            key = _Key("betas", 0)
        elif "momentum" in optimizer.defaults:
            key = _Key("momentum", None)
        else:
            raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled "
                             "(the schedule is a compat.torch OneCycleLR/CyclicLR with cycle_momentum=True)")
        if any(driven.name == key.name for driven, _ in hyper):
            return []
        from .compat.torch import cycle_momentum
        return [(key, [None if s is None else cycle_momentum(s) for s in cycled])]

    def _apply(self, epoch: int | None, advance: bool = False) -> None:
        """Set every group's count (``epoch``, or one more if ``advance``), its lr and the
        hyperparameters this scheduler drives."""
        groups = self._check_groups()
        if epoch is not None:
            epoch = _validate.step(epoch, "epoch")
        values = []
        for i, (group, s, c) in enumerate(zip(groups, self._schedules, self._scales)):
            t = epoch if epoch is not None else group[STEP_KEY] + advance
            group[STEP_KEY] = t
            value = s(t) if c is None else c * s(t)
            if isinstance(group["lr"], torch.Tensor):
                group["lr"].fill_(value)
            else:
                group["lr"] = value
            values.append(value)
            for key, per_group in self._hyper:
                hyper = per_group[i]
                if hyper is not None:
                    key.set(group, hyper(t), f"optimizer.param_groups[{i}]")
        self._last_lr = values
        self.last_epoch = groups[0][STEP_KEY]

    def _check_hyperparams(self, saved: Any) -> None:
        """A checkpoint's hyperparameter schedules: the policy decides when they differ."""
        mine = {_key_text(key): [None if h is None else h.to_dict() for h in per_group]
                for key, per_group in self._hyper}
        if saved == mine:
            return
        if self._policy == "saved":
            self._hyper = [(_Key.parse(text), [None if d is None else from_dict(d) for d in per_group])
                           for text, per_group in saved.items()]
        elif self._policy == "error":
            raise ValueError(f"the hyperparameter schedules differ from the ones this checkpoint was saved "
                             f"with ({sorted(saved)} -> {sorted(mine)} or their values); choose "
                             "resume='saved' to follow the checkpoint's, or another policy to keep these "
                             "at absolute steps")

    def get_last_lr(self) -> list[float | Tensor]:
        """The learning rates set by the last :meth:`step` (a new list, one float per group)."""
        return list(self._last_lr)

    def get_lr(self) -> list[float | Tensor]:
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
            "fingerprints": [fingerprint(s) for s in self._schedules],
            "scale": [c for c in self._scales],
            "follow_optimizer": self._follow,
            "hyperparams": {_key_text(key): [None if h is None else h.to_dict() for h in per_group]
                            for key, per_group in self._hyper},
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the counts and schedules of :meth:`state_dict` (by the resume policy where a
        schedule differs from the one asked for); set the learning rates."""
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
        prints = state_dict.get("fingerprints")
        if prints is not None and prints != [fingerprint(sched) for sched in schedules]:
            raise ValueError("state_dict['fingerprints'] do not match state_dict['schedules']: "
                             "the state was edited or corrupted")
        steps = [_validate.step(t, f"state_dict['fastlr_step'][{i}]") for i, t in enumerate(counts)]
        schedules = [self._effective(i, sched, t) for i, (sched, t) in enumerate(zip(schedules, steps))]
        for group, t, sched in zip(groups, steps, schedules):
            group[STEP_KEY] = t
        self._schedules, self._scales = schedules, scales
        self._specs = [sched.to_dict() for sched in schedules]
        self._check_hyperparams(state_dict.get("hyperparams", {}))
        written = self.optimizer.__dict__.setdefault(_WRITTEN_ATTR, [])
        for group, spec in zip(groups, self._specs):
            group[SPEC_KEY] = spec
            written.append(spec)
        self._apply(None)
        self._install_fast_step()
