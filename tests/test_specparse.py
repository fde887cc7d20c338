"""SPEC parsing: call expressions (parsed with ast, never evaluated) and spec files."""

from __future__ import annotations

import json
import sys

import pytest

import fastlr
from fastlr._specparse import SpecError, parse_spec

SCHEDULES = [
    fastlr.warmup_cosine(peak=1e-3, warmup_steps=4000, total_steps=40000, end=1e-5),
    fastlr.constant(-0.5),
    fastlr.linear(-1.0, 10, end=2.0),
    fastlr.exponential(0.1, 0.5, 100, staircase=True, floor=1e-4),
    fastlr.piecewise_constant([10, 20], [1.0, 0.5, 0.25]),
    fastlr.cyclic(0.1, 1.0, 5, mode="exp_range", gamma=0.99),
    fastlr.cyclic(0.1, 1.0, 5, step_size_down=None),
    fastlr.one_cycle(1.0, 100, three_phase=True, anneal="linear"),
    fastlr.wsd(1.0, 10, 20, 30, cooldown="1-sqrt"),
    fastlr.warmup(fastlr.cosine(1.0, 100), 10, start=0.1),
    fastlr.join([fastlr.constant(1.0), fastlr.warmup(fastlr.noam(512), 5), fastlr.cosine(2.0, 50)], [10, 40]),
]


@pytest.mark.parametrize("s", SCHEDULES, ids=lambda s: s.name)
def test_repr_is_a_spec(s):
    assert parse_spec(repr(s)) == s
    assert parse_spec(repr(s).removeprefix("fastlr.")) == s


def test_call_forms_build_the_same_schedule():
    want = fastlr.warmup_cosine(peak=1e-3, warmup_steps=4000, total_steps=40000)
    for text in ["warmup_cosine(peak=1e-3, warmup_steps=4000, total_steps=40000)",
                 "warmup_cosine(1e-3, 4_000, 40000)",
                 "  fastlr.warmup_cosine(0.001, warmup_steps=4000, total_steps=40000,)  ",
                 "warmup_cosine(+1e-3, 4000, 40000, start=0.0, end=-0.0)"]:
        assert parse_spec(text) == want, text


def test_nested_calls_lists_tuples_and_negative_numbers():
    s = parse_spec("join((constant(-1.5), warmup(cosine(2.0, 10), 3)), boundaries=[7])")
    assert s == fastlr.join([fastlr.constant(-1.5), fastlr.warmup(fastlr.cosine(2.0, 10), 3)], [7])
    assert s(0) == -1.5
    assert s(7) == 0.0 and s(10) == 2.0  # warmup from 0 to cosine's start 2.0 over 3 steps


def test_non_finite_floats_as_repr_writes_them():
    with pytest.raises(SpecError, match="value must be finite"):
        parse_spec("constant(float('inf'))")
    with pytest.raises(SpecError, match=r"float\(\.\.\.\) is allowed only"):
        parse_spec("constant(float('1.5'))")


def test_compat_factory_spec():
    pytest.importorskip("fastlr.compat.torch", reason="fastlr.compat.torch is not on this branch yet")
    s = parse_spec("compat.torch.OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=1000)")
    assert s == fastlr.compat.torch.OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=1000)
    assert parse_spec("fastlr." + repr(s).removeprefix("fastlr.")) == s


def _error(text: str) -> str:
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    message = str(info.value)
    assert "\n" not in message and message
    return message


