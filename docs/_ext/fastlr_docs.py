"""Build-time pages of the fastlr docs: the catalog with figures, CLI help, optional toctrees.

Runs when Sphinx starts (``builder-inited``) and writes into ``docs/_generated/``
(ignored by git): one SVG per catalog entry drawn with :func:`fastlr.plot` from
the examples below, ``catalog.inc`` (each factory's docstring and figure),
``cli-<command>.txt`` (the ``--help`` of every command) and toctrees of the
pages other parts of the project may add (``compat-*.md``, ``performance.md``).
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import fastlr
from fastlr import schedules
from fastlr._specparse import parse_spec

STEPS = 1000

EXAMPLES: dict[str, list[str]] = {
    "constant": ["constant(1e-3)"],
    "linear": ["linear(1e-3, 800, end=1e-4)"],
    "polynomial": ["polynomial(1e-3, 800, power=2.0)", "polynomial(1e-3, 800, power=0.5)"],
    "cosine": ["cosine(1e-3, 800, end=1e-4)"],
    "exponential": ["exponential(1e-3, 0.5, 200)", "exponential(1e-3, 0.5, 200, staircase=True)",
                    "exponential(1e-3, 0.5, 200, floor=2e-4)"],
    "inverse_time": ["inverse_time(1e-3, 1.0, 100)", "inverse_time(1e-3, 1.0, 100, staircase=True)"],
    "step": ["step(1e-3, 300, gamma=0.5)"],
    "multistep": ["multistep(1e-3, [300, 600, 800], gamma=0.5)"],
    "piecewise_constant": ["piecewise_constant([300, 600], [1e-3, 5e-4, 1e-4])"],
    "piecewise_linear": ["piecewise_linear([0, 100, 600, 900], [0.0, 1e-3, 5e-4, 0.0])"],
    "cosine_restarts": ["cosine_restarts(1e-3, 200)", "cosine_restarts(1e-3, 100, period_mult=2.0, decay=0.7)"],
    "cyclic": ["cyclic(1e-4, 1e-3, 100)", "cyclic(1e-4, 1e-3, 100, mode='triangular2')",
               "cyclic(1e-4, 1e-3, 100, mode='exp_range', gamma=0.998)"],
    "one_cycle": ["one_cycle(1e-3, 800)", "one_cycle(1e-3, 800, three_phase=True, anneal='linear')"],
    "warmup_cosine": ["warmup_cosine(1e-3, 100, 800, end=1e-5)"],
    "warmup_linear": ["warmup_linear(1e-3, 100, 800, start=1e-4)"],
    "warmup_inverse": ["warmup_inverse(1e-3, 100)", "warmup_inverse(1e-3, 100, power=1.0)"],
    "noam": ["noam(512, warmup_steps=100)", "noam(512, warmup_steps=200)"],
    "wsd": ["wsd(1e-3, 100, 500, 300)", "wsd(1e-3, 100, 500, 300, cooldown='cosine')",
            "wsd(1e-3, 100, 500, 300, cooldown='1-sqrt')"],
    "warmup": ["warmup(exponential(1e-3, 0.5, 200), 100)"],
    "join": ["join([constant(1e-3), cosine(1e-3, 400), constant(1e-4)], [200, 600])"],
    "wsd_s": ["wsd_s(1e-3, 50, [300, 250, 250], 80)"],
    "power_law": ["power_law(1e-3, 50)", "power_law(1e-3, 50, total_steps=800, decay_steps=150)"],
    "cooldown": ["cooldown(wsd(1e-3, 100, 10000, 0), 400, 300)",
                 "cooldown(wsd(1e-3, 100, 10000, 0), 600, 200, 'linear')"],
}

COMMANDS = ("show", "table", "plot", "compare", "bench", "demo", "plan")


def check_examples() -> None:
    """Every public factory has an example, and every example names a factory."""
    missing = sorted(set(schedules.__all__) - set(EXAMPLES))
    unknown = sorted(set(EXAMPLES) - set(schedules.__all__))
    if missing or unknown:
        raise RuntimeError(f"docs catalog out of date: no example for {missing}; unknown {unknown}")


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def catalog(out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "fastlr-docs"  # reproducible SVG ids
    from matplotlib.figure import Figure

    check_examples()
    images = out / "catalog"
    images.mkdir(parents=True, exist_ok=True)
    parts = []
    for name in schedules.__all__:
        examples = {text: parse_spec(text) for text in EXAMPLES[name]}
        fig = Figure(figsize=(6.4, 2.6), layout="constrained")
        fastlr.plot(examples, steps=STEPS, ax=fig.subplots())
        fig.savefig(images / f"{name}.svg", metadata={"Date": None})
        shown = ", ".join(f"``{text}``" for text in examples)
        parts.append(f"{name}\n{'-' * len(name)}\n\n.. autofunction:: fastlr.{name}\n\n"
                     f".. figure:: /_generated/catalog/{name}.svg\n   :alt: {name}\n\n"
                     f"   {shown}, over {STEPS:,} steps.\n")
    write_if_changed(out / "catalog.inc", "\n".join(parts))


def cli_help(out: Path) -> None:
    from fastlr.cli import build_parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"
    try:
        for command in ("", *COMMANDS):
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
                build_parser().parse_args([command, "--help"] if command else ["--help"])
            write_if_changed(out / f"cli-{command or 'fastlr'}.txt", buffer.getvalue())
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def optional_toctree(out: Path, source: Path, name: str, pattern: str, absent: str) -> None:
    pages = sorted(p.stem for p in source.glob(pattern))
    if pages:
        text = ".. toctree::\n   :maxdepth: 1\n\n" + "".join(f"   /{page}\n" for page in pages)
    else:
        text = absent + "\n"
    write_if_changed(out / name, text)


def generate(app) -> None:
    source = Path(app.srcdir)
    out = source / "_generated"
    out.mkdir(exist_ok=True)
    catalog(out)
    cli_help(out)
    optional_toctree(out, source, "compat_toc.inc", "compat-*.md",
                     "*The per-library migration tables (``docs/compat-*.md``) are not written yet.*")
    optional_toctree(out, source, "performance_toc.inc", "performance.md",
                     "*The measured performance report (``docs/performance.md``) is not written yet.*")


def setup(app):
    app.connect("builder-inited", generate)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
