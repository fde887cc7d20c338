"""Schedules as data: segments, the lowered program, and the public Schedule type.

A factory (``schedules.py``, ``compat/*``) validates its arguments and returns
a list of :class:`Segment`; :func:`factory` records the call as the
schedule's *spec* (name + canonical arguments: what ``repr``, ``==``,
``hash``, pickling and ``to_dict`` use) and lowers the segments once to a
read-only :class:`Program` that the active engine evaluates.

``Schedule`` subclasses the engine's ``Engine`` type directly, so ``s(t)``,
``s.fill`` and ``s.at`` are the engine's own methods: on the compiled backend
a call reaches C with no Python frame in between.
"""

from __future__ import annotations

import functools
import inspect
import math
import operator
from typing import Any, Callable, Iterable, Mapping, NamedTuple, ParamSpec, Sequence, TypeVar, cast, overload

import numpy as np
import numpy.typing as npt

from . import _docblocks, _validate
from ._kinds import NPARAMS, Kind
from ._typing import Cooldown, Float32Dtype, Float64Dtype, FloatArray, Step, Steps
from ._validate import INT64_MAX

FORMAT_VERSION = 1
"""Value of the ``"fastlr"`` key in :meth:`Schedule.to_dict` output."""


IDENTITY = (1.0, 0.0)
"""The warp of an ordinary segment: its local step is ``step - start``."""


class Segment(NamedTuple):
    """One piece of a schedule: ``kind`` evaluated at its local step from ``start`` on.

    The local step is ``(step - start) * rate + offset`` with ``warp = (rate, offset)``,
    ``(1.0, 0.0)`` for every segment a catalog factory makes; a warped segment continues
    a formula from inside (``offset``) or at another speed (``rate``), which is how
    :func:`fastlr.resume` splices and stretches a run.
    """

    kind: Kind
    start: int
    params: tuple[float, ...] = ()
    data: tuple[float, ...] = ()  # values of a TABLE segment
    warp: tuple[float, float] = IDENTITY


class Program(NamedTuple):
    """A schedule lowered for an engine: read-only struct-of-arrays."""

    kinds: np.ndarray  # int32[n]: Kind of each segment
    starts: np.ndarray  # int64[n]: first step of each segment; starts[0] == 0
    params: np.ndarray  # float64[n, NPARAMS]: parameter rows (layout: _kinds.PARAMS)
    data: np.ndarray  # float64[m]: values of TABLE segments
    warps: np.ndarray  # float64[n, 2]: (rate, offset) of each segment's local step


def _typed(value: Any) -> Any:
    """A comparison key that tells 3 from 3.0 and True from 1 (peers treat them differently)."""
    if isinstance(value, tuple) and not isinstance(value, Spec):
        return (type(value).__name__, tuple(_typed(v) for v in value))
    if isinstance(value, Schedule):
        return ("Schedule", value.spec.key())
    return (type(value).__name__, value)


class Spec(NamedTuple):
    """How a schedule was made: a registered factory name and its canonical arguments.

    Two specs are equal when they record the same call, argument types included
    (``power=3`` and ``power=3.0`` differ, as they do in repr and to_dict).
    """

    name: str
    args: tuple[tuple[str, Any], ...]

    def key(self) -> tuple[Any, ...]:
        return (self.name, tuple((k, _typed(v)) for k, v in self.args))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spec) and self.key() == other.key()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.key())


# ---------------------------------------------------------------- segments

def shifted(segments: Iterable[Segment], offset: int) -> list[Segment]:
    """The same segments, starting ``offset`` steps later."""
    return [seg._replace(start=seg.start + offset) for seg in segments]


def clipped(segments: Sequence[Segment], end: int) -> list[Segment]:
    """The segments that begin before step ``end`` (the rest is replaced by what follows)."""
    return [seg for seg in segments if seg.start < end]


