"""The ``fastlr`` command line: look at, tabulate, plot, compare and time schedules.

Exit status: 0 on success (``compare``: the schedules agree), 1 when
``compare`` finds a difference, 2 on any error (a bad SPEC, a bad path, a
missing optional dependency), always with a one-line message and no traceback.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from . import _summary, _tables
from ._dist import pip_install
from ._tables import ProgressBar
from ._specparse import SpecError, parse_spec

PROG = "fastlr"
PLOT_FORMATS = (".png", ".svg", ".pdf")
SPEC_HELP = ("a schedule: a call such as 'warmup_cosine(peak=1e-3, warmup_steps=4000, "
             "total_steps=40000)' or 'compat.torch.StepLR(base_lr=0.1, step_size=30)' (literal "
             "arguments only), or a .json/.toml file of Schedule.to_dict() output")
DESCRIPTION = """\
Learning-rate schedules from the command line: look at one, write its table,
plot or compare several, time the engine.

SPEC is a call of a fastlr schedule with literal arguments, quoted for the
shell, e.g. "warmup_cosine(peak=1e-3, warmup_steps=4000, total_steps=40000)"
(compat schedules as "compat.torch.OneCycleLR(base_lr=0.1, max_lr=1.0,
total_steps=1000)"), or the path of a JSON/TOML file holding the output of
Schedule.to_dict() (see 'fastlr show SPEC --json').

Without --steps, show, table, plot and compare cover 10%% past the step where
the schedule becomes constant (else its last phase boundary), or %(default)s
steps for a schedule with neither (noam, exponential, cyclic, ...).

exit status: 0 ok (compare: equal within --tol), 1 compare: they differ, 2 error."""


class CLIError(Exception):
    """An error reported as one line with exit status 2."""


# ---------------------------------------------------------------- argument types

def _count(text: str, minimum: int, what: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be an integer, got {text!r}") from None
        if not math.isfinite(as_float) or as_float != int(as_float):
            raise argparse.ArgumentTypeError(f"{what} must be an integer, got {text!r}") from None
        value = int(as_float)
    if value < minimum:
        rule = "a positive integer" if minimum == 1 else "a non-negative integer"
        raise argparse.ArgumentTypeError(f"{what} must be {rule}, got {text!r}")
    if value > 2**63 - 1:
        raise argparse.ArgumentTypeError(f"{what} must be at most 2**63 - 1, got {text!r}")
    return value


def steps_arg(text: str) -> int:
    """A positive step count: ``40000``, ``40_000`` or ``4e4``."""
    return _count(text, 1, "--steps")


def start_arg(text: str) -> int:
    """A first step (>= 0)."""
    return _count(text, 0, "--start")


def tol_arg(text: str) -> float:
    """A non-negative finite tolerance."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--tol must be a number, got {text!r}") from None
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"--tol must be a finite number >= 0, got {text!r}")
    return value


# ---------------------------------------------------------------- helpers

def load(text: str) -> Any:
    """Parse a SPEC, turning every failure into a one-line :class:`CLIError`."""
    try:
        return parse_spec(text)
    except SpecError as exc:
        raise CLIError(str(exc)) from None


def check_range(start: int, steps: int) -> None:
    if start + steps - 1 > 2**63 - 1:
        raise CLIError(f"--start + --steps - 1 must be at most 2**63 - 1, got {start + steps - 1}")


