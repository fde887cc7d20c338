"""Amounts of training in units other than optimizer steps: epochs, samples, tokens, fractions.

A :class:`Quantity` is an immutable value that a spec can hold
(``fastlr.tokens(2e9)`` prints, compares and round-trips through ``to_dict``
as written). It means nothing on its own: a :class:`fastlr.Clock` converts it
to optimizer steps, once, when a :func:`fastlr.clocked` schedule is built.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from . import _validate as check
from ._spec import Value, value_type

__all__ = ["Quantity", "UNITS", "steps", "epochs", "samples", "tokens", "fraction"]

UNITS = ("steps", "epochs", "samples", "tokens", "fraction")


class Quantity(Value):
    """An amount of training in one unit: ``fastlr.epochs(3)``, ``fastlr.tokens(2e9)``, ...

    Attributes
    ----------
    unit : {"steps", "epochs", "samples", "tokens", "fraction"}
    amount : int or float
        As given (``tokens(2e9)`` keeps the float ``2e9``; it is exact).
    """

    __slots__ = ()
    _positional = 1

    def __init__(self, unit: str, amount: int | float) -> None:
        check.choice("unit", unit, UNITS)
        if unit == "steps":
            amount = check.integer("steps", amount)
        else:
            check.real(unit, amount, low=0.0, high=1.0 if unit == "fraction" else None)
        Value.__init__(self, unit, [("amount", amount)])

    @property
    def unit(self) -> str:
        return self.spec.name

    @property
    def amount(self) -> int | float:
        return self.spec.args[0][1]

    @property
    def exact(self) -> Fraction:
        """The amount as an exact rational: the decimal number it prints as (``0.1`` is 1/10)."""
        amount = self.amount
        return Fraction(repr(amount)) if isinstance(amount, float) else Fraction(amount)


def _constructor(unit: str, amount_type: type, doc: str) -> Callable[..., Quantity]:
    """The public constructor ``fastlr.<unit>(amount)`` of quantities in ``unit``."""

    def make(amount: float) -> Quantity:
        return Quantity(unit, amount)

    make.__name__ = make.__qualname__ = unit
    make.__doc__ = doc
    make.__annotations__ = {"amount": amount_type.__name__, "return": "Quantity"}
    value_type(unit)(make)
    return make


steps = _constructor("steps", int, "``amount`` optimizer steps (an integer >= 0).")
epochs = _constructor("epochs", float, "``amount`` passes over the data set (>= 0; fractions of an epoch allowed).")
samples = _constructor("samples", float,
                       "``amount`` training samples (sequences), counted across all devices (>= 0).")
tokens = _constructor("tokens", float, "``amount`` training tokens: samples times the clock's ``seq_len`` (>= 0).")
fraction = _constructor("fraction", float,
                        "``amount`` (in [0, 1]) of the run's length, the clock's ``total``, in that total's unit.")
