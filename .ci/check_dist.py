"""Check what an sdist or a wheel of fastlr contains.

    python .ci/check_dist.py sdist  dist/fastlr_schedules-X.tar.gz
    python .ci/check_dist.py wheel  wheelhouse/fastlr_schedules-X-cp311-...whl   # compiled wheel
    python .ci/check_dist.py pure   dist/fastlr_schedules-X-py3-none-any.whl     # pure-Python wheel

Exits 1 with one line per problem. The package's modules are taken from the
sdist (every ``fastlr/**/*.py`` must be in every wheel), so a subpackage left
out of the wheel fails here even if no test imports it. The file name and the
metadata must carry the distribution name of ``fastlr/_dist.py``.
"""

from __future__ import annotations

import re
import runpy
import sys
import tarfile
import zipfile
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
DISTRIBUTION = runpy.run_path(str(REPO / "fastlr" / "_dist.py"))["DISTRIBUTION"]
STEM = re.sub(r"[-_.]+", "_", DISTRIBUTION).lower()  # the name as sdist and wheel file names spell it

SDIST_REQUIRED = [
    "pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "PKG-INFO",
    "fastlr/__init__.py", "fastlr/py.typed", "fastlr/_engine_c.pyx", "fastlr/_engine_c.pxd",
    "fastlr/_engine_c.pyi", "fastlr/_formulas.h",
    "tests/conftest.py", "tests/test_smoke.py",
]
SDIST_FORBIDDEN = ["*.so", "*.pyd", "*.o", "*.pyc", "build/*", ".ci/*", ".github/*"]
WHEEL_REQUIRED = ["fastlr/__init__.py", "fastlr/py.typed", "fastlr/_engine_c.pxd",
                  "fastlr/_engine_c.pyi"]
WHEEL_FORBIDDEN = ["*.c", "*.pyx", "*.o", "*.pyc", "tests/*", "*/tests/*", "benchmarks/*"]
EXTENSION = re.compile(r"^(?P<module>fastlr/[^/]+)\.(cpython-[^/]+\.so|cp[0-9]+-[^/]+\.pyd|abi3\.so)$")
EXTERN_HEADER = re.compile(r'cdef\s+extern\s+from\s+"([^"]+)"')


def sdist_names(path: str) -> list[str]:
    with tarfile.open(path) as tar:
        names = [m.name for m in tar.getmembers() if m.isfile()]
    roots = {n.split("/", 1)[0] for n in names}
    if len(roots) != 1:
        raise SystemExit(f"{path}: expected one top-level directory, got {sorted(roots)}")
    return [n.split("/", 1)[1] for n in names]


def check_name(path: str, metadata: str) -> list[str]:
    """The file name and the metadata's ``Name`` must be the distribution's."""
    problems = []
    if not PurePosixPath(path).name.startswith(STEM + "-"):
        problems.append(f"file name must start with {STEM}- (the distribution is {DISTRIBUTION})")
    name = re.search(r"^Name: *(.*?) *$", metadata, re.MULTILINE)
    if not name or name[1] != DISTRIBUTION:
        problems.append(f"metadata Name is {name[1] if name else None!r}, expected {DISTRIBUTION!r}")
    return problems


def matches(name: str, patterns: list[str]) -> bool:
    return any(fnmatch(name, p) for p in patterns)


def check_sdist(path: str) -> list[str]:
    names = set(sdist_names(path))
    problems = [f"sdist lacks {n}" for n in SDIST_REQUIRED if n not in names]
    with tarfile.open(path) as tar:
        top = [m for m in tar.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")]
        problems += check_name(path, tar.extractfile(top[0]).read().decode() if top else "")
    problems += [f"sdist must not contain {n}" for n in sorted(names) if matches(n, SDIST_FORBIDDEN)]
    problems += [f"sdist must not contain {n}: Cython generates it from {n[:-2]}.pyx (exclude it in MANIFEST.in)"
                 for n in sorted(names) if n.endswith(".c") and n[:-2] + ".pyx" in names]
    if not any(fnmatch(n, "tests/golden/*.json.gz") for n in names):
        problems.append("sdist lacks the golden tables tests/golden/*.json.gz")
    return problems


def package_modules(sdist: str) -> set[str]:
    return {n for n in sdist_names(sdist) if n.startswith("fastlr/") and n.endswith(".py")}


def check_wheel(path: str, compiled: bool, sdist: str | None) -> list[str]:
    with zipfile.ZipFile(path) as whl:
        names = set(whl.namelist())
        meta = {n: whl.read(n).decode() for n in names if n.endswith(".dist-info/WHEEL")}
        metadata = "".join(whl.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
        pxds = {n: whl.read(n).decode() for n in names if n.endswith(".pxd")}
    problems = [f"wheel lacks {n}" for n in WHEEL_REQUIRED if n not in names]
    problems += check_name(path, metadata)
    problems += [f"wheel must not contain {n}" for n in sorted(names) if matches(n, WHEEL_FORBIDDEN)]
    extensions = sorted(n for n in names if EXTENSION.match(n))
    built = {EXTENSION.match(n)["module"] for n in extensions}
    wheel_meta = "".join(meta.values())
    python_tag, abi_tag, platform_tag = PurePosixPath(path).name[:-len(".whl")].rsplit("-", 3)[1:]
    if compiled:
        wanted = {"fastlr/_engine_c"} | ({n[:-4] for n in sdist_names(sdist) if n.endswith(".pyx")}
                                         if sdist else set())
        problems += [f"wheel lacks the compiled module {m}" for m in sorted(wanted - built)]
        if "Root-Is-Purelib: false" not in wheel_meta or platform_tag == "any":
            problems.append(f"compiled wheel must be a platform wheel, got {python_tag}-{abi_tag}-{platform_tag}")
    else:
        if extensions or any(n.endswith((".so", ".pyd")) for n in names):
            problems.append(f"pure wheel must not contain compiled modules: {extensions}")
        if "Root-Is-Purelib: true" not in wheel_meta or "Tag: py3-none-any" not in wheel_meta:
            problems.append("pure wheel must be tagged py3-none-any with Root-Is-Purelib: true")
    for pxd, text in pxds.items():  # every header a shipped .pxd includes ships too
        for header in EXTERN_HEADER.findall(text):
            if header.startswith(("<", "/")):  # system or absolute header
                continue
            if str(PurePosixPath(pxd).parent / header) not in names:
                problems.append(f"{pxd} includes {header}, which the wheel lacks")
    if sdist:
        missing = sorted(package_modules(sdist) - names)
        problems += [f"wheel lacks module {n} (present in the sdist)" for n in missing]
    return problems


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("sdist", "wheel", "pure"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, path = argv[0], argv[1]
    sdist = argv[2] if len(argv) > 2 else None
    problems = check_sdist(path) if kind == "sdist" else check_wheel(path, kind == "wheel", sdist)
    for p in problems:
        print(f"check_dist: {path}: {p}", file=sys.stderr)
    if not problems:
        print(f"check_dist: {kind} listing OK: {PurePosixPath(path).name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
