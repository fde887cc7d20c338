"""Turn the text a user types into a schedule: a call expression or a spec file.

A SPEC is either

* a call of a registered factory, such as
  ``"warmup_cosine(peak=1e-3, warmup_steps=4000, total_steps=40000)"`` or
  ``"compat.torch.OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=1000)"``
  (a leading ``fastlr.`` is allowed, so ``repr(s)`` is a SPEC). It is parsed
  with :mod:`ast` and never evaluated: arguments may only be literals (numbers,
  strings, booleans, ``None``, lists, tuples, dicts, ``float('inf')``) or
  nested factory calls (for combinators such as ``warmup`` and ``join``); or
* the path of a JSON or TOML file holding :meth:`fastlr.Schedule.to_dict`
  output (TOML through :mod:`tomllib` on Python >= 3.11, or ``tomli``).

Every failure is a :class:`SpecError` (a ``ValueError``) with a one-line
message that names the problem.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any, Callable

from ._spec import _FACTORIES, _VALUES, Schedule, _import_compat_factory, from_dict
from ._tables import FORMATS
from ._validate import did_you_mean

__all__ = ["SpecError", "parse_spec", "load_spec_file"]

FILE_SUFFIXES = (".json", ".toml")
_MAX_LENGTH = 100_000  # characters of a SPEC expression


class SpecError(ValueError):
    """A SPEC that does not describe a schedule; the message is one line."""


def parse_spec(text: str) -> Schedule:
    """The schedule described by ``text``: a factory call expression or a spec file path.

    ``text`` names a file when it ends with ``.json`` or ``.toml`` or is an
    existing file; otherwise it must be a call expression. A table of values
    (a name ending in ``.npy``, ``.csv`` or ``.txt``, unless the file holds
    JSON) is refused with a message saying what to pass instead.

    Raises
    ------
    SpecError
        With a one-line message naming the problem.
    """
    if not isinstance(text, str):
        raise SpecError(f"SPEC must be a string, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise SpecError("SPEC is empty; give a call such as 'cosine(1e-3, 1000)' or a .json/.toml file")
    if _is_table(stripped):
        suffix = Path(stripped).suffix.lower()
        raise SpecError(f"{stripped}: a {suffix} file is a table of values (what 'fastlr table' writes), "
                        "not a schedule spec; pass the schedule's call, such as 'cosine(1e-3, 1000)', "
                        "or a .json/.toml spec file ('fastlr show SPEC --json > s.json' writes one)")
    if stripped.lower().endswith(FILE_SUFFIXES) or os.path.isfile(stripped):
        return load_spec_file(stripped)
    return _parse_call_text(stripped)


# ---------------------------------------------------------------- files

def _is_table(path: str) -> bool:
    """A name ending in .npy/.csv/.txt, unless it is a file holding JSON (a spec saved so)."""
    if not path.lower().endswith(tuple(f".{fmt}" for fmt in FORMATS)):
        return False
    try:
        with open(path, "rb") as f:
            return not f.read(4096).lstrip().startswith(b"{")
    except OSError:
        return True


def _decoder(toml: bool, where: str) -> tuple[Callable[[str], Any], type[ValueError]]:
    """The format's ``loads`` and its parse error (TOML: ``tomllib``, or ``tomli`` before Python 3.11)."""
    if not toml:
        return json.loads, json.JSONDecodeError
    try:
        import tomllib  # Python >= 3.11
    except ImportError:
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ImportError:
            raise SpecError(f"{where}: reading TOML needs Python >= 3.11 or the tomli package "
                            "(pip install tomli)") from None
    return tomllib.loads, tomllib.TOMLDecodeError


def _decode(data: bytes, where: str, toml: bool) -> Any:
    """The document in a spec file's bytes, TOML or JSON; every failure a SpecError naming the file."""
    fmt = "TOML" if toml else "JSON"
    loads, error = _decoder(toml, where)
    try:
        return loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SpecError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except error as exc:
        detail = (f"{exc.msg} at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError)
                  else _one_line(exc))
        raise SpecError(f"{where}: not valid {fmt}: {detail}") from None
    except RecursionError:
        raise SpecError(f"{where}: {fmt} nested too deeply") from None


def load_spec_file(path: str | os.PathLike[str]) -> Schedule:
    """The schedule in a JSON or TOML file of :meth:`Schedule.to_dict` output.

    The format is chosen by the suffix (``.toml`` is TOML, anything else JSON).

    Raises
    ------
    SpecError
        If the file cannot be read or parsed, or does not hold a valid spec.
    """
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SpecError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise SpecError(f"{where}: is a directory, not a spec file") from None
    except OSError as exc:
        raise SpecError(f"{where}: cannot read: {exc.strerror or exc}") from None
    spec = _decode(data, where, toml=where.lower().endswith(".toml"))
    try:
        return from_dict(spec)
    except (ValueError, TypeError, RecursionError) as exc:
        raise SpecError(f"{where}: {_one_line(exc)}") from None


