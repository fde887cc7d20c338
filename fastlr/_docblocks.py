"""Docstring text that several public functions share, written once.

:func:`define` names a block; in a docstring, a line holding only ``<<name>>``
stands for it. :func:`fill` replaces each such line with the block, indented
as the line was. ``_spec.factory`` fills every factory's docstring when it
registers the factory (before ``functools.wraps`` copies it), so ``help()``,
Sphinx and numpydoc see the whole text; other objects call :func:`fill`
themselves. A placeholder fills its line, and no line of reST or LaTeX is
``<<word>>`` alone, so the math (with its braces) is never touched.
"""

from __future__ import annotations

import re
import textwrap
from typing import TypeVar

T = TypeVar("T")

_PLACEHOLDER = re.compile(r"^([ \t]*)<<(\w+)>>[ \t]*$", re.MULTILINE)
_BLOCKS: dict[str, list[str]] = {}


def define(**named: str) -> None:
    """Name docstring blocks (their common indentation and surrounding blank lines are removed).

    A name is defined once in the package (``RuntimeError`` otherwise).
    """
    for name, text in named.items():
        if name in _BLOCKS:
            raise RuntimeError(f"docstring block {name!r} defined twice")
        _BLOCKS[name] = textwrap.dedent(text).strip("\n").splitlines()


def fill(target: T) -> T:
    """``target`` with each ``<<name>>`` line of its docstring replaced by the block ``name``.

    An undefined name raises ``RuntimeError`` (at import, where ``target`` is defined).
    """
    doc = target.__doc__
    if doc is None:  # python -OO
        return target

    def block(match: re.Match[str]) -> str:
        indent, name = match.groups()
        if name not in _BLOCKS:
            raise RuntimeError(f"{getattr(target, '__qualname__', target)}: no docstring block {name!r} "
                               "(fastlr._docblocks.define it first)")
        return "\n".join(indent + line if line else "" for line in _BLOCKS[name])

    target.__doc__ = _PLACEHOLDER.sub(block, doc)
    return target
