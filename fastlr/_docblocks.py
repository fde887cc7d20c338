"""Docstring text that several public functions share, written once.

In a docstring, a line holding only ``<<name>>`` stands for a shared block:
the decorator that :func:`blocks` returns replaces the line with the block
named ``name``, indented as the line was. It rewrites ``__doc__`` at import,
under ``_spec.factory`` (which copies the docstring with ``functools.wraps``),
so ``help()``, Sphinx and numpydoc see the whole text. A placeholder must
fill its line, and no line of reST or LaTeX is ``<<word>>`` alone, so the
math (with its braces) is never touched.
"""

from __future__ import annotations

import inspect
import re
from typing import Callable, TypeVar

T = TypeVar("T")

_PLACEHOLDER = re.compile(r"^([ \t]*)<<(\w+)>>[ \t]*$", re.MULTILINE)


def blocks(**named: str) -> Callable[[T], T]:
    """A decorator putting each block of ``named`` in place of its ``<<name>>`` docstring lines.

    The blocks are written like docstrings (``inspect.cleandoc`` removes their
    common indentation); an unknown name raises ``RuntimeError`` at import.
    """
    texts = {name: inspect.cleandoc(text).splitlines() for name, text in named.items()}

    def fill(target: T) -> T:
        doc = target.__doc__
        if doc is None:  # python -OO
            return target

        def block(match: re.Match[str]) -> str:
            indent, name = match.groups()
            if name not in texts:
                raise RuntimeError(f"{getattr(target, '__qualname__', target)}: no shared docstring "
                                   f"block {name!r} (known: {', '.join(sorted(texts))})")
            return "\n".join(indent + line if line else "" for line in texts[name])

        target.__doc__ = _PLACEHOLDER.sub(block, doc)
        return target

    return fill