def _parent_exists(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise CLIError(f"{path}: directory {str(parent)!r} does not exist")
    if path.is_dir():
        raise CLIError(f"{path}: is a directory")


# ---------------------------------------------------------------- show

def cmd_show(args: argparse.Namespace) -> int:
    s = load(args.spec)
    if args.json:
        print(json.dumps(s.to_dict(), indent=2))
        return 0
    steps = args.steps or _summary.default_steps(s)
    check_range(args.start, steps)
    info = _summary.summarize(s, steps, args.start, width=args.width)
    print(_summary.render(s, info, defaulted=args.steps is None))
    if args.analytics:
        from . import analytics
        print(f"analytics over steps 0 … {steps - 1:,}:")
        print("\n".join(analytics.summary_lines(s, steps, weight_decay=args.weight_decay)))
    return 0


# ---------------------------------------------------------------- table

def cmd_table(args: argparse.Namespace) -> int:
    s = load(args.spec)
    steps = args.steps or _summary.default_steps(s)
    check_range(args.start, steps)
    request = _tables.values(s, steps, args.dtype, args.start, exact=args.exact)
    if args.output == "-":
        fmt = args.format or "csv"
        if fmt == "npy":
            raise CLIError("-o - streams text: use --format csv or txt, or give a .npy file name")
        _tables.write_text(sys.stdout, request, fmt)
        sys.stdout.flush()
        return 0
    path = Path(args.output)
    _parent_exists(path)
    try:
        fmt = args.format or _tables.format_of(path)
    except ValueError as exc:
        raise CLIError(f"{exc} (or choose one with --format)") from None
    _tables.write_file(path, request, fmt, ProgressBar(sys.stderr, f"writing {path.name}", args.progress))
    if not args.quiet:
        print(f"wrote {steps:,} {'exact ' if args.exact else ''}{request.dtype.name} values (steps "
              f"{args.start:,} … {args.start + steps - 1:,}) to {path} ({fmt})", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- plot

def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise CLIError("plotting needs matplotlib, which is not installed: "
                       + pip_install("plot")) from None
    return matplotlib


def cmd_plot(args: argparse.Namespace) -> int:
    path = Path(args.output)
    _parent_exists(path)
    if path.suffix.lower() not in PLOT_FORMATS:
        raise CLIError(f"{path}: the figure file must end in .png, .svg or .pdf")
    if args.label and len(args.label) != len(args.specs):
        raise CLIError(f"--label given {len(args.label)} times for {len(args.specs)} SPECs")
    schedules = [load(text) for text in args.specs]
    steps = args.steps or _summary.default_steps(*schedules)
    check_range(args.start, steps)
    _matplotlib()
    from matplotlib.figure import Figure

    from .plot import plot

    fig = Figure(figsize=(args.width, args.height), layout="constrained")
    ax = fig.subplots()
    labels = args.label or [" ".join(text.split()) for text in args.specs]
    plot(schedules, steps=steps, ax=ax, start=args.start, labels=labels, log=args.log,
         boundaries=not args.no_boundaries)
    if args.title:
        ax.set_title(args.title)
    fig.savefig(path, dpi=args.dpi)
    print(f"wrote {path}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- compare

def cmd_compare(args: argparse.Namespace) -> int:
    a, b = load(args.spec1), load(args.spec2)
    steps = args.steps or _summary.default_steps(a, b)
    check_range(args.start, steps)
    worst_abs, worst_abs_step = 0.0, args.start
    worst_rel, worst_rel_step = 0.0, args.start
    first_bad, differing = None, 0
    # exact values, so the steps and values printed below are what a(t) and b(t) return
    pairs = zip(_tables.chunks(_tables.values(a, steps, np.float64, args.start, exact=True)),
                _tables.chunks(_tables.values(b, steps, np.float64, args.start, exact=True)))
    with np.errstate(invalid="ignore", divide="ignore"):
        for (lo, va), (_, vb) in pairs:
            same = (va == vb) | (np.isnan(va) & np.isnan(vb))
            diff = np.where(same, 0.0, np.abs(va - vb))
            diff = np.where(np.isnan(diff), np.inf, diff)  # nan against a number, or inf - inf
            scale = np.maximum(np.abs(va), np.abs(vb))
            rel = np.where(diff == 0, 0.0, np.where(scale > 0, diff / scale, np.inf))
            rel = np.where(np.isnan(rel), np.inf, rel)
            i, j = int(np.argmax(diff)), int(np.argmax(rel))
            if diff[i] > worst_abs:
                worst_abs, worst_abs_step = float(diff[i]), args.start + lo + i
            if rel[j] > worst_rel:
                worst_rel, worst_rel_step = float(rel[j]), args.start + lo + j
            bad = np.flatnonzero(diff > args.tol)
            differing += bad.shape[0]
            if first_bad is None and bad.shape[0]:
                first_bad = args.start + lo + int(bad[0])
    end = args.start + steps - 1
    print(f"A: {a!r}\nB: {b!r}")
    print(f"steps {args.start:,} … {end:,} ({steps:,} steps), tolerance |A - B| <= {args.tol:g}")
    print(f"max |A - B|              {worst_abs:.6g}" + (f" at step {worst_abs_step:,}" if worst_abs else ""))
    print(f"max relative difference  {worst_rel:.6g}" + (f" at step {worst_rel_step:,}" if worst_rel else "")
          + "  (|A - B| / max(|A|, |B|))")
    if first_bad is None:
        print("agree: no step differs by more than the tolerance")
        return 0
    print(f"differ: {differing:,} steps differ by more than the tolerance; the first is step "
          f"{first_bad:,} (A = {a(first_bad)!r}, B = {b(first_bad)!r})")
    return 1


# ---------------------------------------------------------------- bench

def _median_ns(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter_ns()
        run()
        times.append(time.perf_counter_ns() - began)
    return float(np.median(times))


def numpy_warmup_cosine(out: np.ndarray, t: np.ndarray, peak: float, warm: int, total: int) -> np.ndarray:
    """The warmup+cosine closed form written with NumPy ufuncs into ``out`` (``t`` = steps)."""
    np.multiply(t[:warm], peak / warm, out=out[:warm])
    body = out[warm:total]
    np.subtract(t[warm:total], warm, out=body)
    np.multiply(body, math.pi / (total - warm), out=body)
    np.cos(body, out=body)
    np.add(body, 1.0, out=body)
    np.multiply(body, peak / 2, out=body)
    out[total:] = 0.0
    return out


def _bulk_row(s: Any, others: dict[str, Any], n: int, dtype: Any, warm: int, total: int,
              repeat: int) -> dict[str, float]:
    """Median ns per table of each bulk path, for one dtype."""
    from . import BACKEND

    buf = s.fill(np.empty(n, dtype=dtype))  # the pages are touched once before timing
    t = np.arange(n, dtype=dtype)
    scratch = np.empty(n, dtype=dtype)
    row = {
        f"fastlr s.fill(out), warm buffer [{BACKEND}]": _median_ns(lambda: s.fill(buf), repeat),
        f"fastlr s.table(n), new array [{BACKEND}]": _median_ns(lambda: s.table(n, dtype), repeat),
        "NumPy closed form with out=, warm buffer": _median_ns(
            lambda: numpy_warmup_cosine(scratch, t, 1e-3, warm, total), repeat),
    }
    for name, other in others.items():
        row[f"fastlr s.fill(out), warm buffer [{name}]"] = _median_ns(functools.partial(other.fill, buf), repeat)
    return row


def cmd_bench(args: argparse.Namespace) -> int:
    from . import BACKEND, _engine, _spec, warmup_cosine

    n, repeat = args.steps, args.repeat
    total = max(2, n)
    warm = max(1, total // 10)
    s = warmup_cosine(peak=1e-3, warmup_steps=warm, total_steps=total)
    others = {name: _spec.rebind(s, module.Engine)
              for name, module in _engine.available_engines().items() if name != BACKEND}
    print(f"fastlr bench: {s!r}\n{n:,} steps, median of {repeat} runs, active engine: {BACKEND}")
    print("(one quick run on a shared machine: use benchmarks/ for figures to publish)\n")
    rows = [_bulk_row(s, others, n, dtype, warm, total, repeat) for dtype in (np.float64, np.float32)]
    t = np.arange(n, dtype=np.float64)
    worst = float(np.max(np.abs(numpy_warmup_cosine(np.empty(n), t, 1e-3, warm, total) - s.table(n))))
    width = max(len(k) for k in rows[0])
    print(f"| {'bulk table, warmup + cosine':<{width}} | ns/step f64 | ns/step f32 |")
    print(f"| {'-' * width} | ----------: | ----------: |")
    for key in rows[0]:
        print(f"| {key:<{width}} | {rows[0][key] / n:11.2f} | {rows[1][key] / n:11.2f} |")
    print(f"\n(NumPy's float64 values differ from fastlr's by at most {worst:.3g})\n")

    m = min(n, 200_000)
    values = s.table(m).tolist()

    def call_loop() -> None:
        for k in range(m):
            s(k)

    def list_loop() -> None:
        for k in range(m):
            values[k]

    def empty_loop() -> None:
        for _ in range(m):
            pass

    loop = _median_ns(empty_loop, repeat)
    calls = {f"s(step) [{BACKEND}]": _median_ns(call_loop, repeat),
             "values[step], a precomputed Python list": _median_ns(list_loop, repeat)}
    title = f"per step, {m:,} steps in a Python loop"
    width = max(len(title), *(len(k) for k in calls))
    print(f"| {title:<{width}} | ns/call |")
    print(f"| {'-' * width} | ------: |")
    for key, ns in calls.items():
        print(f"| {key:<{width}} | {(ns - loop) / m:7.1f} |")
    print(f"\n(per-call times exclude the bare loop, {loop / m:.1f} ns/iteration)")
    return 0


# ---------------------------------------------------------------- demo

def cmd_demo(args: argparse.Namespace) -> int:
    from . import _demo

    schedules = _demo.seed_schedules()
    print(_demo.summary_text(schedules, args.steps))
    print()
    if args.no_plot:
        return 0
    path = Path(args.output or _demo.DEFAULT_OUTPUT)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if args.output:
            raise CLIError("writing the figure needs matplotlib, which is not installed: "
                           + pip_install("plot")) from None
        print("matplotlib is not installed, so no figure was written "
              f"({pip_install('plot')} to get it).")
        return 0
    if path.suffix.lower() not in PLOT_FORMATS:
        raise CLIError(f"{path}: the figure file must end in .png, .svg or .pdf")
    _parent_exists(path)
    _demo.figure(schedules, args.steps).savefig(path, dpi=110)
    print(f"Figure written to {path.resolve()}")
    return 0


# ---------------------------------------------------------------- plan

CLOCK_FLAGS = ("batch_size", "grad_accum", "world_size", "dataset_size", "steps_per_epoch", "drop_last",
               "seq_len", "rampup", "decrease_batch_size_if_needed")
RUN_LENGTHS = ("epochs", "samples", "tokens", "steps")


def _amount(flag: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"--{flag} must be a number, got {text!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"--{flag} must be a positive number, got {text!r}")
        return int(value) if value.is_integer() and abs(value) < 2**63 else value
    return parse


def cmd_plan(args: argparse.Namespace) -> int:
    import warnings

    from . import Clock, plan, units
    from .plan import render

    s = load(args.spec)
    given = {k: getattr(args, k) for k in CLOCK_FLAGS if getattr(args, k) not in (None, False)}
    clock = Clock(**given) if given else (s.args["clock"] if s.name == "clocked" else Clock())
    total = next((getattr(units, k)(getattr(args, k)) for k in RUN_LENGTHS if getattr(args, k) is not None),
                 None)
    if total is None and clock.total is None:
        raise CLIError("give the run's length: --epochs, --samples, --tokens or --steps")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        report = plan(s, clock, total=total)
    print(render(report, warnings=False))
    for message in report.warnings:
        print(f"{PROG}: warning: {message}", file=sys.stderr)
    if args.table:
        path = Path(args.table)
        _parent_exists(path)
        report.write_table(path)
        print(f"wrote {report.updates:,} rows to {path}", file=sys.stderr)
    if args.plot:
        path = Path(args.plot)
        _parent_exists(path)
        if path.suffix.lower() not in PLOT_FORMATS:
            raise CLIError(f"{path}: the figure file must end in .png, .svg or .pdf")
        _matplotlib()
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8, 4.5), layout="constrained")
        report.plot(ax=fig.subplots())
        fig.savefig(path, dpi=120)
        print(f"wrote {path}", file=sys.stderr)
    return 1 if args.strict and report.warnings else 0


def add_plan_command(command: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    """Register ``fastlr plan``."""
    p = command("plan", "dry-run a training run: LR per update, phases in epochs/tokens, warnings",
                "Lay a schedule over a training run and report the learning rate per optimizer\n"
                "update: the total number of updates, the LR at the start, peak and end, and where\n"
                "each phase boundary falls in updates, epochs, samples and tokens. Warns when the\n"
                "run stops before the schedule ends (the decay is cut) or runs on after it has\n"
                "ended (a tail at the end LR). The clock flags describe the run; without them a\n"
                "clocked SPEC (fastlr.clocked(clock=fastlr.Clock(...), ...)) brings its own.\n"
                "Exit status: 0, or 1 with --strict when there is a warning; 2 on an error.")
    p.add_argument("spec", metavar="SPEC", help=SPEC_HELP)
    count = lambda flag, low=1: (lambda x: _count(x, low, f"--{flag}"))  # noqa: E731
    clock = p.add_argument_group("the run (a fastlr.Clock)")
    clock.add_argument("--batch-size", type=count("batch-size"), metavar="B",
                       help="samples per device per forward pass (the micro-batch)")
    clock.add_argument("--grad-accum", type=count("grad-accum"), metavar="A",
                       help="forward passes per optimizer update (default 1)")
    clock.add_argument("--world-size", type=count("world-size"), metavar="W",
                       help="data-parallel devices (default 1)")
    epoch = clock.add_mutually_exclusive_group()
    epoch.add_argument("--dataset-size", type=count("dataset-size"), metavar="N", help="samples per epoch")
    epoch.add_argument("--steps-per-epoch", type=count("steps-per-epoch"), metavar="U",
                       help="optimizer updates per epoch (instead of --dataset-size)")
    clock.add_argument("--drop-last", action="store_true", help="the data loader drops each rank's short batch")
    clock.add_argument("--seq-len", type=count("seq-len"), metavar="L", help="tokens per sample")
    clock.add_argument("--rampup", type=count("rampup"), nargs=3, metavar=("START", "INCREMENT", "SAMPLES"),
                       help="Megatron-LM's --rampup-batch-size (global batch sizes, in samples)")
    clock.add_argument("--decrease-batch-size-if-needed", action="store_true",
                       help="Megatron's option: round ramp-up batches down to a multiple of "
                            "batch size * world size")
    length = p.add_argument_group("the run's length (one of)").add_mutually_exclusive_group()
    for unit in RUN_LENGTHS:
        length.add_argument(f"--{unit}", type=count(unit) if unit == "steps" else _amount(unit), metavar="X",
                            help=f"the run lasts X {unit}")
    p.add_argument("--table", metavar="FILE.csv", help="write step,lr,samples,tokens,epoch per update")
    p.add_argument("--plot", metavar="FILE", help="plot the schedule over the run (.png/.svg/.pdf)")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when there is a warning")
    p.set_defaults(run=cmd_plan)


# ---------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description=DESCRIPTION % {"default": f"{_summary.DEFAULT_STEPS:,}"})
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=description,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    steps_help = ("number of steps (default: 10%% past the step where the schedule becomes "
                  "constant, else its last phase boundary, or "
                  f"{_summary.DEFAULT_STEPS:,} for a schedule with neither)")

    p = command("show", "summarize a schedule: peak, phases, end, a sparkline",
                "Print the peak value and its step, the value at the first step, each phase\n"
                "boundary, the end, the minimum and a sparkline of the schedule.")
    p.add_argument("spec", metavar="SPEC", help=SPEC_HELP)
    p.add_argument("--steps", type=steps_arg, metavar="N", help=steps_help)
    p.add_argument("--start", type=start_arg, default=0, metavar="K", help="first step (default 0)")
    p.add_argument("--width", type=lambda x: _count(x, 1, "--width"), default=64, metavar="W",
                   help="sparkline width in characters (default 64)")
    p.add_argument("--json", action="store_true",
                   help="print the schedule's to_dict() spec as JSON instead (save it as a SPEC file)")
    p.add_argument("--analytics", action="store_true",
                   help="also print the LR area S1, the annealing area S2, the sum of lr**2 and, with "
                        "--weight-decay, AdamW's timescale (fastlr.analytics)")
    p.add_argument("--weight-decay", type=float, default=None, metavar="WD",
                   help="AdamW weight decay for the timescale 1/(lr*wd) line of --analytics")
    p.set_defaults(run=cmd_show)

    p = command("table", "write the values s(K) … s(K+N-1) to .npy, .csv or .txt",
                "Write the values of steps K … K+N-1. A .npy file holds the 1-D array of\n"
                "values (written through a memory map in chunks: constant memory for any N);\n"
                ".csv and .txt hold 'step,value' / 'step value' rows with the shortest digits\n"
                "that read back to the same float64 (or float32) value. '-o -' writes text to\n"
                "standard output. Every format holds the same numbers as\n"
                "fastlr.save_table(FILE, s, N, dtype, K, exact=...) and\n"
                "s.fill(numpy.empty(N, dtype), K, exact=...).")
    p.add_argument("spec", metavar="SPEC", help=SPEC_HELP)
    p.add_argument("--steps", type=steps_arg, metavar="N", help=steps_help)
    p.add_argument("--start", type=start_arg, default=0, metavar="K", help="first step (default 0)")
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                   help="value type (default float64)")
    p.add_argument("--exact", action="store_true",
                   help="the values s(t) returns, bit for bit (rounded once to float32); default: "
                        "the fast vector fill, as s.table() gives, within a few ulp of the peak")
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="output file (.npy, .csv or .txt), or - for standard output")
    p.add_argument("--format", choices=_tables.FORMATS,
                   help="output format (default: from the file suffix; csv for -)")
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", action="store_true", default=None,
                     help="always draw the progress bar on stderr (default: on a terminal, "
                          "for writes longer than half a second)")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never draw it")
    p.add_argument("-q", "--quiet", action="store_true", help="no closing message on stderr")
    p.set_defaults(run=cmd_table)

    p = command("plot", "plot one or more schedules to a PNG, SVG or PDF file",
                "Overlay one or more schedules with a legend; dotted lines mark phase\n"
                f"boundaries. Needs matplotlib ({pip_install('plot')}).")
    p.add_argument("specs", metavar="SPEC", nargs="+", help=SPEC_HELP)
    p.add_argument("--steps", type=steps_arg, metavar="N",
                   help=steps_help.replace("(default:", "(default, for the longest:"))
    p.add_argument("--start", type=start_arg, default=0, metavar="K", help="first step (default 0)")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="figure file: .png, .svg or .pdf")
    p.add_argument("--log", action="store_true", help="logarithmic value axis")
    p.add_argument("--label", action="append", metavar="TEXT",
                   help="legend label, once per SPEC in order (default: the SPEC text)")
    p.add_argument("--title", help="figure title")
    p.add_argument("--no-boundaries", action="store_true", help="do not mark phase boundaries")
    p.add_argument("--width", type=float, default=8.0, help="figure width in inches (default 8)")
    p.add_argument("--height", type=float, default=4.5, help="figure height in inches (default 4.5)")
    p.add_argument("--dpi", type=float, default=120, help="resolution of a PNG (default 120)")
    p.set_defaults(run=cmd_plot)

    p = command("compare", "compare two schedules step by step (exit 0 equal, 1 differ)",
                "Report the largest absolute and relative difference between two schedules\n"
                "and the first step where they differ by more than --tol. Exit status like\n"
                "diff: 0 when they agree within the tolerance, 1 when they differ, 2 on an error.")
    p.add_argument("spec1", metavar="SPEC1", help=SPEC_HELP)
    p.add_argument("spec2", metavar="SPEC2", help="the other schedule")
    p.add_argument("--steps", type=steps_arg, metavar="N",
                   help=steps_help.replace("(default:", "(default, for the longer:"))
    p.add_argument("--start", type=start_arg, default=0, metavar="K", help="first step (default 0)")
    p.add_argument("--tol", type=tol_arg, default=0.0, metavar="T",
                   help="absolute tolerance (default 0: bit-for-bit equal values)")
    p.set_defaults(run=cmd_compare)

    p = command("bench", "time bulk tables and per-step calls on this machine",
                "A quick timing table: fastlr's fill of warmup + cosine against the same formula\n"
                "in NumPy with out=, and a per-step s(step) call against indexing a list.\n"
                "Medians of a few runs; for figures to publish use benchmarks/.")
    p.add_argument("--steps", type=steps_arg, default=1_000_000, metavar="N",
                   help="table length (default 1,000,000)")
    p.add_argument("--repeat", type=lambda x: _count(x, 1, "--repeat"), default=5, metavar="R",
                   help="runs per measurement (default 5)")
    p.set_defaults(run=cmd_bench)

    p = command("demo", "the founding blog post's five schedules (six curves): a summary and the figure",
                "Rebuild the founding blog post's five schedules (TF CosineDecay, ExponentialDecay,\n"
                "PiecewiseConstantDecay, a warmup with 1/step decay, and the Transformer schedule\n"
                "at d_model 128 and 512: six curves) from the native catalog; print a summary and\n"
                "write the figure (a panel per schedule and one with all six curves; needs\n"
                "matplotlib). Keras's PiecewiseConstantDecay changes value one step after each\n"
                "boundary, fastlr's piecewise_constant at it: the boundaries are shifted by one.")
    p.add_argument("-o", "--output", metavar="FILE",
                   help=f"figure file, .png/.svg/.pdf (default ./{'fastlr-demo.png'})")
    p.add_argument("--no-plot", action="store_true", help="print the summary only")
    p.add_argument("--steps", type=steps_arg, default=40_000, metavar="N",
                   help="number of steps (default 40,000, as in the post)")
    p.set_defaults(run=cmd_demo)
    add_plan_command(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except CLIError as exc:
        return _fail(str(exc))
    except (ValueError, TypeError, ArithmeticError) as exc:
        return _fail(" ".join(str(exc).split()) or type(exc).__name__)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            return _broken_pipe()
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        return _fail(f"{where}{exc.strerror or exc}")
    except MemoryError:
        return _fail("out of memory")
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def _broken_pipe() -> int:
    """The reader of standard output went away (``fastlr table ... -o - | head``)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def run() -> None:
    """Entry point of ``python -m fastlr`` and the ``fastlr`` console script."""
    sys.exit(main())