def canonical_segments(segments: Iterable[Segment]) -> list[Segment]:
    """Drop segments superseded by a later one at the same start; check the order."""
    result: list[Segment] = []
    for seg in segments:
        if result and seg.start == result[-1].start:
            result[-1] = seg
        elif result and seg.start < result[-1].start:
            raise AssertionError(f"segments out of order: {result[-1]} then {seg}")
        else:
            result.append(seg)
    if not result or result[0].start != 0:
        raise AssertionError("a schedule must have a segment starting at step 0")
    return result


def lower(segments: Iterable[Segment]) -> Program:
    """Lower segments to a read-only :class:`Program`."""
    segs = canonical_segments(segments)
    n = len(segs)
    kinds = np.array([int(s.kind) for s in segs], dtype=np.int32)
    last = max(s.start for s in segs)
    if last > INT64_MAX:
        raise ValueError(f"a phase would begin at step {last}, beyond 2**63 - 1: "
                         "a length or step argument is too large")
    starts = np.array([s.start for s in segs], dtype=np.int64)
    params = np.zeros((n, NPARAMS), dtype=np.float64)
    data: list[float] = []
    for i, seg in enumerate(segs):
        row = seg.params
        if seg.kind == Kind.TABLE:
            row = (float(len(data)), float(len(seg.data)))
            data.extend(seg.data)
        params[i, : len(row)] = row
    warps = np.array([seg.warp for seg in segs], dtype=np.float64).reshape(n, 2)
    if not (np.isfinite(warps).all() and (warps[:, 0] > 0).all() and (warps[:, 1] >= 0).all()):
        raise AssertionError(f"a segment warp must have rate > 0 and offset >= 0, got {warps.tolist()}")
    program = Program(kinds, starts, params, np.array(data, dtype=np.float64), warps)
    for arr in program:
        arr.flags.writeable = False
    return program


def segments_of(program: Program) -> list[Segment]:
    """The segments a program was lowered from (inverse of :func:`lower`)."""
    result = []
    for kind, start, row, warp in zip(program.kinds.tolist(), program.starts.tolist(), program.params,
                                      program.warps.tolist()):
        kind = Kind(kind)
        if kind == Kind.TABLE:
            offset, count = int(row[0]), int(row[1])
            result.append(Segment(kind, start, (), tuple(program.data[offset:offset + count].tolist()),
                                  tuple(warp)))
        else:
            result.append(Segment(kind, start, tuple(row.tolist()), (), tuple(warp)))
    return result


def reference_engine(source: Program | Iterable[Segment]) -> Any:
    """A program (or segments, lowered here) on the reference engine, for repeated calls.

    The reference engine is the NumPy engine whatever the active backend, so
    that what a factory computes while it builds (a warmup's target value, a
    replay of a peer's stepping) and hence the program it makes do not depend
    on the backend. Its ``(step)`` and ``at(steps)`` validate like a schedule's.
    """
    from . import _engine_py
    program = source if isinstance(source, Program) else lower(source)
    return _engine_py.Engine(program)


def evaluate(source: Program | Iterable[Segment], step: int) -> float:
    """Value of a program (or segments) at ``step`` on the reference engine (see
    :func:`reference_engine`): the one way factories evaluate while they build."""
    return float(reference_engine(source)(step))


# ---------------------------------------------------------------- specs

_FACTORIES: dict[str, Callable[..., Schedule]] = {}


