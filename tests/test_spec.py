"""Schedules are data: repr, equality, hashing, pickling and the dict spec round-trip."""

from __future__ import annotations

import copy
import json
import pickle

import numpy as np
import pytest

import fastlr
from _catalog import CATALOG
from conftest import assert_same_bits

IDS = sorted(CATALOG)


def _json_types_only(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_types_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_json_types_only(v) for v in value)
    return isinstance(value, (str, int, float, bool))


@pytest.mark.parametrize("name", IDS)
def test_repr_rebuilds_an_equal_schedule(name):
    s = CATALOG[name]
    text = repr(s)
    assert text.startswith("fastlr.")
    rebuilt = eval(text, {"fastlr": fastlr})
    assert rebuilt == s and hash(rebuilt) == hash(s)
    assert_same_bits(rebuilt.table(300), s.table(300))


@pytest.mark.parametrize("name", IDS)
def test_to_dict_is_json_and_round_trips(name):
    s = CATALOG[name]
    spec = s.to_dict()
    assert spec["fastlr"] == fastlr.FORMAT_VERSION
    assert _json_types_only(spec), spec
    again = fastlr.from_dict(json.loads(json.dumps(spec)))
    assert again == s
    assert again.to_dict() == spec
    assert_same_bits(again.table(300), s.table(300))


@pytest.mark.parametrize("name", IDS)
def test_pickle_and_copies_preserve_equality(name):
    s = CATALOG[name]
    for again in (pickle.loads(pickle.dumps(s, protocol=p)) for p in range(2, pickle.HIGHEST_PROTOCOL + 1)):
        assert again == s and type(again) is type(s)
        assert_same_bits(again.table(100), s.table(100))
    assert copy.copy(s) == s and copy.deepcopy(s) == s


def test_equality_is_by_spec_and_hash_consistent():
    a = fastlr.warmup_cosine(1e-3, 10, 100)
    assert a == fastlr.warmup_cosine(peak=1e-3, warmup_steps=10, total_steps=100, start=0.0, end=0.0)
    assert a == fastlr.warmup_cosine(np.float64(1e-3), np.int64(10), 100)
    assert fastlr.constant(1) != fastlr.constant(1.0)  # as repr and to_dict tell them apart
    assert fastlr.warmup(fastlr.constant(1.0), 5) != fastlr.warmup(fastlr.constant(1), 5)
    assert a != fastlr.warmup_cosine(1e-3, 10, 101)
    assert a != "fastlr.warmup_cosine"
    assert len({a, fastlr.warmup_cosine(1e-3, 10, 100), fastlr.constant(1.0)}) == 2


def test_schedules_are_instances_of_the_public_type():
    s = fastlr.noam(512)
    assert isinstance(s, fastlr.Schedule)
    assert s.name == "noam" and s.args == {"d_model": 512, "warmup_steps": 4000, "scale": 1.0}
    assert s.boundaries == ()
    assert fastlr.warmup_cosine(1.0, 10, 100).boundaries == (10, 100)


def test_optional_arguments_left_out_stay_out_of_the_spec():
    s = fastlr.cyclic(0.1, 1.0, 5)
    assert "step_size_down" not in s.to_dict()["args"]
    assert "step_size_down" not in repr(s)
    assert fastlr.from_dict(s.to_dict()) == s


@pytest.mark.parametrize("spec, error, message", [
    ([], TypeError, "spec must be a dict"),
    ({"kind": "constant", "args": {"value": 1.0}}, ValueError, "missing the key 'fastlr'"),
    ({"fastlr": 2, "kind": "constant", "args": {"value": 1.0}}, ValueError, "spec['fastlr'] must be 1"),
    ({"fastlr": True, "kind": "constant", "args": {"value": 1.0}}, ValueError, "spec['fastlr'] must be 1"),
    ({"fastlr": 1, "args": {"value": 1.0}}, ValueError, "missing the key 'kind'"),
    ({"fastlr": 1, "kind": "nope", "args": {}}, ValueError, "names no fastlr schedule: 'nope'"),
    ({"fastlr": 1, "kind": 3, "args": {}}, TypeError, "spec['kind'] must be a string"),
    ({"fastlr": 1, "kind": "constant", "args": [1.0]}, TypeError, "spec['args'] must be a dict"),
    ({"fastlr": 1, "kind": "constant", "args": {"value": 1.0}, "extra": 1}, ValueError, "unknown key 'extra'"),
    ({"fastlr": 1, "kind": "constant", "args": {"valu": 1.0}}, ValueError,
     "unknown key 'valu' for constant; did you mean 'value'?"),
    ({"fastlr": 1, "kind": "cosine", "args": {"start": 1.0, "step": 9}}, ValueError,
     "spec['args'] has unknown key 'step' for cosine; did you mean 'steps'?"),
    ({"fastlr": 1, "kind": "cosine", "args": {"start": 1.0, "steps": 9, "xyzzy": 0}}, ValueError,
     "spec['args'] has unknown key 'xyzzy' for cosine"),
    ({"fastlr": 1, "kind": "warmup_cosin", "args": {}}, ValueError,
     "spec['kind'] names no fastlr schedule: 'warmup_cosin'; did you mean 'warmup_cosine'"),
    ({"fastlr": 1, "kind": "constant", "arg": {"value": 1.0}}, ValueError,
     "spec has unknown key 'arg'; did you mean 'args'?"),
    ({"fastlr": 1, "kind": "constant", "args": {}}, TypeError,
     "spec: fastlr.constant() missing a required argument: 'value'"),
    ({"fastlr": 1, "kind": "constant", "args": {"value": None}}, TypeError, "must not be null"),
    ({"fastlr": 1, "kind": "constant", "args": {"value": "0.1"}}, TypeError, "value must be a real number"),
    ({"fastlr": 1, "kind": "constant", "args": {"value": {"x": 1}}}, ValueError, "spec['args']['value'] has unknown key 'x'"),
    ({"fastlr": 1, "kind": "warmup_cosine", "args": {"peak": 1.0, "warmup_steps": -5, "total_steps": 9}},
     ValueError, "warmup_steps must be a non-negative integer, got -5"),
    ({"fastlr": 1, "kind": "warmup", "args": {"schedule": {"kind": "constant"}, "steps": 3}},
     TypeError, "missing a required argument: 'value'"),
    ({"fastlr": 1, "kind": "warmup", "args": {"schedule": 0.5, "steps": 3}},
     TypeError, "schedule must be a fastlr schedule"),
    ({"fastlr": 1, "kind": "join", "args": {"schedules": [{"kind": "constant", "args": {"value": 1.0},
                                                            "oops": 1}], "boundaries": []}},
     ValueError, "unknown key 'oops'"),
    ({"fastlr": 1, "kind": "multistep", "args": {"start": 1.0, "milestones": [10, 5]}},
     ValueError, "milestones must be strictly increasing"),
    ({"fastlr": 1, "kind": "compat.nothing.X", "args": {}}, ValueError, "names no fastlr schedule"),
])
def test_from_dict_rejects_edited_specs_naming_the_key(spec, error, message):
    with pytest.raises(error) as info:
        fastlr.from_dict(spec)
    assert message in str(info.value)
    if "did you mean" not in message:
        assert "did you mean" not in str(info.value)
