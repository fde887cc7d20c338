"""The command line, run as a user runs it: ``python -m fastlr ...`` in a subprocess."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits
from fastlr._specparse import parse_spec

WC = "warmup_cosine(peak=1e-3, warmup_steps=4000, total_steps=40000)"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SPARK = "▁▂▃▄▅▆▇█"
BLOCK_MATPLOTLIB = "import sys; sys.modules['matplotlib'] = None; "


def run(*args: str, backend: str | None = None, cwd: Path | None = None,
        code: str | None = None) -> subprocess.CompletedProcess:
    """``python -m fastlr ARGS`` (or ``python -c CODE ARGS``), text output captured."""
    env = dict(os.environ)
    # the fastlr under test, whatever the working directory (an installed copy may differ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(fastlr.__file__).parent.parent),
                                         *filter(None, [env.get("PYTHONPATH")])])
    if backend is not None:
        env["FASTLR_BACKEND"] = backend
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "fastlr", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def run_without_matplotlib(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The CLI in a process where ``import matplotlib`` fails."""
    return run(*args, cwd=cwd, code=BLOCK_MATPLOTLIB + "from fastlr.cli import main; sys.exit(main())")


def assert_error(result: subprocess.CompletedProcess, *expected: str) -> str:
    """Exit status 2, one line on stderr naming the problem, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fastlr: error: ")
    for text in expected:
        assert text in lines[0]
    return lines[0]


# ---------------------------------------------------------------- help

@pytest.mark.parametrize("command", ["", "show", "table", "plot", "compare", "bench", "demo"])
def test_help(command):
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert "usage: fastlr" in result.stdout


def test_version_and_console_script():
    assert run("--version").stdout.strip() == f"fastlr {fastlr.__version__}"
    script = Path(sys.executable).with_name("fastlr")
    if not script.exists():
        pytest.skip("the fastlr console script is not installed next to this interpreter")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"fastlr {fastlr.__version__}"


def test_no_command_is_a_usage_error():
    result = run()
    assert result.returncode == 2 and "usage: fastlr" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- show

def test_show_defaults_to_ten_percent_past_the_end(engine):
    result = run("show", WC, backend=engine.name)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "0 … 43,999  (44,000 steps; default: 10% past step 40,000, where it becomes constant)" in out
    assert "peak       0.001 at step 4,000" in out
    assert "step 4,000 -> 0.001" in out and "step 40,000 -> 0" in out
    assert "end        0 at step 43,999" in out


def test_show_without_an_end_uses_the_documented_default():
    out = run("show", "noam(512)").stdout
    assert "0 … 9,999  (10,000 steps; default for a schedule with no end)" in out
    assert "at step 4,000" in out  # the peak of noam is its warmup step


def test_show_of_a_schedule_whose_last_phase_never_stops_uses_its_last_boundary():
    out = run("show", "warmup_inverse(1e-3, 4000)").stdout
    assert "0 … 4,399  (4,400 steps; default: 10% past step 4,000, its last phase boundary)" in out


# float32 peer schedules are one float32 formula from step 0 (no phase boundary); their end is
# where the peer clamps its step: decay_steps, warmup + decay_steps, transition_begin + steps
FLOAT32_ENDS = [
    ("compat.optax.cosine_decay_schedule(init_value=1e-3, decay_steps=1000)", 1000),
    ("compat.optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=1e-3, warmup_steps=100, "
     "decay_steps=1000)", 1000),
    ("compat.optax.linear_schedule(init_value=1e-3, end_value=1e-5, transition_steps=300, "
     "transition_begin=200)", 500),
    ("compat.keras.CosineDecay(initial_learning_rate=1e-3, decay_steps=2000)", 2000),
    ("compat.keras.CosineDecay(initial_learning_rate=0.0, decay_steps=2000, warmup_target=1e-3, "
     "warmup_steps=300)", 2300),
    ("compat.tf_keras.PolynomialDecay(initial_learning_rate=1e-3, decay_steps=700)", 700),
]


@pytest.mark.parametrize("spec, end", FLOAT32_ENDS)
def test_float32_peer_schedules_default_to_ten_percent_past_their_end(spec, end):
    steps = end + -(-end // 10)
    out = run("show", spec).stdout
    assert f"0 … {steps - 1:,}  ({steps:,} steps; default: 10% past step {end:,}, where it becomes " \
           "constant)" in out, out
    table = run("table", spec, "-o", "-").stdout.splitlines()
    assert len(table) == 1 + steps and table[-1].startswith(f"{steps - 1},")
    schedule = parse_spec(spec)
    assert schedule(end - 1) != schedule(end)  # the end is the first constant step, not later
    assert len({schedule(t) for t in (end, end + 1, 10 * end, 2**40)}) == 1


def test_show_range_and_sparkline_width():
    out = run("show", "linear(1.0, 100)", "--steps", "50", "--start", "60", "--width", "10").stdout
    assert "60 … 109  (50 steps)" in out
    assert "peak       0.4 at step 60" in out
    sparkline = [line.strip() for line in out.splitlines() if set(line.strip()) <= set("▁▂▃▄▅▆▇█?")][0]
    assert len(sparkline) == 10 and sparkline[0] == "█" and sparkline[-1] == "▁"


def _sparkline_rows(out: str) -> list[str]:
    """The sparkline rows of ``fastlr show`` output, notes stripped."""
    return [line.split()[0] for line in out.splitlines()
            if line.strip() and set(line.split()[0]) <= set(SPARK + "?")]


def _expected_levels(values: np.ndarray, low: float, high: float) -> list[int]:
    return [min(7, max(0, round((v - low) / (high - low) * 7))) for v in values.tolist()]


def test_show_draws_each_columns_maximum_and_minimum_so_restarts_stay_visible(engine):
    # restarts every 1,100 steps fall inside 250-step columns: an average of the column would
    # draw them at a middle height; the maximum draws them at the peak, and the minimum row
    # shows the cycle reaching ~0 just before (a dip the maxima alone would hide)
    s = engine.bind(fastlr.cosine_restarts(1.0, 1100))
    out = run("show", repr(s), "--steps", "10000", "--width", "40", backend=engine.name).stdout
    top, bottom = _sparkline_rows(out)
    values = s.table(10000, exact=True).reshape(40, 250)
    assert [SPARK.index(c) for c in top] == _expected_levels(values.max(axis=1), 0.0, 1.0)
    assert [SPARK.index(c) for c in bottom] == _expected_levels(values.min(axis=1), 0.0, 1.0)
    for restart in range(1100, 10000, 1100):
        assert top[restart // 250] == "█", (restart, top)
        if restart % 250:  # inside a column, which then also holds the end of the previous cycle
            assert bottom[restart // 250] == "▁", (restart, bottom)


def test_show_of_a_smooth_schedule_draws_one_row():
    out = run("show", WC).stdout
    (row,) = _sparkline_rows(out)
    assert "per column" not in out and len(row) == 64


def test_show_adds_the_minimum_row_when_cycles_are_shorter_than_a_column(engine):
    s = engine.bind(fastlr.cyclic(0.1, 1.0, 50))  # a 100-step cycle, 500-step columns
    out = run("show", repr(s), "--steps", "10000", "--width", "20", backend=engine.name).stdout
    top, bottom = _sparkline_rows(out)
    values = s.table(10000, exact=True).reshape(20, 500)
    assert [SPARK.index(c) for c in top] == _expected_levels(values.max(axis=1), 0.0, 1.0) == [7] * 20
    assert [SPARK.index(c) for c in bottom] == _expected_levels(values.min(axis=1), 0.0, 1.0) == [1] * 20
    assert f"  {top}  max per column" in out and f"  {bottom}  min per column" in out


def test_show_of_a_table_file_says_what_to_pass_instead(tmp_path):
    path = tmp_path / "lr.npy"
    assert run("table", "cosine(1.0, 10)", "-o", str(path), "-q").returncode == 0
    for command in (["show", str(path)], ["plot", str(path), "-o", str(tmp_path / "lr.png")],
                    ["show", "lr.csv"]):
        assert_error(run(*command, cwd=tmp_path), "is a table of values", "not a schedule spec",
                     "cosine(1e-3, 1000)", "fastlr show SPEC --json")
    spec = tmp_path / "spec.txt"  # a JSON spec under a table's suffix still reads as a spec
    spec.write_text(run("show", "cosine(1.0, 10)", "--json").stdout)
    assert run("show", str(spec)).stdout == run("show", "cosine(1.0, 10)").stdout


def test_show_json_is_a_spec_file(tmp_path):
    result = run("show", WC, "--json")
    spec = json.loads(result.stdout)
    assert fastlr.from_dict(spec) == fastlr.warmup_cosine(peak=1e-3, warmup_steps=4000, total_steps=40000)
    path = tmp_path / "wc.json"
    path.write_text(result.stdout)
    assert run("show", str(path)).stdout == run("show", WC).stdout


# ---------------------------------------------------------------- table

# kinds whose default (vector) fill differs from the exact one on the compiled engine, a
# boundary, and more rows than one text chunk (65,536): every output must hold the same bits
MIXED = fastlr.join([fastlr.warmup_cosine(1e-3, 1000, 50_000, end=1e-5),
                     fastlr.cosine_restarts(1e-3, 3000, period_mult=1.5)], [60_000])
MIXED_START, MIXED_STEPS = 4321, 70_000


def _read_back(output: str, path: Path, stdout: str, dtype: str) -> np.ndarray:
    if output == "npy":
        return np.load(path)
    text = stdout if output == "stdout" else path.read_text()
    sep = "," if output in ("csv", "stdout") else " "
    rows = text.splitlines()[1:]
    steps = [int(row.split(sep)[0]) for row in rows]
    assert steps == list(range(MIXED_START, MIXED_START + MIXED_STEPS))
    kind = np.dtype(dtype).type
    return np.array([kind(row.split(sep)[1]) for row in rows], dtype=dtype)


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("output", ["npy", "csv", "txt", "stdout"])
def test_table_holds_the_same_values_in_every_format(engine, tmp_path, output, dtype, exact):
    s = engine.bind(MIXED)
    path = tmp_path / f"lr.{output}"
    args = ["table", repr(s), "--steps", str(MIXED_STEPS), "--start", str(MIXED_START), "--dtype", dtype,
            "-o", "-" if output == "stdout" else str(path), *(["--exact"] if exact else [])]
    result = run(*args, backend=engine.name)
    assert result.returncode == 0, result.stderr
    got = _read_back(output, path, result.stdout, dtype)
    assert got.dtype == np.dtype(dtype) and got.shape == (MIXED_STEPS,)
    want = s.fill(np.empty(MIXED_STEPS, dtype), start=MIXED_START, exact=exact)
    assert_same_bits(got, want)
    if output != "stdout":  # the library's writer gives the very same file
        library = fastlr.save_table(tmp_path / f"lib.{output}", s, MIXED_STEPS, dtype, MIXED_START,
                                    exact=exact, progress=False)
        assert library.read_bytes() == path.read_bytes()
    if exact:  # and the same bits as the calls
        steps = np.arange(MIXED_START, MIXED_START + MIXED_STEPS, 1009)
        assert_same_bits(got[steps - MIXED_START], [np.dtype(dtype).type(s(int(k))) for k in steps])


def test_mixed_schedule_separates_default_from_exact_fills(engine):
    """On the compiled engine with vector math, the default fill of MIXED differs from the exact one."""
    s = engine.bind(MIXED)
    fast = s.fill(np.empty(MIXED_STEPS), start=MIXED_START)
    exact = s.fill(np.empty(MIXED_STEPS), start=MIXED_START, exact=True)
    vector = engine.name == "cython" and engine.module.VECTOR_MATH
    assert np.array_equal(fast, exact) != bool(vector)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_table_from_step_zero_equals_s_table(engine, tmp_path, dtype):
    s = engine.bind(fastlr.warmup_cosine(peak=1e-3, warmup_steps=4000, total_steps=40000))
    path = tmp_path / "lr.npy"
    result = run("table", WC, "--steps", "50000", "--dtype", dtype, "-o", str(path), backend=engine.name)
    assert result.returncode == 0, result.stderr
    assert f"wrote 50,000 {dtype} values (steps 0 … 49,999)" in result.stderr
    assert_same_bits(np.load(path), s.table(50000, dtype))
    exact = run("table", WC, "--steps", "50000", "--dtype", dtype, "--exact", "-o", str(path),
                backend=engine.name)
    assert f"wrote 50,000 exact {dtype} values" in exact.stderr
    assert_same_bits(np.load(path), s.table(50000, dtype, exact=True))


def test_table_start(engine, tmp_path):
    s = engine.bind(fastlr.piecewise_constant([10001, 20001, 30001], [0.001, 0.0008, 0.0004, 0.0001]))
    path = tmp_path / "lr.npy"
    run("table", repr(s), "--steps", "3", "--start", "10000", "-o", str(path), "-q", backend=engine.name)
    assert np.load(path).tolist() == [0.001, 0.0008, 0.0008]


@pytest.mark.parametrize("spec, steps", [("cosine(1.0, 1000)", 1100), ("warmup_inverse(1.0, 40)", 44),
                                         ("noam(512)", 10_000)])
def test_table_steps_default_like_show(spec, steps):
    out = run("table", spec, "-o", "-").stdout.splitlines()
    assert len(out) == 1 + steps and out[-1].startswith(f"{steps - 1},")
    assert f"({steps:,} steps; default" in run("show", spec).stdout


def test_table_to_stdout(engine):
    s = engine.bind(fastlr.cosine(1.0, 10))
    result = run("table", "cosine(1.0, 10)", "--steps", "12", "-o", "-", backend=engine.name)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "step,value"
    assert [float(line.split(",")[1]) for line in lines[1:]] == s.table(12).tolist()
    txt = run("table", "cosine(1.0, 10)", "--steps", "2", "-o", "-", "--format", "txt", "--exact").stdout
    assert txt.splitlines() == ["# step value", "0 1.0", f"1 {s(1)!r}"]


def test_table_to_a_closed_pipe_is_quiet():
    process = subprocess.Popen([sys.executable, "-m", "fastlr", "table", WC, "--steps", "3000000", "-o", "-"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline() == b"step,value\n"
    process.stdout.close()
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0 and b"Traceback" not in err, err


def test_table_format_option_overrides_the_suffix(tmp_path):
    path = tmp_path / "values.dat"
    assert run("table", "constant(2.5)", "--steps", "3", "-o", str(path), "--format", "csv").returncode == 0
    assert path.read_text() == "step,value\n0,2.5\n1,2.5\n2,2.5\n"


def test_table_progress_bar(tmp_path):
    result = run("table", WC, "--steps", "3000000", "-o", str(tmp_path / "lr.npy"), "--progress")
    assert result.returncode == 0
    assert "100%  3,000,000/3,000,000 steps" in result.stderr
    assert "/3,000,000 steps" in result.stderr.split("100%")[0] and ", ETA " in result.stderr
    quiet = run("table", WC, "--steps", "3000000", "-o", str(tmp_path / "lr.npy"), "--no-progress", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_table_errors(tmp_path):
    assert_error(run("table", WC, "--steps", "10", "-o", str(tmp_path / "lr.bin")), "must end in .npy, .csv or .txt")
    assert_error(run("table", WC, "--steps", "10", "-o", str(tmp_path / "no" / "lr.npy")), "does not exist")
    assert_error(run("table", WC, "--steps", "10", "-o", str(tmp_path)), "is a directory")
    assert_error(run("table", WC, "--steps", "10", "-o", "-", "--format", "npy"), "-o - streams text")
    assert_error(run("table", WC, "--steps", "10", "--start", str(2**63 - 5), "-o", "-"), "at most 2**63 - 1")
    assert_error(run("table", "cosine(1.0)", "--steps", "10", "-o", "-"), "missing a required argument")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs, where no file can be created")
def test_table_into_an_unwritable_directory():
    assert_error(run("table", WC, "--steps", "10", "-o", "/sys/lr.npy"), "/sys/lr.npy: ")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_table_to_a_full_device():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "fastlr", "table", WC, "--steps", "100000", "-o", "-"],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert_error(result, "No space left on device")


@pytest.mark.parametrize("args", [["--steps", "0"], ["--steps", "-5"], ["--steps", "1.5"], ["--start", "-1"]])
def test_bad_step_arguments_are_usage_errors(args):
    result = run("table", WC, "-o", "-", *(["--steps", "10"] if args[0] == "--start" else []), *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "must be a" in result.stderr


def test_steps_accept_underscores_and_exponents():
    assert len(run("table", "constant(1.0)", "--steps", "1_0", "-o", "-").stdout.splitlines()) == 11
    assert len(run("table", "constant(1.0)", "--steps", "1e1", "-o", "-").stdout.splitlines()) == 11


# ---------------------------------------------------------------- bad specs and paths, every command

BAD_SPECS = [
    ("cosin(1e-3, 100)", "'cosin' names no fastlr schedule"),
    ("cosine(1e-3, steps=-1)", "steps must be a non-negative integer"),
    ("cosine(1e-3, 10", "not a valid expression"),
    ("__import__('os').system('true')", "only calls of named fastlr schedules"),
    ("missing.json", "missing.json: no such file"),
    ("compat.nosuch.Thing()", "names no fastlr schedule"),
]


@pytest.mark.parametrize("spec, message", BAD_SPECS)
def test_bad_spec_show(tmp_path, spec, message):
    assert_error(run("show", spec, cwd=tmp_path), message)


@pytest.mark.parametrize("command", ["table", "plot", "compare"])
def test_bad_spec_every_command(tmp_path, command):
    spec, message = BAD_SPECS[0]
    args = {"table": ["table", spec, "--steps", "10", "-o", str(tmp_path / "t.npy")],
            "plot": ["plot", "constant(1.0)", spec, "-o", str(tmp_path / "p.png")],
            "compare": ["compare", "constant(1.0)", spec]}[command]
    assert_error(run(*args, cwd=tmp_path), message)
    assert os.listdir(tmp_path) == []


def test_bad_json_spec_file(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"fastlr": 1, "kind": "cosine", "args": {"start": "x", "steps": 3}}')
    assert_error(run("show", str(path)), str(path), "start must be a real number")


# ---------------------------------------------------------------- plot

def test_plot_png(tmp_path):
    pytest.importorskip("matplotlib", reason="plotting needs the plot extra")
    path = tmp_path / "lr.png"
    result = run("plot", WC, "noam(512)", "piecewise_constant([100, 200], [1e-3, 5e-4, 1e-4])", "-o", str(path))
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000


def test_plot_svg_with_options(tmp_path):
    pytest.importorskip("matplotlib", reason="plotting needs the plot extra")
    path = tmp_path / "lr.svg"
    result = run("plot", WC, "noam(128)", "-o", str(path), "--log", "--steps", "20000", "--start", "100",
                 "--label", "warmup+cosine", "--label", "Noam 128", "--title", "two schedules")
    assert result.returncode == 0, result.stderr
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    text = path.read_text()
    assert "warmup+cosine" in text and "Noam 128" in text and "two schedules" in text


def test_plot_pdf(tmp_path):
    pytest.importorskip("matplotlib", reason="plotting needs the plot extra")
    path = tmp_path / "lr.pdf"
    assert run("plot", "cosine(1.0, 100)", "-o", str(path)).returncode == 0
    assert path.read_bytes().startswith(b"%PDF-")


def test_plot_errors(tmp_path):
    assert_error(run("plot", WC, "-o", str(tmp_path / "lr.jpg")), "must end in .png, .svg or .pdf")
    assert_error(run("plot", WC, "-o", str(tmp_path / "no" / "lr.png")), "does not exist")
    assert_error(run("plot", WC, "noam(1)", "--label", "one", "-o", str(tmp_path / "lr.png")),
                 "--label given 1 times for 2 SPECs")
    assert os.listdir(tmp_path) == []


def test_plot_without_matplotlib_says_what_to_install(tmp_path):
    result = run_without_matplotlib("plot", WC, "-o", str(tmp_path / "lr.png"))
    assert_error(result, "needs matplotlib", "pip install 'fastlr-schedules[plot]'")
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- compare

def test_compare_equal_schedules(engine):
    result = run("compare", WC, "warmup(cosine(1e-3, 36000), 4000)", "--steps", "50000", backend=engine.name)
    assert result.returncode == 0, result.stderr
    assert "max |A - B|              0\n" in result.stdout
    assert "agree" in result.stdout


def test_compare_reports_the_first_difference(engine):
    a = fastlr.piecewise_constant([100, 200], [3.0, 2.0, 1.0])
    b = fastlr.piecewise_constant([100, 201], [3.0, 2.0, 1.5])
    result = run("compare", repr(a), repr(b), "--steps", "300", backend=engine.name)
    assert result.returncode == 1, result.stderr
    assert "max |A - B|              1 at step 200" in result.stdout
    assert "differ: 100 steps differ by more than the tolerance; the first is step 200 (A = 1.0, B = 2.0)" \
        in result.stdout
    within = run("compare", repr(a), repr(b), "--steps", "300", "--tol", "1")
    assert within.returncode == 0 and "agree" in within.stdout
    before = run("compare", repr(a), repr(b), "--steps", "200")
    assert before.returncode == 0


def test_compare_default_steps_cover_both():
    out = run("compare", "cosine(1.0, 100)", "cosine(1.0, 1000)").stdout
    assert "steps 0 … 1,099 (1,100 steps)" in out


def test_compare_errors():
    assert_error(run("compare", "cosine(1.0, 10)", "nope(1)"), "'nope' names no fastlr schedule")
    result = run("compare", "cosine(1.0, 10)", "cosine(1.0, 10)", "--tol", "-1")
    assert result.returncode == 2 and "--tol must be a finite number >= 0" in result.stderr


# ---------------------------------------------------------------- bench

def test_bench_prints_the_table():
    result = run("bench", "--steps", "20000", "--repeat", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "| bulk table, warmup + cosine" in out and "ns/step f64 | ns/step f32 |" in out
    assert f"fastlr s.fill(out), warm buffer [{fastlr.BACKEND}]" in out
    assert "NumPy closed form with out=" in out
    assert f"s(step) [{fastlr.BACKEND}]" in out and "values[step], a precomputed Python list" in out


def test_numpy_formula_of_bench_is_warmup_cosine():
    from fastlr.cli import numpy_warmup_cosine

    n, warm, total = 1000, 100, 900
    t = np.arange(n, dtype=np.float64)
    got = numpy_warmup_cosine(np.empty(n), t, 2.0, warm, total)
    want = fastlr.warmup_cosine(2.0, warm, total).table(n)
    assert np.max(np.abs(got - want)) <= 4 * np.spacing(2.0)


# ---------------------------------------------------------------- demo

def test_demo_writes_the_figure(tmp_path):
    pytest.importorskip("matplotlib", reason="the demo's figure needs the plot extra")
    result = run("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "fastlr-demo.png"
    assert f"Figure written to {path}" in result.stdout
    assert path.read_bytes().startswith(PNG_MAGIC)
    for label in ("CosineDecay(0.001, 4000)", "ExponentialDecay(0.001, 4000, 0.9)",
                  "PiecewiseConstantDecay", "Noam, d_model 128", "Noam, d_model 512"):
        assert label in result.stdout


def test_demo_output_option(tmp_path):
    pytest.importorskip("matplotlib", reason="the demo's figure needs the plot extra")
    path = tmp_path / "seed.svg"
    assert run("demo", "-o", str(path)).returncode == 0
    assert ET.parse(path).getroot().tag.endswith("svg")


def test_demo_without_matplotlib_still_prints_the_summary(tmp_path):
    result = run_without_matplotlib("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "peak" in result.stdout and "Noam, d_model 128" in result.stdout
    assert "matplotlib is not installed, so no figure was written (pip install 'fastlr-schedules[plot]'" in result.stdout
    assert os.listdir(tmp_path) == []
    explicit = run_without_matplotlib("demo", "-o", str(tmp_path / "seed.png"))
    assert_error(explicit, "needs matplotlib")


def test_demo_no_plot(tmp_path):
    result = run("demo", "--no-plot", cwd=tmp_path)
    assert result.returncode == 0 and "Figure" not in result.stdout
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("backend", ["cython", "python"])
def test_show_prints_the_analytics_when_asked(backend):
    import re
    if backend == "cython" and fastlr.BACKEND != "cython":
        pytest.skip("the compiled engine is not active")
    s = fastlr.warmup_linear(2e-3, 10, 200, end=1e-4)
    result = run("show", repr(s).removeprefix("fastlr."), "--steps", "300", "--analytics",
                 "--weight-decay", "0.5", backend=backend)
    assert result.returncode == 0, result.stderr
    area = float(re.search(r"S1 = (\S+)", result.stdout).group(1))
    assert area == pytest.approx(math.fsum(s(t) for t in range(300)), rel=1e-5)  # printed to 6 digits
    tau = float(re.search(r"1/\(lr\*wd\) = (\S+) steps", result.stdout).group(1))
    assert tau == pytest.approx(1 / (1e-4 * 0.5), rel=1e-5)
    assert "analytics" not in run("show", "constant(0.1)").stdout