@pytest.mark.parametrize("text, expected", [
    ("", "SPEC is empty"),
    ("   ", "SPEC is empty"),
    ("warmup_cosine(peak=1e-3", "not a valid expression"),
    ("cosin(1.0, 10)", "'cosin' names no fastlr schedule; did you mean 'cosine'"),
    ("cosine", "SPEC must be a call, such as 'cosine(...)'"),
    ("1.5", "must be a call of a fastlr schedule"),
    ("cosine(1, 10) + constant(1)", "must be a call"),
    ("os.system('echo hi')", "'os.system' names no fastlr schedule"),
    ("__import__('os').system('echo hi')", "only calls of named fastlr schedules"),
    ("cosine(x, 10)", "names such as 'x' are not allowed"),
    ("cosine(1e-3 * 2, 10)", "only literals and fastlr schedule calls"),
    ("cosine((lambda: 1)(), 10)", "only calls of named fastlr schedules"),
    ("cosine(*[1, 10])", "*arguments are not allowed"),
    ("cosine(**{'start': 1, 'steps': 10})", "**arguments are not allowed"),
    ("cosine(1, 10, {**{}})", "**mappings are not allowed"),
    ("cosine(b'1', 10)", "a bytes literal is not allowed"),
    ("cosine(1j, 10)", "a complex literal is not allowed"),
    ("cosine(-'a', 10)", "a sign applies to numbers only"),
    ("cosine(1.0, 10, ends=0)", "fastlr.cosine() got an unexpected keyword argument 'ends'; did you mean 'end'?"),
    ("cosine(1.0, -10)", "cosine: steps must be a non-negative integer, got -10"),
    ("cosine(1.0, 10.5)", "cosine: steps must be an integer"),
    ("warmup_cosine(1.0, 50, 10)", "warmup_steps must be <= total_steps"),
    ("join([constant(1), 'x'], [5])", "schedules[1] must be a fastlr schedule"),
    ("warmup(cosine(1.0, -1), 5)", "cosine: steps must be a non-negative integer"),
    ("compat.nosuchlib.Thing(1)", "names no fastlr schedule"),
    ("specs/run1", "specs/run1: no such file"),
    ("piecewise_constant({[1]: 2}, [1.0])", "dict keys must be strings or numbers"),
    ("(" * 1000 + "constant(1)" + ")" * 1000, "SPEC"),
    ("constant(" + "[" * 3000 + "]" * 3000 + ")", "SPEC"),
    ("constant(1" + "0" * 5000 + ")", "SPEC"),
])
def test_bad_specs_give_one_line_errors(text, expected):
    assert expected in _error(text)


def test_a_duplicate_keyword_is_an_error():
    assert _error("cosine(start=1.0, start=2.0, steps=10)") == "cosine: argument 'start' given twice"


def test_spec_must_be_text():
    with pytest.raises(SpecError, match="SPEC must be a string"):
        parse_spec(3)  # type: ignore[arg-type]


# ---------------------------------------------------------------- files

@pytest.mark.parametrize("s", SCHEDULES, ids=lambda s: s.name)
def test_json_file_round_trip(tmp_path, s):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(s.to_dict()))
    assert parse_spec(str(path)) == s


def test_a_json_file_needs_no_suffix(tmp_path):
    path = tmp_path / "myschedule"
    s = SCHEDULES[0]
    path.write_text(json.dumps(s.to_dict()))
    assert parse_spec(str(path)) == s


TOML = """\
fastlr = 1
kind = "join"

[args]
boundaries = [10]

[[args.schedules]]
kind = "constant"
args = { value = 0.5 }

[[args.schedules]]
kind = "cosine"
[args.schedules.args]
start = 1.0
steps = 100
"""


def test_toml_file_with_nested_schedules(tmp_path):
    path = tmp_path / "spec.toml"
    path.write_text(TOML)
    assert parse_spec(str(path)) == fastlr.join([fastlr.constant(0.5), fastlr.cosine(1.0, 100)], [10])


def test_toml_without_a_parser_says_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "spec.toml"
    path.write_text(TOML)
    monkeypatch.setitem(sys.modules, "tomllib", None)
    monkeypatch.setitem(sys.modules, "tomli", None)
    assert "reading TOML needs Python >= 3.11 or the tomli package" in _error(str(path))


@pytest.mark.parametrize("name, content, expected", [
    ("missing.json", None, "missing.json: no such file"),
    ("bad.json", "{not json", "not valid JSON"),
    ("bad.toml", "fastlr = = 1", "not valid TOML"),
    ("latin.json", b"\xff\xfe", "not UTF-8 text"),
    ("list.json", "[1, 2]", "spec must be a dict, got list"),
    ("noversion.json", '{"kind": "constant", "args": {"value": 1}}', "missing the key 'fastlr'"),
    ("unknown.json", '{"fastlr": 1, "kind": "nope", "args": {}}', "names no fastlr schedule: 'nope'"),
    ("badarg.json", '{"fastlr": 1, "kind": "cosine", "args": {"start": 1, "steps": -1}}',
     "steps must be a non-negative integer"),
    ("extra.json", '{"fastlr": 1, "kind": "cosine", "args": {"start": 1, "steps": 1, "x": 2}}',
     "unknown key 'x'"),
    ("deep.json", "[" * 100000 + "]" * 100000, "deep.json: JSON nested too deeply"),
    ("deep.toml", "a = " + "[" * 100000 + "]" * 100000, "deep.toml: TOML nested too deeply"),
    ("latin.toml", b"a = '\xff'", "latin.toml: not UTF-8 text (invalid start byte at byte 5)"),
])
def test_bad_spec_files(tmp_path, name, content, expected):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    message = _error(str(path))
    assert expected in message
    assert message.startswith(str(path))


def test_a_directory_is_not_a_spec_file(tmp_path):
    folder = tmp_path / "specs.json"
    folder.mkdir()
    assert "is a directory" in _error(str(folder))