# ---------------------------------------------------------------- call expressions

def _parse_call_text(text: str) -> Schedule:
    if len(text) > _MAX_LENGTH:
        raise SpecError(f"SPEC is too long ({len(text)} characters; at most {_MAX_LENGTH})")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise SpecError(f"SPEC is not a valid expression ({exc.msg}{where}): {_shown(text)}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SpecError(f"SPEC cannot be parsed: {_one_line(exc)}") from None
    body = tree.body
    if not isinstance(body, ast.Call) and ("/" in text or os.sep in text):
        raise SpecError(f"{text}: no such file (a spec file, or a call such as 'cosine(1e-3, 1000)')")
    if not isinstance(body, ast.Call):
        if _dotted_name(body) is not None:
            raise SpecError(f"SPEC must be a call, such as '{_dotted_name(body)}(...)', got {_shown(text)}")
        raise SpecError(f"SPEC must be a call of a fastlr schedule such as "
                        f"'cosine(1e-3, 1000)', got {_shown(text)}")
    try:
        result = _call(body)
    except RecursionError:
        raise SpecError("SPEC is nested too deeply") from None
    if not isinstance(result, Schedule):
        raise SpecError(f"SPEC must make a schedule, got {type(result).__name__}")
    return result


def _dotted_name(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _factory(name: str) -> Callable[..., Schedule]:
    key = name[len("fastlr."):] if name.startswith("fastlr.") else name
    make = _FACTORIES.get(key) or _VALUES.get(key)  # values: fastlr.Clock(...), fastlr.tokens(...)
    if make is None:
        try:
            make = _import_compat_factory(key)
        except ImportError as exc:
            raise SpecError(f"{name}: its module does not import: {_one_line(exc)}") from None
    if make is None:
        raise SpecError(f"{name!r} names no fastlr schedule{did_you_mean(key, _FACTORIES)}")
    return make


def _call(node: ast.Call) -> Any:
    name = _dotted_name(node.func)
    if name is None:
        raise SpecError("only calls of named fastlr schedules are allowed in a SPEC")
    if name == "float":
        return _float_call(node)
    make = _factory(name)
    args = []
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise SpecError(f"{name}: *arguments are not allowed in a SPEC")
        args.append(_literal(arg, name))
    kwargs = {}
    for kw in node.keywords:
        if kw.arg is None:
            raise SpecError(f"{name}: **arguments are not allowed in a SPEC")
        if kw.arg in kwargs:
            raise SpecError(f"{name}: argument {kw.arg!r} given twice")
        kwargs[kw.arg] = _literal(kw.value, f"{name}({kw.arg}=...)")
    try:
        return make(*args, **kwargs)
    except (ValueError, TypeError, ArithmeticError) as exc:
        message = _one_line(exc)
        named = message.startswith(f"fastlr.{name.removeprefix('fastlr.')}(")  # the factory named itself
        raise SpecError(message if named else f"{name}: {message}") from None


def _float_call(node: ast.Call) -> float:
    """``float('inf')``, ``float('-inf')``, ``float('nan')`` (how ``repr`` writes them)."""
    if (len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value.strip().lower() in ("inf", "-inf", "+inf", "nan", "infinity",
                                                       "-infinity", "+infinity")):
        return float(node.args[0].value)
    raise SpecError("float(...) is allowed only as float('inf'), float('-inf') or float('nan')")


_UNARY = {ast.USub: lambda x: -x, ast.UAdd: lambda x: +x}


def _literal(node: ast.AST, where: str) -> Any:
    if isinstance(node, ast.Constant):
        value = node.value
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise SpecError(f"{where}: a {type(value).__name__} literal is not allowed in a SPEC")
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        operand = _literal(node.operand, where)
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            raise SpecError(f"{where}: a sign applies to numbers only")
        return _UNARY[type(node.op)](operand)
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_literal(item, where) for item in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise SpecError(f"{where}: **mappings are not allowed in a SPEC")
        result = {}
        for key_node, value_node in zip(node.keys, node.values):
            key = _literal(key_node, where)
            if not isinstance(key, (str, int, float)):
                raise SpecError(f"{where}: dict keys must be strings or numbers")
            result[key] = _literal(value_node, where)
        return result
    if isinstance(node, ast.Call):
        return _call(node)
    if isinstance(node, ast.Name):
        raise SpecError(f"{where}: names such as {node.id!r} are not allowed in a SPEC "
                        "(only literals and fastlr schedule calls)")
    raise SpecError(f"{where}: only literals and fastlr schedule calls are allowed in a SPEC, "
                    f"got {_shown(ast.unparse(node))}")


# ---------------------------------------------------------------- messages

def _shown(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
