"""The kind registry (_kinds.REGISTRY) is what both engines implement, tier by tier."""

import ast
import pathlib
import re

import fastlr
from fastlr._kinds import NPARAMS, PARAMS, REGISTRY, Kind, Tier, kinds_of

SOURCE = pathlib.Path(fastlr.__file__).parent


def test_engine_implements_exactly_the_registered_kinds_with_their_tiers(engine):
    want = {int(kind): (info.tier.value, info.scalar_only) for kind, info in REGISTRY.items()}
    assert engine.module.kind_facts() == want


def test_every_kind_has_one_row_with_a_fitting_parameter_layout():
    assert set(REGISTRY) == set(Kind) == set(PARAMS)
    assert all(len(info.params) <= NPARAMS for info in REGISTRY.values())
    assert all(info.fast_ulps >= 0 for info in REGISTRY.values())
    assert all(info.scalar_only == (info.tier is Tier.FLOAT32) for info in REGISTRY.values())


def test_native_kinds_are_the_catalog_primitives():
    assert [k.name for k in kinds_of(Tier.NATIVE)] == [
        "CONSTANT", "LINEAR", "POLYNOMIAL", "COSINE", "EXPONENTIAL", "INVERSE_TIME",
        "INVERSE_POWER", "NOAM", "COSINE_RESTARTS", "CYCLIC", "ONE_MINUS_SQRT", "TABLE"]


def _c_enum(header: str) -> dict[str, int]:
    text = (SOURCE / header).read_text()
    body = re.search(r"enum fl_\w*kind \{(.*?)\};", text, re.S).group(1)
    return {name: int(value) for name, value in re.findall(r"FL_(\w+) = (\d+)", body)}


def test_each_tier_has_its_own_formula_files_and_c_enum():
    headers = {Tier.NATIVE: "_formulas.h", Tier.PEER: "_formulas_peer.h", Tier.FLOAT32: "_formulas_f32.h"}
    for tier, header in headers.items():
        assert _c_enum(header) == {k.name: int(k) for k in kinds_of(tier)}, header


def test_native_formulas_never_read_a_peer_kind():
    """A native kernel has no peer-only parameter, and native code names no peer kind."""
    peer = {k.name for tier in (Tier.PEER, Tier.FLOAT32) for k in kinds_of(tier)}
    native_c = (SOURCE / "_formulas.h").read_text().split('#include "_formulas_peer.h"')[0]
    assert not any(f"FL_{name}" in native_c for name in peer)
    tree = ast.parse((SOURCE / "_formulas_py.py").read_text())
    named = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not named & peer - {"TIERS"}


def test_compat_imports_no_engine():
    for path in sorted((SOURCE / "compat").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert not re.search(r"_engine|_formulas|_stepper", module), f"{path.name} imports {module}"
