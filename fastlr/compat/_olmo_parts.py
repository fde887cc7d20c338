"""OLMo-core's schedulers as segments: the validation and the pieces behind ``fastlr.compat.olmo``.

Each scheduler is a pair ``(check, build)``: ``check(fields)`` validates the
dataclass fields as OLMo-core does (and rejects what it would fail on later)
and returns them normalised; ``build(fields, lr, t_max, first)`` returns the
segments of ``get_lr(lr, current, t_max)`` as a function of ``current``, for
counts from ``first`` on (OLMo-core's assertions apply where it evaluates).

Every formula segment is an ``OLMO`` kind whose count is ``u + offset``, so a
piece can start later without changing its values (:func:`starting_at`): that
is how ``SequentialScheduler`` drops the first step of each following
scheduler, which OLMo-core never evaluates.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Mapping

from .. import _validate as check
from .._kinds import OLMO_SHAPES, Kind
from .._spec import Segment, clipped, evaluate, shifted

Fields = dict[str, Any]


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def known(where: str, given: Mapping[str, Any], names: set[str]) -> None:
    """A nested dict of fields: known names, and no None (a schedule's spec cannot hold it)."""
    unknown = sorted(set(given) - names)
    if unknown:
        raise ValueError(f"{where} has no field {unknown[0]!r}")
    for key, value in given.items():
        if value is None:
            raise TypeError(f"{where}[{key!r}] must not be None: leave it out to use its default")


def piece(shape: str, start: int, low: float, high: float, span: float, end: float = 0.0,
          power: float = 0.0, count: int | None = None) -> Segment:
    """An OLMO segment from ``start`` whose count there is ``count`` (default ``start``)."""
    return Segment(Kind.OLMO, start, (float(OLMO_SHAPES.index(shape)), low, high, float(span), float(end),
                                      float(power), float(start if count is None else count)))


def starting_at(segments: list[Segment], first: int) -> list[Segment]:
    """The same values from step ``first`` on (the segment holding ``first`` moves there)."""
    kept = [s for s in segments if s.start <= first]
    head = kept[-1]
    if head.kind == Kind.OLMO:
        params = list(head.params)
        params[6] += first - head.start
        head = head._replace(params=tuple(params))
    return [head._replace(start=first)] + [s for s in segments if s.start > first]


# ---------------------------------------------------------------- shared phases

def warmup_phase(lr: float, warmup: int, low: float, reached: bool) -> list[Segment]:
    """``_linear_warmup``: ``low + (lr - low) * min(c, W) / W`` from 0 (none if ``W == 0``); OLMo-core's
    assertion on ``low`` applies if the peer evaluates it (``reached``)."""
    if warmup == 0:
        return []
    require(not reached or 0.0 <= low < lr, f"warmup_min_lr must be >= 0 and below the peak lr {lr!r} "
                             f"(OLMo-core asserts it in the warmup), got {low!r}")
    return [piece("up", 0, low, lr, warmup)]


def decay_phase(start: int, top: float, end: int, decay: int, low: float) -> list[Segment]:
    """``_linear_decay`` from ``start``: ``low + (top - low) * (end - c) / decay``, unclamped past ``end``;
    OLMo-core's assertion on ``low`` applies if the peer gets there (``start <= end``)."""
    require(start > end or 0.0 <= low < top,
            f"decay_min_lr must be >= 0 and below the lr where the decay starts {top!r} "
                              f"(OLMo-core asserts it in the decay), got {low!r}")
    return [piece("tail", start, low, top, decay, end=end)]


def resolved(value: int | None, fraction: float | None, total: int) -> int:
    """OLMo-core's ``value if set else round(total * fraction)``."""
    return value if value is not None else round(total * fraction)  # type: ignore[operator]


def _alias(fields: Fields, name: str, old: str) -> None:
    """OLMo-core's deprecated ``<name>_steps`` spelling."""
    if fields.get(name) is None and fields.get(old) is not None:
        warnings.warn(f"'{old}' is deprecated, please use '{name}' instead.", DeprecationWarning, stacklevel=5)
        fields[name] = fields[old]
    fields[old] = None


def _fraction(fields: Fields, name: str) -> None:
    if fields[name] is not None:
        value = check.real(name, fields[name])
        require(0.0 <= value <= 1.0, f"'{name}' must be between 0 and 1, got {value!r}")
        fields[name] = value


def _count(fields: Fields, name: str) -> None:
    if fields[name] is not None:
        fields[name] = check.integer(name, fields[name])


def warmup_fields(fields: Fields) -> None:
    _alias(fields, "warmup", "warmup_steps")
    require((fields["warmup_fraction"] is None) != (fields["warmup"] is None),
            "Either 'warmup_fraction' or 'warmup' must be specified.")
    _count(fields, "warmup")
    _fraction(fields, "warmup_fraction")
    fields["warmup_min_lr"] = check.real("warmup_min_lr", fields["warmup_min_lr"])


def decay_fields(fields: Fields) -> None:
    """``decay``/``decay_fraction``; neither set means OLMo-core's default ``decay_fraction=0.1``."""
    _alias(fields, "decay", "decay_steps")
    if fields["decay"] is None and fields["decay_fraction"] is None:
        fields["decay_fraction"] = 0.1
    require((fields["decay_fraction"] is None) != (fields["decay"] is None),
            "Either 'decay_fraction' or 'decay' must be specified. Never both.")
    _count(fields, "decay")
    _fraction(fields, "decay_fraction")
    fields["decay_min_lr"] = check.real("decay_min_lr", fields["decay_min_lr"])


def _nonzero_decay(decay: int, where: str) -> None:
    require(decay > 0, f"the decay must be longer than 0 steps: OLMo-core's {where} divides by it, got {decay}")


# ---------------------------------------------------------------- one pair per scheduler

def _check_constant(f: Fields) -> Fields:
    return f


def _constant(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    return [Segment(Kind.CONSTANT, 0, (lr,))]


def _check_warmup(f: Fields) -> Fields:
    warmup_fields(f)
    return f


def _constant_with_warmup(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    w = resolved(f["warmup"], f["warmup_fraction"], t)
    return warmup_phase(lr, w, f["warmup_min_lr"], w >= first) + [Segment(Kind.CONSTANT, w + 1 if w else 0, (lr,))]


def _check_wsd(f: Fields) -> Fields:
    warmup_fields(f)
    decay_fields(f)
    return f


def _past_max_steps(lr: float, w: int, t: int, fine: bool, message: str) -> list[Segment] | None:
    """Where the decay cannot be computed: reject if OLMo-core's Trainer gets there (``t_max > warmup``),
    else hold ``lr`` after the warmup (only counts past ``t_max`` reach the decay)."""
    if fine:
        return None
    require(t <= w, message)
    return [Segment(Kind.CONSTANT, w + 1, (lr,))]


def _wsd(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    w = resolved(f["warmup"], f["warmup_fraction"], t)
    d = resolved(f["decay"], f["decay_fraction"], t)
    hold = _past_max_steps(lr, w, t, d > 0, f"the decay must be longer than 0 steps: OLMo-core's WSD divides "
                                             f"by it at current = t_max, got {d}")
    if hold is not None:
        return warmup_phase(lr, w, f["warmup_min_lr"], w >= first) + hold
    after = w + 1 if w else 0
    stable = [Segment(Kind.CONSTANT, after, (lr,))] if after < t - d else []
    return (warmup_phase(lr, w, f["warmup_min_lr"], w >= first) + stable
            + decay_phase(max(after, t - d), lr, t, d, f["decay_min_lr"]))


def _check_power(f: Fields) -> Fields:
    _check_wsd(f)
    f["b"] = check.real("b", f["b"])
    require(f["b"] < 0, f"'b' must be negative for a decaying power-law, got {f['b']!r}")
    return f


def _power(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    w = resolved(f["warmup"], f["warmup_fraction"], t)
    d = resolved(f["decay"], f["decay_fraction"], t)
    require(w > 0, "the warmup must be longer than 0 steps: PowerLR divides current by it")
    hold = _past_max_steps(lr, w, t, d > 0 and t - d > 0,
                           f"the decay must be longer than 0 steps and shorter than max_steps: PowerLR divides by "
                           f"it and raises (t_max - decay) / warmup to the power b, got decay {d}, max_steps {t}")
    if hold is not None:
        return warmup_phase(lr, w, f["warmup_min_lr"], w >= first) + hold
    top = lr * ((t - d) / w) ** f["b"]
    power = [piece("power", w + 1, 0.0, lr, w, power=f["b"])] if w + 1 < t - d else []
    return (warmup_phase(lr, w, f["warmup_min_lr"], w >= first) + power
            + decay_phase(max(w + 1, t - d), top, t, d, f["decay_min_lr"]))


def _check_alpha(f: Fields) -> Fields:
    warmup_fields(f)
    f["alpha_f"] = check.real("alpha_f", f["alpha_f"])
    if f.get("t_max") is not None:
        f["t_max"] = check.integer("t_max", f["t_max"])
    return f


def _annealed(shape: str, f: Fields, lr: float, t: int, first: int, half: bool = False) -> list[Segment]:
    """Linear/cosine/half-cosine with warmup: warmup for c < W, ``shape`` to ``eta_min`` until t_max."""
    t = t if f["t_max"] is None else f["t_max"]
    eta = lr * f["alpha_f"]
    w = resolved(f["warmup"], f["warmup_fraction"], t)
    peak = eta + (lr - eta) / 2 if half else lr
    body = [piece(shape, w, eta, lr, t - w, count=0)] if w < t else []
    tail = [Segment(Kind.CONSTANT, max(w, t), (eta,))]
    return warmup_phase(peak, w, f["warmup_min_lr"], w - 1 >= first) + body + tail


def _linear_with_warmup(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    return _annealed("down", f, lr, t, first)


def _cos_with_warmup(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    return _annealed("cosine", f, lr, t, first)


def _half_cos_with_warmup(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    return _annealed("half_cos", f, lr, t, first, half=True)


def _inv_sqrt_with_warmup(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    w = resolved(f["warmup"], f["warmup_fraction"], t)
    eta = lr * f["alpha_f"]
    head = [Segment(Kind.CONSTANT, 0, (eta + (lr - eta) * 0.0,))] if w == 0 else []  # 0 / 0 in OLMo-core
    return warmup_phase(lr, w, f["warmup_min_lr"], w - 1 >= first) + head + [piece("inv_sqrt", max(w, 1), eta, lr, w)]


def _check_cos_linear(f: Fields) -> Fields:
    _check_alpha(f)
    decay_fields(f)
    return f


def _cos_with_warmup_and_linear_decay(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    d = resolved(f["decay"], f["decay_fraction"], t)
    _nonzero_decay(d, "CosWithWarmupAndLinearDecay (at current = t_max)")
    require(d <= t, f"decay must be <= max_steps (the cosine is read at max_steps - decay), got {d} > {t}")
    cosine = _cos_with_warmup(f, lr, t, first)
    top = evaluate(cosine, t - d)
    return clipped(cosine, t - d) + decay_phase(t - d, top, t, d, f["decay_min_lr"])


def _check_wsds(f: Fields) -> Fields:
    lengths = [check.integer(f"period_lengths[{i}]", n, -(2**63))
               for i, n in enumerate(check.sequence("period_lengths", f["period_lengths"]))]
    require(bool(lengths), "'period_lengths' must be provided and non-empty.")
    require(all(n > 0 for n in lengths), "All entries in 'period_lengths' must be > 0.")
    mults = f["period_lr_multipliers"]
    if mults is not None:
        mults = [check.real(f"period_lr_multipliers[{i}]", m)
                 for i, m in enumerate(check.sequence("period_lr_multipliers", mults))]
        require(len(mults) == len(lengths), "'period_lr_multipliers' length must match 'period_lengths' length.")
        require(all(m > 0.0 for m in mults), "All entries in 'period_lr_multipliers' must be > 0.")
    require((f["warmup"] is None) != (f["warmup_fraction"] is None),
            "Exactly one of 'warmup' or 'warmup_fraction' must be specified.")
    _count(f, "warmup")
    _fraction(f, "warmup_fraction")
    require((f["decay"] is None) != (f["decay_fraction"] is None),
            "Exactly one of 'decay' or 'decay_fraction' must be specified.")
    _count(f, "decay")
    _fraction(f, "decay_fraction")
    low = check.real("decay_min_lr", f["decay_min_lr"])
    require(low >= 0.0, "'decay_min_lr' must be >= 0.")
    warm = f["warmup"] if f["warmup"] is not None else int(round(f["warmup_fraction"] * lengths[0]))
    decays = [f["decay"] if f["decay"] is not None else int(round(f["decay_fraction"] * n)) for n in lengths]
    require(warm + decays[0] <= lengths[0], f"First period: warmup ({warm}) + decay ({decays[0]}) = "
                                            f"{warm + decays[0]} exceeds period length ({lengths[0]}).")
    for i, (n, d) in enumerate(zip(lengths, decays)):
        require(d <= n, f"Period {i}: decay ({d}) exceeds period length ({n}).")
        _nonzero_decay(d, "WSDS (at the end of each period)")
    return {**f, "period_lengths": lengths, "period_lr_multipliers": mults, "decay_min_lr": low,
            "warmup_min_lr": check.real("warmup_min_lr", f["warmup_min_lr"]), "_warmup": warm, "_decays": decays}


def _wsds(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    w, decays, lengths = f["_warmup"], f["_decays"], f["period_lengths"]
    peaks = [lr * m for m in f["period_lr_multipliers"]] if f["period_lr_multipliers"] else [lr] * len(lengths)
    segments = warmup_phase(peaks[0], w, f["warmup_min_lr"], w - 1 >= first)
    begin = 0  # adjusted count where the period starts; period i > 0 owns (begin, end]
    for i, (n, d) in enumerate(zip([lengths[0] - w] + lengths[1:], decays)):
        head, end = (0 if i == 0 else begin + 1), begin + n
        if head < begin + n - d:
            segments.append(Segment(Kind.CONSTANT, w + head, (peaks[i],)))
        segments += decay_phase(w + max(head, begin + n - d), peaks[i], w + end, d, f["decay_min_lr"])
        begin = end
    return segments + [Segment(Kind.CONSTANT, w + begin + 1, (f["decay_min_lr"],))]


def _check_exponential(f: Fields) -> Fields:
    f["lr_min"] = check.real("lr_min", f["lr_min"])
    require(f["lr_min"] > 0, "'lr_min' must be positive.")
    return f


def _exponential(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    low = f["lr_min"]
    if t == 0:
        return [Segment(Kind.CONSTANT, 0, (lr,))]
    growth = [piece("exponential", 1, low, lr / low, t)] if t > 1 else []
    return [Segment(Kind.CONSTANT, 0, (low,))] + growth + [Segment(Kind.CONSTANT, t, (lr,))]


# ---------------------------------------------------------------- composite schedulers

_SHAPES = ("linear", "cosine")


def _interpolate(shape: str, start: int, first: float, last: float, duration: int) -> Segment:
    """``_interpolate_lr`` from ``start`` to ``start + duration``."""
    if shape == "linear":
        return piece("up", start, first, last, duration, count=0)
    return piece("cosine", start, last, first, duration, count=0)


def _end_lr(where: str, spec: Mapping[str, Any], lr: float) -> float:
    value, fraction = spec.get("end_lr"), spec.get("end_lr_fraction")
    require((value is None) != (fraction is None), f"Specify exactly one of 'end_lr' or 'end_lr_fraction' for {where}.")
    if value is not None:
        value = check.real("end_lr", value)
        require(value >= 0, f"'end_lr' must be >= 0 for {where}.")
        return value
    fraction = check.real("end_lr_fraction", fraction)
    require(fraction >= 0, f"'end_lr_fraction' must be >= 0 for {where}.")
    return lr * fraction


def _shape(spec: Mapping[str, Any]) -> str:
    return check.choice("shape", spec.get("shape", "linear"), _SHAPES)


def _override(main: list[Segment], override: Mapping[str, Any] | None, lr: float) -> list[Segment]:
    """``override_decay``: from ``start``, interpolate from the main value there to the end lr."""
    if override is None:
        return main
    if not isinstance(override, Mapping):
        raise TypeError(f"override_decay must be a dict of OverrideDecay fields, got {type(override).__name__}")
    known("override_decay", override, {"start", "duration", "shape", "end_lr", "end_lr_fraction"})
    start = check.integer("override_decay['start']", override.get("start"))
    duration = check.integer("override_decay['duration']", override.get("duration"))
    require(duration > 0, "'duration' must be > 0 for override decay.")
    shape, end = _shape(override), _end_lr("override decay", override, lr)
    return (clipped(main, start) + [_interpolate(shape, start, evaluate(main, start), end, duration)]
            + [Segment(Kind.CONSTANT, start + duration, (end,))])


def _check_composable(f: Fields) -> Fields:
    stages = check.sequence("stages", f["stages"])
    require(bool(stages), "'stages' must be specified and non-empty.")
    for i, stage in enumerate(stages):
        if not isinstance(stage, Mapping):
            raise TypeError(f"stages[{i}] must be a dict of ComposableSchedulerStage fields, "
                            f"got {type(stage).__name__}")
        known(f"stages[{i}]", stage, {"duration", "shape", "start_lr", "start_lr_fraction", "end_lr",
                                      "end_lr_fraction"})
        require(check.integer(f"stages[{i}]['duration']", stage.get("duration"), -(2**63)) > 0,
                "'duration' must be > 0 for every stage.")
        require(stage.get("start_lr") is None or stage.get("start_lr_fraction") is None,
                "Specify at most one of 'start_lr' or 'start_lr_fraction' for a stage.")
        for key in ("start_lr", "start_lr_fraction"):
            if stage.get(key) is not None:
                require(check.real(key, stage[key]) >= 0, f"'{key}' must be >= 0.")
        _shape(stage)
        _end_lr("each stage", stage, 1.0)
    return f


def _composable(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    segments, begin, previous = [], 0, lr
    for stage in f["stages"]:
        start_lr = previous
        if stage.get("start_lr") is not None:
            start_lr = float(stage["start_lr"])
        elif stage.get("start_lr_fraction") is not None:
            start_lr = lr * stage["start_lr_fraction"]
        previous = _end_lr("each stage", stage, lr)
        segments.append(_interpolate(_shape(stage), begin, start_lr, previous, stage["duration"]))
        begin += stage["duration"]
    return _override(segments + [Segment(Kind.CONSTANT, begin, (previous,))], f["override_decay"], lr)


def _check_sequential(f: Fields) -> Fields:
    _alias(f, "schedulers_max", "schedulers_max_steps")
    subs = [sub_config(i, s) for i, s in enumerate(check.sequence("schedulers", f["schedulers"]))]
    require(f["schedulers_max"] is not None, "'schedulers_max' must be specified")
    marks = [check.integer(f"schedulers_max[{i}]", m) for i, m in enumerate(check.sequence("schedulers_max",
                                                                                             f["schedulers_max"]))]
    if len(marks) == len(subs):
        marks.pop()
    require(len(marks) + 1 == len(subs), "Max steps must be set for all schedulers except the last when using "
                                         "'SequentialScheduler'")
    return {**f, "_subs": subs, "_marks": marks}


def _sequential(f: Fields, lr: float, t: int, first: int = 0) -> list[Segment]:
    """Scheduler i runs over its own counts 0 (1 after the first) .. schedulers_max[i], from the lr the
    previous one reached at its max; past max_steps (where OLMo-core asserts) the last one used goes on."""
    segments: list[Segment] = []
    offset, initial, subs = 0, lr, f["_subs"]
    for i, (name, fields) in enumerate(subs):
        build = SCHEDULERS[name][1]
        last = i == len(subs) - 1 or t <= f["_marks"][i]  # no later scheduler runs before max_steps
        own = build(fields, lr, t if last else f["_marks"][i], min(i, 1))
        own = own if i == 0 else starting_at(own, 1)
        if last:
            segments += shifted(own, offset)
            break
        mark = f["_marks"][i]
        segments += shifted(clipped(own, mark + 1), offset)
        lr = evaluate(build(fields, lr, mark, min(i, 1)), mark)
        offset, t = offset + mark, t - mark
    return _override(segments, f["override_decay"], initial)


def sub_config(index: int, spec: Any) -> tuple[str, Fields]:
    """A SequentialScheduler entry ``{"name": <class>, "args": {<fields>}}``, checked."""
    if not isinstance(spec, Mapping) or set(spec) - {"name", "args"} or "name" not in spec:
        raise TypeError(f"schedulers[{index}] must be a dict {{'name': <scheduler class>, 'args': {{...}}}}, "
                        f"got {spec!r}")
    name = spec["name"]
    names = [n for n in SCHEDULERS if n != "SequentialScheduler"]
    require(name in names, f"schedulers[{index}]['name'] must be one of {', '.join(names)}, got {name!r}")
    args = spec.get("args", {})
    if not isinstance(args, Mapping):
        raise TypeError(f"schedulers[{index}]['args'] must be a dict, got {type(args).__name__}")
    known(f"schedulers[{index}] ({name})", args, set(DEFAULTS[name]))
    return name, SCHEDULERS[name][0]({**DEFAULTS[name], **args})


SCHEDULERS: dict[str, tuple[Callable[[Fields], Fields], Callable[[Fields, float, int, int], list[Segment]]]] = {
    "ConstantScheduler": (_check_constant, _constant),
    "ConstantWithWarmup": (_check_warmup, _constant_with_warmup),
    "WSD": (_check_wsd, _wsd),
    "PowerLR": (_check_power, _power),
    "LinearWithWarmup": (_check_alpha, _linear_with_warmup),
    "InvSqrtWithWarmup": (_check_alpha, _inv_sqrt_with_warmup),
    "CosWithWarmup": (_check_alpha, _cos_with_warmup),
    "HalfCosWithWarmup": (_check_alpha, _half_cos_with_warmup),
    "CosWithWarmupAndLinearDecay": (_check_cos_linear, _cos_with_warmup_and_linear_decay),
    "WSDS": (_check_wsds, _wsds),
    "ExponentialScheduler": (_check_exponential, _exponential),
    "ComposableScheduler": (_check_composable, _composable),
    "SequentialScheduler": (_check_sequential, _sequential),
}
"""Class name -> (check, build)."""

DEFAULTS: dict[str, Fields] = {}
"""Class name -> its dataclass fields and defaults (filled in by fastlr.compat.olmo)."""


def schedule(name: str, base_lr: Any, max_steps: Any, fields: Fields) -> list[Segment]:
    """The segments of scheduler ``name`` with the optimizer lr ``base_lr`` and the trainer's ``max_steps``."""
    lr = check.real("base_lr", base_lr)
    t = check.integer("max_steps", max_steps)
    for key in ("lr_field", "initial_lr_field"):
        if not isinstance(fields.pop(key), str):
            raise TypeError(f"{key} must be a string")
    check.choice("units", fields.pop("units"), ("steps", "tokens"))
    check_fields, build = SCHEDULERS[name]
    return build(check_fields(dict(fields)), lr, t)