def _canonical(value: Any) -> Any:
    """Arguments as hashable, JSON-friendly values (numpy scalars become Python numbers)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray):
        return _canonical(value.item()) if value.ndim == 0 else tuple(_canonical(v) for v in value.tolist())
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, Mapping):
        return ArgMap((_canonical(k), _canonical(v)) for k, v in value.items())
    if getattr(value, "ndim", None) == 0 and hasattr(value, "__index__"):
        return operator.index(value)  # a 0-d integer tensor the factory accepted as an integer
    return value


class ArgMap(tuple[tuple[Any, Any], ...]):
    """A mapping argument (e.g. optax ``boundaries_and_scales``) kept as sorted pairs."""

    def __new__(cls, pairs: Iterable[tuple[Any, Any]]) -> "ArgMap":
        return super().__new__(cls, sorted(pairs, key=lambda kv: repr(kv[0])))

    def as_dict(self) -> dict[Any, Any]:
        return dict(self)


P = ParamSpec("P")
T = TypeVar("T")


def factory(name: str) -> Callable[[Callable[P, "list[Segment] | Schedule"]], Callable[P, "Schedule"]]:
    """Register ``build(**args) -> list[Segment]`` as the public factory ``fastlr.<name>``.

    The returned function has the builder's signature and docstring (its
    ``<<name>>`` lines filled with shared blocks: ``fastlr/_docblocks.py``); it binds
    the call's arguments (defaults included), builds and lowers the segments,
    and returns a :class:`Schedule` whose spec records the call. A builder may
    return an existing Schedule instead (``warmup(s, 0)`` is ``s``).
    """

    def register(build: Callable[P, list[Segment] | Schedule]) -> Callable[P, Schedule]:
        _docblocks.fill(build)
        signature = inspect.signature(build)

        @functools.wraps(build)
        def make(*args: Any, **kwargs: Any) -> Schedule:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as exc:
                raise TypeError(_optimizer_error(name, signature, args, kwargs)
                                or _call_error(name, signature, args, kwargs, exc)) from None
            bound.apply_defaults()
            try:
                segments = build(*bound.args, **bound.kwargs)
            except TypeError:
                message = _optimizer_error(name, signature, args, kwargs)
                if message is None:
                    raise
                raise TypeError(message) from None
            if isinstance(segments, Schedule):
                return segments
            spec = Spec(name, tuple((k, _canonical(v)) for k, v in bound.arguments.items()))
            return _schedule_type()(lower(segments), spec)

        make.__signature__ = signature.replace(return_annotation="Schedule")  # type: ignore[attr-defined]
        make.__annotations__ = {**build.__annotations__, "return": "Schedule"}
        make.__module__ = "fastlr" if "." not in name else "fastlr." + name.rsplit(".", 1)[0]
        if name in _FACTORIES:
            raise RuntimeError(f"factory {name!r} registered twice")
        _FACTORIES[name] = make
        return make

    return register


def _optimizer_error(name: str, signature: inspect.Signature, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> str | None:
    """The message for an optimizer passed where a compat factory takes ``base_lr``, or None."""
    if next(iter(signature.parameters), None) != "base_lr":
        return None
    for value in (*args[:1], kwargs.get("optimizer"), kwargs.get("base_lr")):
        lr = _validate.optimizer_lr(value)
        if lr is None:
            continue
        library = name.split(".")[1] if name.startswith("compat.") else "the peer library"
        given = kwargs.get("base_lr")
        fix = (f"leave the optimizer out (keep base_lr={given!r})"
               if given is not None and _validate.optimizer_lr(given) is None
               else f"pass base_lr={lr} (your optimizer's lr)")
        return (f"fastlr.{name} takes base_lr= where {library} takes the optimizer: {fix} "
                f"and drive the optimizer with {_validate.ADAPTER}")
    return None


def _call_error(name: str, signature: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any],
                error: TypeError) -> str:
    """``signature.bind``'s complaint about a call of factory ``name``, naming the factory
    (and, for an unknown keyword, the closest parameters)."""
    where = f"fastlr.{name}()"
    params = signature.parameters
    positional = [p.name for p in params.values() if p.kind == p.POSITIONAL_OR_KEYWORD]
    if len(args) > len(positional):
        return (f"{where} takes at most {len(positional)} positional arguments "
                f"({', '.join(positional)}), got {len(args)}")
    for key in kwargs:
        if key not in params:
            return (f"{where} got an unexpected keyword argument {key!r}"
                    + _validate.did_you_mean(key, set(params) - set(kwargs)))
        if key in positional[:len(args)]:
            return f"{where} got multiple values for argument {key!r}"
    given = set(positional[:len(args)]) | set(kwargs)
    missing = [p.name for p in params.values() if p.default is p.empty and p.name not in given]
    if len(missing) == 1:
        return f"{where} missing a required argument: {missing[0]!r}"
    if missing:
        return f"{where} missing required arguments: {', '.join(map(repr, missing))}"
    return f"{where}: {error}"


def _render(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    if isinstance(value, ArgMap):
        return "{" + ", ".join(f"{_render(k)}: {_render(v)}" for k, v in value) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    return repr(value)


def _encode(value: Any) -> Any:
    if isinstance(value, (Schedule, Value)):
        return value._spec_dict()
    if isinstance(value, ArgMap):
        return {"items": [[_encode(k), _encode(v)] for k, v in value]}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any, where: str) -> Any:
    if isinstance(value, list):
        return [_decode(v, where) for v in value]
    if isinstance(value, dict):
        if set(value) == {"items"} and isinstance(value["items"], list):
            pairs = value["items"]
            if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
                raise ValueError(f"{where}: 'items' must be a list of [key, value] pairs")
            return {_decode(k, where): _decode(v, where) for k, v in pairs}
        if "type" in value:
            return _build_value(value, where)
        return _build(value, where)
    if value is None or isinstance(value, (bool, int, float, str)):
        if value is None:
            raise TypeError(f"{where} must not be null (leave the key out to use the default)")
        return value
    raise TypeError(f"{where} has a value of type {type(value).__name__}, which a spec cannot hold")


# ---------------------------------------------------------------- values

_VALUES: dict[str, Callable[..., "Value"]] = {}


def value_type(name: str) -> Callable[[Callable[..., "Value"]], Callable[..., "Value"]]:
    """Register ``make(**args) -> Value`` under ``name`` (what ``repr`` and ``to_dict`` call it)."""

    def register(make: Callable[..., Value]) -> Callable[..., Value]:
        if name in _VALUES:
            raise RuntimeError(f"value type {name!r} registered twice")
        _VALUES[name] = make
        return make

    return register


class Value:
    """An immutable argument object that specs can hold: a clock, a quantity in units.

    A subclass records its canonical arguments as a :class:`Spec` (registered
    name + arguments, defaults left out) in ``_spec``; ``repr``, ``==``,
    ``hash``, pickling and ``to_dict`` all come from it, as for schedules.
    ``repr`` writes the first ``_positional`` arguments without their names.
    """

    __slots__ = ("_spec",)
    _spec: Spec
    _positional = 0

    def __init__(self, name: str, args: Iterable[tuple[str, Any]]) -> None:
        kept = tuple((k, _canonical(v)) for k, v in args if v is not None)
        object.__setattr__(self, "_spec", Spec(name, kept))

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def spec(self) -> Spec:
        """Registered name and canonical arguments."""
        return self._spec

    def _spec_dict(self) -> dict[str, Any]:
        return {"type": self._spec.name, "args": {k: _encode(v) for k, v in self._spec.args}}

    def to_dict(self) -> dict[str, Any]:
        """A JSON- and TOML-ready spec: ``{"fastlr": 1, "type": name, "args": {...}}``."""
        return {"fastlr": FORMAT_VERSION, **self._spec_dict()}

    @classmethod
    def from_dict(cls, spec: Mapping[str, Any]) -> Any:
        """Rebuild a value from :meth:`to_dict` output (``ValueError``/``TypeError`` naming the key)."""
        if not isinstance(spec, Mapping):
            raise TypeError(f"spec must be a dict, got {type(spec).__name__}")
        spec = dict(spec)
        version = spec.pop("fastlr", None)
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise ValueError(f"spec['fastlr'] must be {FORMAT_VERSION} (the format version), got {version!r}")
        value = _build_value(spec, "spec")
        if not isinstance(value, cls):
            raise TypeError(f"spec describes a {type(value).__name__}, not a {cls.__name__}")
        return value

    def __repr__(self) -> str:
        items = self._spec.args
        head = [_render(v) for _, v in items[: self._positional]]
        tail = [f"{k}={_render(v)}" for k, v in items[self._positional:]]
        return f"fastlr.{self._spec.name}({', '.join(head + tail)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Value):
            return NotImplemented
        return type(self) is type(other) and self._spec == other._spec

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._spec))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_build_value, (self._spec_dict(), "value"))

    def __copy__(self) -> Value:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Value:
        return self


def _build_value(spec: dict[str, Any], where: str) -> Value:
    unknown = set(spec) - {"type", "args"}
    if unknown:
        raise ValueError(f"{where} has unknown key {sorted(unknown)[0]!r}")
    kind, args = spec.get("type"), spec.get("args", {})
    if not isinstance(kind, str):
        raise TypeError(f"{where}['type'] must be a string, got {type(kind).__name__}")
    make = _VALUES.get(kind)
    if make is None:
        raise ValueError(f"{where}['type'] names no fastlr value: {kind!r}")
    return _call(make, kind, args, where)


def _call(make: Callable[..., T], kind: str, args: Any, where: str) -> T:
    """``make(**args)`` with every argument decoded; errors name the key."""
    if not isinstance(args, dict):
        raise TypeError(f"{where}['args'] must be a dict, got {type(args).__name__}")
    parameters = inspect.signature(make).parameters
    for key in args:
        if key not in parameters:
            raise ValueError(f"{where}['args'] has unknown key {key!r} for {kind}"
                             + _validate.did_you_mean(key, set(parameters) - set(args)))
    decoded = {k: _decode(v, f"{where}['args'][{k!r}]") for k, v in args.items()}
    try:
        return make(**decoded)
    except TypeError as exc:
        raise TypeError(f"{where}: {exc}") from None


def _import_compat_factory(kind: str) -> Callable[..., Schedule] | None:
    """Compat factories register when their module is imported: import it on demand."""
    parts = kind.split(".")
    if len(parts) == 3 and parts[0] == "compat":
        from . import compat
        if parts[1] in compat.LIBRARIES:
            getattr(compat, parts[1])
    return _FACTORIES.get(kind)


def _build(spec: Any, where: str) -> Schedule:
    if not isinstance(spec, dict):
        raise TypeError(f"{where} must be a dict, got {type(spec).__name__}")
    unknown = sorted(set(spec) - {"kind", "args"})
    if unknown:
        raise ValueError(f"{where} has unknown key {unknown[0]!r}"
                         + _validate.did_you_mean(unknown[0], {"kind", "args"} - set(spec)))
    if "kind" not in spec:
        raise ValueError(f"{where} is missing the key 'kind'")
    kind, args = spec["kind"], spec.get("args", {})
    if not isinstance(kind, str):
        raise TypeError(f"{where}['kind'] must be a string, got {type(kind).__name__}")
    make = _FACTORIES.get(kind) or _import_compat_factory(kind)
    if make is None:
        raise ValueError(f"{where}['kind'] names no fastlr schedule: {kind!r}"
                         + _validate.did_you_mean(kind, _FACTORIES))
    return _call(make, kind, args, where)


def from_dict(spec: Mapping[str, Any]) -> Schedule:
    """Rebuild a schedule from :meth:`Schedule.to_dict` output.

    Raises
    ------
    ValueError, TypeError
        On a missing or unknown key, an unknown kind, a value of the wrong
        type, or arguments the factory rejects; the message names the key.
    """
    if not isinstance(spec, Mapping):
        raise TypeError(f"spec must be a dict, got {type(spec).__name__}")
    spec = dict(spec)
    if "fastlr" not in spec:
        raise ValueError("spec is missing the key 'fastlr' (the format version)")
    version = spec.pop("fastlr")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise ValueError(f"spec['fastlr'] must be {FORMAT_VERSION} (the format version), got {version!r}")
    return _build(spec, "spec")


# ---------------------------------------------------------------- Schedule

class Schedule:
    """An immutable learning-rate schedule: ``s(step)``, ``s.fill``, ``s.at``, ``s.table``.

    Made by the factories (``fastlr.warmup_cosine(...)``, ``fastlr.compat...``).
    The evaluation methods run on the active engine (``fastlr.BACKEND``): a
    schedule's concrete type derives from this class and from the engine's
    ``Engine`` type, whose own methods it binds, so ``s(t)`` calls the
    compiled engine directly. ``isinstance(x, fastlr.Schedule)`` holds on
    every engine.
    """

    __slots__ = ()
    spec: Spec
    program: Program

    # ------------------------------------------------------------ evaluation
    # Declarations: schedule_type() puts the engine's methods in front of these.

    def __call__(self, step: Step) -> float:
        """The value at step ``t``: ``s(t)``.

        Parameters
        ----------
        step : int or numpy.integer
            The update count ``t``, ``0 <= t <= 2**63 - 1`` (not a bool or float).

        Returns
        -------
        float
            ``s(t)``; past its last phase a schedule holds its final value.

        Raises
        ------
        TypeError
            If ``step`` is not an integer.
        ValueError
            If ``step`` is negative or beyond int64.
        """
        raise NotImplementedError(_UNBOUND)

    def at(self, steps: Steps) -> npt.NDArray[np.float64]:
        """The values at arbitrary steps: ``result[i] = s(steps[i])``, bit for bit.

        Parameters
        ----------
        steps : int, sequence of int, or integer array
            Steps ``>= 0``, of any shape.

        Returns
        -------
        numpy.ndarray
            A new float64 array of the shape of ``steps``.
        """
        raise NotImplementedError(_UNBOUND)

    def fill(self, out: FloatArray, start: Step = 0, *, exact: bool = False,
             threads: int | None = None) -> FloatArray:
        """Write ``out[j] = s(start + j)`` for every ``j`` and return ``out``.

        Parameters
        ----------
        out : numpy.ndarray
            A 1-D, C-contiguous, writable float32 or float64 array. Nothing is
            written if the arguments are rejected.
        start : int
            The step of ``out[0]``.
        exact : bool
            ``True``: the scalar path, equal to ``s(t)`` bit for bit. ``False``
            (default): vector math, within the per-kind bound of
            docs/performance.md.
        threads : int, optional
            ``None`` splits a large fill across the available cores; an int
            caps the thread count (1 = the calling thread only).

        Returns
        -------
        numpy.ndarray
            ``out`` itself.
        """
        raise NotImplementedError(_UNBOUND)

    @overload  # np.dtype[float64] and np.dtype[float32] never overlap (mypy cannot tell)
    def table(self, n: Step, dtype: Float64Dtype = ..., *, start: Step = ...,  # type: ignore[overload-overlap]
              exact: bool = ..., threads: int | None = ...) -> npt.NDArray[np.float64]: ...
    @overload
    def table(self, n: Step, dtype: Float32Dtype, *, start: Step = ..., exact: bool = ...,
              threads: int | None = ...) -> npt.NDArray[np.float32]: ...
    @overload
    def table(self, n: Step, dtype: str, *, start: Step = ..., exact: bool = ...,
              threads: int | None = ...) -> npt.NDArray[np.float32] | npt.NDArray[np.float64]: ...
    def table(self, n: Step, dtype: Float64Dtype | Float32Dtype | str = np.float64, *, start: Step = 0,
              exact: bool = False, threads: int | None = None
              ) -> npt.NDArray[np.float32] | npt.NDArray[np.float64]:
        """The values at steps ``start .. start + n - 1`` as a new array: ``s.fill(empty(n), start)``.

        Parameters
        ----------
        n : int
            Number of values (``>= 0``).
        dtype : numpy.float64 (default) or numpy.float32
            Element type of the result.
        start : int
            The step of the first value.
        exact, threads
            As in :meth:`fill`.

        Returns
        -------
        numpy.ndarray
            A new 1-D array of ``n`` values.
        """
        raise NotImplementedError(_UNBOUND)

    @property
    def capsule(self) -> object:
        """PyCapsule ``"fastlr.Schedule"`` holding the C API struct (docs/c-api.md).

        Its pointers are valid while the schedule is alive. Compiled engine
        only: ``AttributeError`` on the NumPy engine.
        """
        raise AttributeError("capsule: the C API needs the compiled engine; this schedule is "
                             "evaluated by the NumPy engine")

    # ------------------------------------------------------------ description

    @property
    def name(self) -> str:
        """Registered name of the factory that made this schedule."""
        return self.spec.name

    @property
    def args(self) -> dict[str, Any]:
        """The factory's arguments, defaults included."""
        return dict(self.spec.args)

    @property
    def boundaries(self) -> tuple[int, ...]:
        """Steps where a new segment (phase) begins, in order, without 0."""
        return tuple(self.program.starts[1:].tolist())

    def segments(self) -> list[Segment]:
        """The lowered segments this schedule evaluates."""
        return segments_of(self.program)

    def cooldown(self, at: int, steps: int, shape: Cooldown = "1-sqrt", end: float = 0.0) -> Schedule:
        """This schedule until step ``at``, then a cooldown to ``end`` over ``steps`` steps:
        ``fastlr.cooldown(self, at, steps, shape, end)`` (see there)."""
        from .schedules import cooldown
        return cooldown(self, at, steps, shape, end)

    def _spec_dict(self) -> dict[str, Any]:
        return {"kind": self.spec.name,
                "args": {k: _encode(v) for k, v in self.spec.args if v is not None}}

    def to_dict(self) -> dict[str, Any]:
        """A JSON- and TOML-ready spec: ``{"fastlr": 1, "kind": name, "args": {...}}``."""
        return {"fastlr": FORMAT_VERSION, **self._spec_dict()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={_render(v)}" for k, v in self.spec.args if v is not None)
        return f"fastlr.{self.spec.name}({args})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self.spec == other.spec

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self.spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return (from_dict, (self.to_dict(),))

    def __copy__(self) -> Schedule:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Schedule:
        return self


_ENGINE_MEMBERS = ("__call__", "at", "fill", "table", "capsule")
"""What an engine's ``Engine`` implements of the Schedule API (``capsule``: compiled only)."""

_UNBOUND = "a Schedule evaluates through its engine: make one with a factory such as fastlr.constant"


@functools.lru_cache(maxsize=None)
def schedule_type(engine_class: Any) -> type[Schedule]:
    """The public Schedule class over one engine's ``Engine`` type.

    Its namespace holds the engine's own evaluation methods, in front of the
    declarations of :class:`Schedule`; on the compiled engine ``s(t)`` so
    keeps ``Engine``'s C entry point (vectorcall, given by ``Engine.adopt``).
    """
    members = {name: vars(engine_class)[name] for name in _ENGINE_MEMBERS if name in vars(engine_class)}
    cls = type("Schedule", (Schedule, engine_class), {
        **members,
        "__slots__": (),
        "__module__": "fastlr",
        "__doc__": "An immutable learning-rate schedule; call it with a step.",
    })
    engine_class.adopt(cls)
    return cast("type[Schedule]", cls)


def _constructor(engine_class: type) -> Callable[[Program, Spec], Schedule]:
    """``schedule_type(engine_class)`` as what it is called with: ``(program, spec) -> Schedule``."""
    return cast("Callable[[Program, Spec], Schedule]", schedule_type(engine_class))


def _schedule_type() -> Callable[[Program, Spec], Schedule]:
    from ._engine import engine
    return _constructor(engine.Engine)


def rebind(schedule: Schedule, engine_class: type) -> Schedule:
    """The same schedule on another engine (tests and benchmarks use this)."""
    return _constructor(engine_class)(schedule.program, schedule.spec)

