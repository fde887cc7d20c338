"""The kind vocabulary is the same in _kinds.py and in both engines."""

from fastlr._formulas_py import FORMULAS
from fastlr._kinds import NPARAMS, PARAMS, Kind


def test_engine_implements_exactly_the_declared_kinds(engine):
    assert engine.module.known_kinds() == tuple(sorted(int(k) for k in Kind))


def test_every_kind_has_a_numpy_formula_and_a_parameter_layout():
    assert set(FORMULAS) == set(Kind) == set(PARAMS)
    assert all(len(names) <= NPARAMS for names in PARAMS.values())
