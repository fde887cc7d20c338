"""Keras 3 adapter: a fastlr schedule as a ``keras.optimizers.schedules.LearningRateSchedule``.

>>> import fastlr, fastlr.keras, keras
>>> lr = fastlr.keras.LearningRateSchedule(fastlr.warmup_cosine(1e-3, 100, 1_000))
>>> model.compile(optimizer=keras.optimizers.AdamW(learning_rate=lr), loss="mse")  # doctest: +SKIP

Importing this module registers the class with Keras's serialisation
(``"fastlr>LearningRateSchedule"``): import it before ``keras.models.load_model``
of a model saved with it. Needs Keras 3 (``pip install 'fastlr-schedules[keras]'``).
"""

from __future__ import annotations

from typing import Any, Mapping

from ._dist import pip_install
from ._frameworks import require
from ._resume import fingerprint
from ._spec import Schedule, from_dict
from ._lookup import lookup_table

keras = require("keras", "keras", "keras", "Keras 3")
if not hasattr(keras, "ops"):
    raise ImportError(f"fastlr.keras needs Keras 3, found keras {keras.__version__}: "
                      + pip_install("keras"))
from keras import ops  # noqa: E402
from keras.optimizers.schedules import LearningRateSchedule as _KerasSchedule  # noqa: E402

__all__ = ["LearningRateSchedule"]


class LearningRateSchedule(_KerasSchedule):
    r"""A fastlr schedule for any Keras 3 optimizer (``learning_rate=``).

    The optimizer calls it with its iteration count :math:`c` (0-based, a
    backend tensor, traced under ``model.fit``); the value is read from a
    table of the schedule's first values, so no Python runs on the tensor:

    .. math:: \mathrm{lr}(c) = \mathrm{round}_{\mathrm{dtype}}(s(c)) \quad (0 \le c < N),
              \qquad \mathrm{lr}(c) = \mathrm{lr}(N - 1) \text{ or NaN} \quad (c \ge N)

    Past the table the last value holds where ``s`` really is constant from
    there on (its last phase is constant and starts before ``N``); otherwise
    the value is NaN, so training past ``num_steps`` fails visibly.

    Parameters
    ----------
    schedule : Schedule or dict
        The fastlr schedule, or its :meth:`~fastlr.Schedule.to_dict` spec.
    num_steps : int, optional
        Table length ``N`` (>= 1): the number of optimizer iterations to cover.
        Default: one past the start of the final constant phase (e.g.
        ``total_steps + 1`` for ``warmup_cosine``); required (``ValueError``)
        for schedules that never become constant. The table costs ``4 N``
        bytes (float32) and is a constant of the traced train step.
    dtype : {"float32", "float64"}
        Table dtype (Keras optimizers cast the rate to the variable dtype).

    Notes
    -----
    ``get_config`` stores the schedule as its ``to_dict()`` spec, so a model
    saved to ``.keras`` and loaded back (after ``import fastlr.keras``) has
    the same schedule. Keras counts ``iterations`` per ``optimizer.apply``:
    with ``gradient_accumulation_steps=k`` that is per micro-batch, so give a
    schedule whose steps are micro-batches.
    """

    def __init__(self, schedule: Schedule | Mapping[str, Any], num_steps: int | None = None,
                 dtype: str = "float32") -> None:
        super().__init__()
        if isinstance(schedule, Mapping):
            schedule = from_dict(schedule)
        if str(dtype) not in ("float32", "float64"):
            raise TypeError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
        table = lookup_table(schedule, num_steps, str(dtype))
        self.schedule = schedule
        self.num_steps = num_steps
        self.dtype = str(dtype)
        self._values = table.values
        self._holds = table.holds
        self._table = ops.convert_to_tensor(table.values, dtype=self.dtype)

    def __call__(self, step: Any) -> Any:
        """The learning rate at iteration ``step`` (a backend integer tensor or int)."""
        step = ops.convert_to_tensor(step)
        last = self._values.shape[0] - 1
        value = ops.take(self._table, ops.clip(step, 0, last))
        if self._holds:
            return value
        nan = ops.convert_to_tensor(float("nan"), dtype=self.dtype)
        return ops.where(ops.less_equal(step, last), value, nan)

    def get_config(self) -> dict[str, Any]:
        """``{"schedule": spec dict, "fingerprint": ..., "num_steps": ..., "dtype": ...}`` (JSON types)."""
        return {"schedule": self.schedule.to_dict(), "fingerprint": fingerprint(self.schedule),
                "num_steps": self.num_steps, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "LearningRateSchedule":
        """Rebuild from :meth:`get_config` output; a ``fingerprint`` that does not match the
        schedule (an edited or corrupted config) is a ``ValueError``. To resume with another
        schedule, build ``LearningRateSchedule(fastlr.resume(saved, new, step, policy))``."""
        config = dict(config)
        expected = config.pop("fingerprint", None)
        made = cls(**config)
        if expected is not None and expected != fingerprint(made.schedule):
            raise ValueError("config['fingerprint'] does not match config['schedule']: the config was "
                             "edited or corrupted")
        return made

    def __repr__(self) -> str:
        return f"fastlr.keras.LearningRateSchedule({self.schedule!r}, num_steps={self.num_steps!r})"


# registered by a call, not a decorator: Keras is untyped, and a type checker would
# otherwise take the decorated class for Any
keras.saving.register_keras_serializable(package="fastlr")(LearningRateSchedule)
