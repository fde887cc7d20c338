"""The README's sections on clocks, planning and analytics run as written, and show real output."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import fastlr

README = Path(__file__).resolve().parent.parent / "README.md"
SECTIONS = ("Clocks: epochs, samples, tokens", "Planning a run: fastlr plan", "Analytics")


def section(title: str) -> str:
    if not README.is_file():
        pytest.skip("no README.md next to tests/ (an installed-package test run)")
    text = README.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("title", SECTIONS)
def test_python_examples_run(title, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = blocks(section(title), "python")
    assert code, title
    for source in code:
        exec(compile(source, f"README.md: {title}", "exec"), {})


def test_plan_example_prints_what_the_readme_shows(tmp_path):
    pytest.importorskip("matplotlib")
    (shell,) = blocks(section("Planning a run: fastlr plan"), "sh")
    lines = shell.splitlines()
    command = " ".join(line.rstrip("\\").strip() for line in lines if not line.startswith("#"))
    shown = [line[1:].strip() for line in lines if line.startswith("#")]
    argv = shlex.split(command)
    assert argv[:2] == ["fastlr", "plan"]
    env = {**os.environ, "PYTHONPATH": str(Path(fastlr.__file__).resolve().parent.parent)}
    result = subprocess.run([sys.executable, "-m", "fastlr", *argv[1:]], capture_output=True, text=True,
                            cwd=tmp_path, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    output = " ".join((result.stdout + result.stderr).split())
    for fragment in (part.strip() for line in shown for part in line.split("...")):
        assert " ".join(fragment.split()) in output, fragment
    assert (tmp_path / "lr.csv").is_file() and (tmp_path / "lr.png").is_file()
