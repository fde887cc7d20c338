"""Install hints name this project's distribution, never PyPI's unrelated ``fastlr``.

The scan reads every text file of the source tree (``git ls-files`` in a clone,
a walk of the directory in an unpacked sdist). Run from an installed package
(tests copied elsewhere, no source tree), it skips; the metadata checks then run
against the installed distribution instead.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import fastlr
from fastlr._dist import DISTRIBUTION, REINSTALL, pip_install

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
TAKEN = "fastlr"  # on PyPI, an unrelated logistic-regression package
SKIP_DIRS = {".git", "build", "dist", "wheelhouse", ".venv", "__pycache__", ".hypothesis",
             ".pytest_cache", ".benchmarks", "_build", "_generated", "golden"}
BINARY = {".gz", ".png", ".svg", ".pdf", ".npy", ".so", ".pyd", ".o", ".whl", ".zip", ".tar"}

PIP = re.compile(r"\bpip3?\s+(?:install|download)\b(?P<args>.*)")
END_OF_COMMAND = re.compile(r"`|\s#|&&|\|\||[;|)]")
# pip options whose value is the next word (so "-e ." or "-r file" is no requirement)
TAKES_VALUE = {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target",
               "-d", "--dest", "-i", "--index-url", "--extra-index-url", "-f", "--find-links",
               "--python", "--prefix", "--root", "--src", "--platform", "--python-version",
               "--implementation", "--abi", "--no-binary", "--only-binary", "--upgrade-strategy",
               "--cache-dir", "--log", "--timeout", "--retries", "--proxy", "--cert",
               "--client-cert", "--trusted-host", "--exists-action", "--report", "-C",
               "--config-settings", "--progress-bar", "--root-user-action", "--group"}
# a requirement: a name, then nothing, extras or a version specifier (paths and URLs are not)
REQUIREMENT = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?=$|\[|[=<>!~;@,])")
# the taken name with extras anywhere: prose ("the <name>[plot] extra"), a requirement list
EXTRAS = re.compile(rf"(?<![\w./-]){TAKEN}\[[^\]\s]*\]")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wrong_hints(line: str) -> list[str]:
    """The requirements in ``line`` that name the taken distribution."""
    found = EXTRAS.findall(line)
    for match in PIP.finditer(line):
        words = END_OF_COMMAND.split(match["args"], maxsplit=1)[0].split()
        skip = False
        for word in words:
            if skip:
                skip = False
            elif word.startswith("-"):
                skip = word in TAKES_VALUE
            else:
                requirement = REQUIREMENT.match(word.strip("'\"").rstrip(".,:"))
                if requirement and _normal(requirement[1]) == TAKEN:
                    found.append(word)
    return found


def scan(text: str) -> list[tuple[int, str]]:
    """The (line number, command) of each wrong hint; a shell line ending in ``\\`` continues."""
    found, command = [], ""
    for number, line in enumerate(text.splitlines(), 1):
        command += line
        if command.endswith("\\"):
            command = command[:-1] + " "
            continue
        if wrong_hints(command):
            found.append((number, command.strip()))
        command = ""
    return found


def _source_files() -> list[Path]:
    if (ROOT / ".git").exists():
        try:
            listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                                     "--exclude-standard"], capture_output=True, text=True, timeout=60)
        except OSError:  # no git here: walk instead
            listed = None
        if listed is not None and listed.returncode == 0:
            return [ROOT / name for name in listed.stdout.split("\0") if name]
    files = []
    for top, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        files += [Path(top) / name for name in names]
    return files


def _text(path: Path) -> str | None:
    if path.suffix in BINARY or "golden" in path.parts or not path.is_file():
        return None
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode()
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize("line", [
    "pip install {taken}",
    '$ pip install "{taken}[plot]"      # + matplotlib',
    "python -m pip install -U '{taken}[torch,jax]'",
    "raise ImportError(f\"x needs y: pip install '{taken}[{{extra}}]' (or install y yourself)\")",
    "`pip install --no-cache-dir --force-reinstall {taken}` and check",
    "pip3 install {taken}==0.1.0",
    "pip install numpy {taken}.",
    "pip download --no-deps {taken}",
    "the `{taken}[plot]` extra",
    'all = ["{taken}[plot,torch]"]',
])
def test_the_scan_flags_the_taken_name(line):
    assert wrong_hints(line.format(taken=TAKEN)), line


@pytest.mark.parametrize("line", [
    'pip install -e ".[test]"',
    "pip install -e . pytest-benchmark",
    "pip install {dist}",
    "pip install '{dist}[plot]'",
    "pip install -r docs/requirements.txt",
    'pip_in "$venv" install "$(ls "$HOUSE"/{taken}-*.whl)[test]"',
    'pip install "$(ls dist/{taken}-*.whl)[test]"',
    "pip install {taken}-plugin torch==2.13.0",
    "`pip install` of the sdist builds {taken}",
    "import {taken}; {taken}.BACKEND",
])
def test_the_scan_accepts_other_hints(line):
    assert wrong_hints(line.format(taken=TAKEN, dist=DISTRIBUTION)) == [], line


def test_the_scan_follows_continued_shell_lines():
    text = f"set -e\npip install --no-cache-dir \\\n    --force-reinstall {TAKEN}\necho done\n"
    assert scan(text) == [(3, f"pip install --no-cache-dir      --force-reinstall {TAKEN}")]
    assert scan(text.replace(f" {TAKEN}", f" {DISTRIBUTION}")) == []


def test_hints_built_in_code_name_the_distribution():
    for hint in (pip_install(), pip_install("plot"), REINSTALL):
        assert DISTRIBUTION in hint and wrong_hints(hint) == [], hint
    assert pip_install("plot") == f"pip install '{DISTRIBUTION}[plot]'"


def test_no_file_tells_anyone_to_install_the_taken_name():
    if not (ROOT / "setup.py").is_file():
        pytest.skip(f"no source tree at {ROOT} (tests run against an installed package): nothing to scan")
    files = _source_files()
    assert any(f.name == "README.md" for f in files) and any(f.suffix == ".py" for f in files)
    problems = []
    for path in files:
        text = _text(path)
        if text is None:
            continue
        problems += [f"{path.relative_to(ROOT)}:{number}: {line}" for number, line in scan(text)]
    assert problems == [], (f"these install PyPI's unrelated {TAKEN!r}; "
                            f"this project is {DISTRIBUTION!r} (fastlr._dist)")


def test_pyproject_names_the_distribution():
    pyproject = ROOT / "pyproject.toml"
    if not pyproject.is_file():
        pytest.skip(f"no pyproject.toml next to the tests ({ROOT})")
    project = tomllib.loads(pyproject.read_text())["project"]
    assert project["name"] == DISTRIBUTION
    assert project["version"] == fastlr.__version__
    assert project["scripts"]["fastlr"] == "fastlr.cli:main"


def test_the_installed_metadata_names_the_distribution():
    if Path(fastlr.__file__).resolve().is_relative_to(ROOT):
        pytest.skip("fastlr is imported from the source tree; an older install's metadata may be the one found")
    assert importlib.metadata.version(DISTRIBUTION) == fastlr.__version__
    assert DISTRIBUTION in importlib.metadata.packages_distributions()["fastlr"]
    scripts = importlib.metadata.distribution(DISTRIBUTION).entry_points.select(group="console_scripts")
    assert [(e.name, e.value) for e in scripts] == [("fastlr", "fastlr.cli:main")]
