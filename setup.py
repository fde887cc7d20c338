"""Build the optional compiled engine (metadata lives in pyproject.toml).

``FASTLR_BACKEND`` at build time, the same variable the package reads at import:

* ``auto`` (default): try to compile; if that fails, print a banner and
  install the pure-Python package (an honest ``py3-none-any`` wheel).
  Interpreters other than CPython (PyPy, GraalPy) skip the compile, as the
  import switch would not use the compiled engine there anyway.
* ``cython`` (or ``CIBUILDWHEEL=1``): a compile failure is an error.
* ``python``: do not compile.

``FASTLR_CYTHON_DEBUG=1`` compiles with bounds and wraparound checks on, so an
index bug raises ``IndexError`` instead of corrupting memory.
"""

import os
import runpy
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, ExecError, PlatformError

CHOICES = ("auto", "cython", "python")
# The reinstall command, from the one module that spells the distribution name.
REINSTALL = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                        "fastlr", "_dist.py"))["REINSTALL"]
BANNER = """
{rule}
WARNING: the fastlr compiled engine could not be built:
    {error}
Installing the pure-Python engine instead: same results, much slower
(`import fastlr` will say so with a RuntimeWarning).
To get the compiled engine, install a C compiler and the Python headers, then
    {reinstall}
and check that fastlr.BACKEND == "cython".
Set FASTLR_BACKEND=cython to make this failure an error,
or FASTLR_BACKEND=python to skip the compiled engine without trying
(at import, it selects the NumPy engine and silences that warning).
{rule}
"""


def build_mode() -> str:
    value = os.environ.get("FASTLR_BACKEND", "").strip().lower() or "auto"
    if value not in CHOICES:
        sys.exit(f"error: FASTLR_BACKEND must be one of {', '.join(CHOICES)}; got {value!r}")
    if os.environ.get("CIBUILDWHEEL") == "1":
        if value == "python":
            sys.exit("error: FASTLR_BACKEND=python contradicts CIBUILDWHEEL=1")
        return "cython"
    if value == "auto" and sys.implementation.name != "cpython":
        return "python"
    return value


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


DEBUG = _flag("FASTLR_CYTHON_DEBUG")
DIRECTIVES = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "initializedcheck": DEBUG,
    "cdivision": True,
    "embedsignature": True,
    "binding": True,
    # shared state is immutable programs and a relaxed-atomic segment hint (_hint.h);
    # see docs/internals.md ("Threads")
    "freethreading_compatible": True,
}


def compile_args(compiler_type: str) -> list[str]:
    # Flags by compiler, not by OS. MSVC (2022 17.0 on) never contracts to FMA
    # under /fp:precise.
    if compiler_type == "msvc":
        return ["/O2", "/fp:precise"]
    # -ffp-contract=off: no fused multiply-add, so both engines agree bit for bit.
    # -fno-trapping-math: lets the vectoriser if-convert divisions and selects
    # (values are unchanged; FP exception flags are not part of fastlr's API).
    # -fopenmp-simd: honour `#pragma omp declare simd` (libmvec) without the
    # OpenMP runtime. Never -ffast-math (it removes NaN checks and sets FTZ/DAZ
    # process-wide), never -march: _simd.h clones the fills per CPU instead
    # (CI checks the modules' ISA notes and instructions: .ci/check_isa.py).
    return ["-O3", "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off", "-fopenmp-simd"]


def extensions() -> list[Extension]:
    from Cython.Build import cythonize

    engine = Extension(
        "fastlr._engine_c",
        # the vector fills: baseline and dispatch, then one unit per CPU level (_fill_isa.h)
        ["fastlr/_engine_c.pyx", "fastlr/_fill_vec.c", "fastlr/_fill_v3.c", "fastlr/_fill_v4.c",
         "fastlr/_fill_v3_f32.c", "fastlr/_fill_v4_f32.c"],
        include_dirs=["fastlr"],
        depends=["fastlr/_formulas.h", "fastlr/_formulas_peer.h", "fastlr/_formulas_f32.h", "fastlr/_fills.h",
                 "fastlr/_fill_exact.h", "fastlr/_fill_vec.h", "fastlr/_fill_isa.h", "fastlr/_simd.h",
                 "fastlr/_vecmath.h", "fastlr/_cycles.h", "fastlr/_hint.h", "fastlr/fastlr.h", "fastlr/_engine_c.pxd"],
        libraries=["m"] if os.name == "posix" else [],
    )
    stepper = Extension(  # fastlr.torch's compiled step(); cimports the engine
        "fastlr._stepper_c",
        ["fastlr/_stepper_c.pyx"],
        include_dirs=["fastlr"],
        depends=["fastlr/_engine_c.pxd", "fastlr/_formulas.h"],
    )
    return cythonize([engine, stepper], compiler_directives=DIRECTIVES, quiet=True)


class BuildFailed(Exception):
    """The compiled engine did not build (plain Exception: setuptools would exit on its own)."""


# GCC only: unswitch the fill loops on a kind's loop-invariant parameter tests
# (cosine_restarts with period_mult == 1, cyclic's mode, ...) instead of
# computing both branches in every vector lane; the default size limit (50)
# is below the size of most formulas.
GCC_ONLY_ARGS = ["--param=max-unswitch-insns=500"]


def _is_gcc(command: list[str]) -> bool:
    try:
        version = subprocess.run([*command[:1], "--version"], capture_output=True, text=True,
                                 timeout=30).stdout.lower()
    except (OSError, subprocess.SubprocessError):
        return False
    return "free software foundation" in version and "clang" not in version


class OptionalBuildExt(build_ext):
    def build_extensions(self) -> None:
        gcc = self.compiler.compiler_type == "unix" and _is_gcc(self.compiler.compiler_so)
        for ext in self.extensions:  # flags by compiler (MSVC or gcc/clang), not by OS
            ext.extra_compile_args = [*compile_args(self.compiler.compiler_type),
                                      *(GCC_ONLY_ARGS if gcc else [])]
        super().build_extensions()

    def run(self) -> None:
        try:
            super().run()
        except (CCompilerError, ExecError, PlatformError, OSError) as exc:
            raise BuildFailed(exc) from exc

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except (CCompilerError, ExecError, PlatformError, OSError) as exc:
            raise BuildFailed(exc) from exc


def run_setup(compiled: bool) -> None:
    setup(ext_modules=extensions() if compiled else [],
          cmdclass={"build_ext": OptionalBuildExt} if compiled else {})


def main() -> None:
    mode = build_mode()
    if mode == "python":
        run_setup(False)
        return
    if mode == "cython":
        run_setup(True)
        return
    try:
        run_setup(True)
    except (BuildFailed, ImportError) as exc:  # ImportError: no Cython without build isolation
        error = exc.__cause__ or exc
        sys.stderr.write(BANNER.format(rule="*" * 78, reinstall=REINSTALL,
                                       error=f"{type(error).__name__}: {error}"))
        run_setup(False)


main()
