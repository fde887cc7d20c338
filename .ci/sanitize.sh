#!/usr/bin/env bash
# Compiled engine under a debug build and under ASan + UBSan (issue 9).
#
#   bash .ci/sanitize.sh          # both builds, with their own timing table
#
# .ci/run sources this file and runs the sz_* steps as its own timed stages.
# CFLAGS replaces Python's default compile flags (setuptools' distutils); the
# extension's own flags (-O3 ...) come after them on the command line.
# Each build compiles a fresh copy of the source (pip builds the sdist made by
# `python -m build --sdist`, or the tree itself when SANITIZE_SOURCE is set), so
# no object file of another build can be reused; the tests run from outside
# the source tree with FASTLR_BACKEND=cython, in a venv without the optional
# frameworks (their tests skip). SANITIZE_PYTEST_ARGS (default below: the
# compiled engine's tests) selects the tests.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CI_WORK=${CI_WORK:-$(mktemp -d /tmp/fastlr-sanitize.XXXXXX)}
TOOLS_VENV=${TOOLS_VENV:-$CI_WORK/tools}
SZ_VENV=$CI_WORK/venv-sanitize
export CI_WORK TOOLS_VENV
if [ -n "${SANITIZE_PYTEST_ARGS:-}" ]; then
    read -r -a SZ_PYTEST_ARGS <<< "$SANITIZE_PYTEST_ARGS"
else
    # The compiled engine's tests: the engine fixture's python variants are
    # left out (-k "not python"; other tests use the compiled engine, the
    # default), and so are the slow ones, the two that measure the process
    # RSS, which ASan's quarantine of freed memory makes meaningless, and the
    # one that inspects the vectorised code, which instrumentation changes.
    SZ_PYTEST_ARGS=(tests -m "not slow" -k "not python"
        --deselect tests/test_reliability.py::test_per_step_calls_do_not_grow_memory
        --deselect tests/test_reliability.py::test_ten_thousand_tables_and_constructions_keep_rss_flat
        --deselect tests/test_simd.py::test_vector_build_calls_libmvec_when_available)
fi

sz_source() {
    if [ -n "${SANITIZE_SOURCE:-}" ]; then
        echo "$SANITIZE_SOURCE"
    elif compgen -G "$CI_WORK/dist/$DIST_STEM-*.tar.gz" > /dev/null; then
        ls "$CI_WORK/dist/$DIST_STEM"-*.tar.gz
    else
        if ! compgen -G "$CI_WORK/sz-dist/$DIST_STEM-*.tar.gz" > /dev/null; then
            "$TOOLS_VENV/bin/python" -m build --sdist --outdir "$CI_WORK/sz-dist" "$REPO" > "$CI_WORK/sz-sdist.log" 2>&1 \
                || die "sdist build failed (log: $CI_WORK/sz-sdist.log)"
        fi
        ls "$CI_WORK/sz-dist/$DIST_STEM"-*.tar.gz
    fi
}

sz_venv() {
    ensure_tools
    new_venv "$SZ_VENV"
    # build requirements too: the sanitized builds run without isolation
    pip_install_offline "$SZ_VENV" "${TEST_DEPS[@]}"
}

# `sz_build LABEL ENV...`: compile and install fastlr with the given environment.
sz_build() {
    local label=$1 src log=$CI_WORK/sanitize-$1.log
    shift
    src=$(sz_source)
    log "$label build from $src: $*"
    if ! env "$@" FASTLR_BACKEND=cython "$TOOLS_VENV/bin/python" -m pip --disable-pip-version-check \
            --python "$SZ_VENV/bin/python" install -v --no-compile --no-build-isolation --no-deps \
            --no-cache-dir --force-reinstall "$src" > "$log" 2>&1; then
        tail -40 "$log"
        die "$label build failed (log: $log)"
    fi
    grep -E "^\s*(gcc|cc|x86_64-linux-gnu-gcc).*_engine_c" "$log" | head -2 || true
}

# The installed compiled module, found without importing it (an ASan build
# aborts when imported without the runtime preloaded).
sz_module() {
    local lib
    lib=$("$SZ_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
    compgen -G "$lib/fastlr/_engine_c.*.so" | head -1 | grep . || die "no compiled module in $lib/fastlr"
}

# Debug build: Cython bounds/wraparound/initialized checks on, C asserts on.
sz_debug() {
    [ -d "$SZ_VENV" ] || sz_venv
    sz_build debug FASTLR_CYTHON_DEBUG=1 CFLAGS="-g -fwrapv -UNDEBUG"
    # the checks really are compiled in: the text of Cython's indexing check
    # (__Pyx_RaiseBufferIndexError) is absent from a normal build
    grep -qF "Out of bounds on buffer access (axis %d)" "$(sz_module)" \
        || die "the debug build has no bounds checks (FASTLR_CYTHON_DEBUG ignored?)"
    test_outside "$SZ_VENV" cython "${SZ_PYTEST_ARGS[@]}"
}

# ASan + UBSan build of the production code (no Cython checks), any report fatal.
sz_asan() {
    local runtime symbols log=$CI_WORK/sanitize-asan-tests.log
    [ -d "$SZ_VENV" ] || sz_venv
    runtime=$(gcc -print-file-name=libasan.so)
    [ -f "$runtime" ] || die "no ASan runtime (gcc -print-file-name=libasan.so gave $runtime)"
    sz_build asan \
        CFLAGS="-g -fwrapv -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
        LDFLAGS="-fsanitize=address,undefined"
    symbols=$(nm -D "$(sz_module)")
    grep -q "__asan_" <<< "$symbols" || die "the ASan build is not instrumented"
    grep -q "__ubsan_" <<< "$symbols" || die "the UBSan build is not instrumented"
    # only the Python processes get the sanitizer runtime (PY_ENV, see lib.sh)
    PY_ENV="LD_PRELOAD=$runtime ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1" \
        test_outside "$SZ_VENV" cython "${SZ_PYTEST_ARGS[@]}" 2>&1 | tee "$log"
    if grep -qE "ERROR: AddressSanitizer|runtime error:|SUMMARY: (Address|UndefinedBehavior)Sanitizer" "$log"; then
        die "sanitizer report (log: $log)"
    fi
    log "ASan + UBSan: no report"
}

SANITIZE_STEPS=(
    "sanitize: venv|sz_venv"
    "sanitize: debug build + tests|sz_debug"
    "sanitize: ASan+UBSan build + tests|sz_asan"
)

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    trap print_times EXIT
    for step in "${SANITIZE_STEPS[@]}"; do
        stage "${step%%|*}" "${step##*|}"
    done
fi
