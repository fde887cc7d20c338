"""The distribution name, and every install hint built from it.

The name ``fastlr`` on PyPI belongs to an unrelated project; this package is
published as ``fastlr-schedules`` and still imports as ``fastlr``.
``pyproject.toml``'s ``[project] name`` must equal :data:`DISTRIBUTION`
(``tests/test_install_hints.py`` checks it, and that no file of the repository
tells anyone to install the other project).
"""

from __future__ import annotations

DISTRIBUTION = "fastlr-schedules"
"""The name pip installs this project by."""

REINSTALL = f"pip install --no-cache-dir --force-reinstall {DISTRIBUTION}"
"""Rebuilds the package from source, so that a newly installed compiler gets used."""


def pip_install(extra: str | None = None) -> str:
    """The command that installs fastlr, with the optional dependencies of ``extra`` if given."""
    return f"pip install '{DISTRIBUTION}[{extra}]'" if extra else f"pip install {DISTRIBUTION}"
