#!/usr/bin/env python3
"""fastlr against NumPy, a hand-written C loop over glibc vector math, and peers.

Runs everything in one process (median of --repeats timed runs after one
warm-up run, GC off, warm preallocated output buffers) and prints markdown
tables of ns/step and ratios:

  A. warmup+cosine, --n steps, float64 and float32: fastlr (1 thread, the
     default thread count, exact=True, the NumPy engine) vs every NumPy form,
     the C limit (benchmarks/limits.c, compiled now) and optional peers;
  B. every kind, float64: fastlr vs the C loop and the fastest NumPy form;
  C. every NumPy form tried, with its max deviation from fastlr's exact table;
  D. per-step s(t) vs lst[i] (and torch ``scheduler.step()`` when installed);
  E. (--threads-sweep) the fill size where a second thread starts to pay;
  F. (--save N) fastlr.save_table of N float32 values.

Every figure printed is measured in the same run, or computed from such
figures (ratios); benchmarks/_report.py refuses any other table cell.

    python benchmarks/compare.py                      # about 2 minutes
    python benchmarks/compare.py --n 1000000 --repeats 3 --only cosine
    python benchmarks/compare.py --quick --no-peers   # seconds: a smoke run, figures meaningless
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fastlr  # noqa: E402
from fastlr import _engine, _spec, _threads  # noqa: E402
from _cases import PEAK, Scratch, cases  # noqa: E402
from _limits import Limits  # noqa: E402
from _report import Measured, cell, derived, fmt, ratio, table  # noqa: E402


CLOCK = time.perf_counter  # --clock cpu: time.thread_time for single-threaded rows


def median_time(fn, repeats: int, clock=None) -> Measured:
    """Median seconds of ``fn()`` over ``repeats`` runs after one warm-up run.

    ``clock`` defaults to the --clock choice; multi-threaded rows pass
    ``time.perf_counter`` (wall time) explicitly.
    """
    clock = clock or CLOCK
    fn()
    times = []
    for _ in range(repeats):
        gc.disable()
        try:
            t0 = clock()
            fn()
            times.append(clock() - t0)
        finally:
            gc.enable()
    return Measured(statistics.median(times))


def ns(seconds: Measured, items: int) -> Measured:
    return derived(seconds / items * 1e9, seconds)


def deviation(got: np.ndarray, want: np.ndarray) -> Measured:
    """max |got - want| / max |want|."""
    return Measured(np.max(np.abs(got.astype(np.float64) - want)) / np.max(np.abs(want)))


def ulp32_deviation(got: np.ndarray, want: np.ndarray) -> Measured:
    """max |got - want| in float32 ulps of the peak."""
    return Measured(np.max(np.abs(got.astype(np.float64) - want)) / np.spacing(np.float32(PEAK)))


def dev_cell(dev: Measured) -> str:
    return cell(f"{dev:.1e}", dev)


def ulp32_cell(dev: Measured) -> str:
    return cell(f"{dev:.2f} ulp32(peak)", dev)


def run_form(form, scratch, out):
    result = form(scratch, out)
    return out if result is None else result


def machine_header(limits: Limits) -> None:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from fastlr import _engine_c
    symbols = []
    if shutil.which("nm"):
        out = subprocess.run(["nm", "-D", _engine_c.__file__], capture_output=True, text=True).stdout
        symbols = sorted(set(re.findall(r"_ZGV\w+", out)))
    print(f"- machine: {cpu}, {os.cpu_count()} logical CPUs ({_threads.cores()} usable), "
          f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- Python {platform.python_version()}, NumPy {np.__version__}, fastlr {fastlr.__version__} "
          f"(BACKEND={fastlr.BACKEND}, vector math: {_engine_c.VECTOR_MATH})")
    print(f"- fastlr's libmvec calls: {', '.join(symbols) or 'none'}")
    print(f"- C limit: `{limits.command_line()}`; calls {', '.join(limits.vector_symbols) or 'no _ZGV symbols'}")
    print(f"- clock: {'this thread' + chr(39) + 's CPU time (time.thread_time)' if CLOCK is time.thread_time else 'wall time (time.perf_counter)'}"
          " for single-threaded rows; wall time for rows using threads")


def fill_figures(fill, n: int, R: int, check, clock=None) -> tuple[Measured, Measured]:
    """ns/step of ``fill()`` (median of R runs) and ``check`` of the array one more call returns."""
    return ns(median_time(fill, R, clock), n), check(fill())


def a_rows(dtype: str, measured, best: Measured, limit: Measured, store: Measured, dev_cell) -> list[list[str]]:
    """Table A rows: (label, ns/step, deviation) each, then the store-only floor."""
    rows = [[dtype, label, fmt(v), ratio(best, v), ratio(v, limit), dev_cell(dev)] for label, v, dev in measured]
    rows.append([dtype, "store only (`out.fill`)", fmt(store), "", ratio(store, limit), ""])
    return rows


def bulk(args, limits: Limits, all_cases) -> None:
    n, R = args.n, args.repeats
    py_engine = _engine.available_engines()["python"].Engine
    out64 = np.ones(n)
    s64 = Scratch(n)
    rows_a, rows_b, rows_c = [], [], []
    for case in all_cases:
        if args.only and args.only not in case.name:
            continue
        s = case.schedule
        py = _spec.rebind(s, py_engine)
        exact = s.table(n, exact=True)

        def vs_exact(got):
            return deviation(got, exact)
        one, dev_one = fill_figures(lambda: s.fill(out64, threads=1), n, R, vs_exact)
        auto, dev_auto = fill_figures(lambda: s.fill(out64), n, R, vs_exact, time.perf_counter)
        precise, dev_precise = fill_figures(lambda: s.fill(out64, exact=True, threads=1), n, R, vs_exact)
        pyeng, dev_pyeng = fill_figures(lambda: py.fill(out64), n, max(1, R // 2), vs_exact)
        limit, dev_limit = fill_figures(lambda: limits.run(case.limit, out64, case.limit_params) or out64,
                                        n, R, vs_exact)
        forms = {label: fill_figures(lambda: run_form(form, s64, out64), n, R, vs_exact)
                 for label, form in case.forms.items()}
        rows_c.extend([case.name, "float64", label, fmt(v), dev_cell(dev)] for label, (v, dev) in forms.items())
        best_label = min(forms, key=lambda label: forms[label][0])
        best = forms[best_label][0]
        if case.name == "warmup_cosine":
            measured = [
                ("fastlr, 1 thread", one, dev_one),
                (f"fastlr, default threads ({_threads.plan(n, None)})", auto, dev_auto),
                ("fastlr, exact=True, 1 thread", precise, dev_precise),
                ("fastlr NumPy engine", pyeng, dev_pyeng),
                *((f"NumPy {label}", v, dev) for label, (v, dev) in forms.items()),
                ("C loop, libmvec (the limit)", limit, dev_limit),
            ]
            store = ns(median_time(lambda: out64.fill(1.0), R), n)
            rows_a.extend(a_rows("float64", measured, best, limit, store, dev_cell))
            if not args.no_peers:
                m = min(n, 1_000_000)
                pure = pure_python_warmup_cosine(m, R)
                peers = [(f"pure Python list comprehension, `math.cos` ({m:,} steps)", pure), *jax_rows(n, R)]
                rows_a.extend(["float64", label, fmt(v), ratio(best, v), ratio(v, limit), ""] for label, v in peers)
            rows_a.extend(float32_rows(case, n, R, limits, rows_c))
        rows_b.append([case.name, fmt(one), fmt(auto), fmt(precise), fmt(limit), ratio(one, limit),
                       cell(f"{fmt(best)} ({best_label})", best), ratio(best, one), ratio(best, auto),
                       fmt(pyeng), cell(f"{dev_one:.0e}", dev_one)])
    if rows_a:
        table(f"A. warmup+cosine, {n:,} steps, warm buffers: ns/step (median of {R})",
              ["dtype", "approach", "ns/step", "fastest NumPy ÷ this", "this ÷ C limit", "max dev. from exact"],
              rows_a, labels=2)
    table(f"B. every kind, float64, {n:,} steps: ns/step (median of {R})",
          ["schedule", "fastlr 1 thread", "fastlr default threads", "fastlr exact", "C limit",
           "fastlr 1t ÷ C", "fastest NumPy (form)", "NumPy ÷ fastlr 1t", "NumPy ÷ fastlr default",
           "NumPy engine", "fast vs exact /peak"], rows_b)
    table("C. every NumPy form tried (ns/step; deviation = max |numpy - fastlr exact| / peak)",
          ["schedule", "dtype", "NumPy form", "ns/step", "deviation"], rows_c, labels=3)


def float32_rows(case, n: int, R: int, limits: Limits, rows_c: list[list[str]]) -> list[list[str]]:
    """Table A's float32 rows (fastlr, every NumPy float32 form, the float32 C limit); C's go to ``rows_c``."""
    s, out32, s32 = case.schedule, np.ones(n, np.float32), Scratch(n, np.float32)
    exact32 = s.table(n, np.float32, exact=True)

    def vs_exact(got):
        return ulp32_deviation(got, exact32)

    def both(got):  # table A gives ulp32(peak), table C the relative deviation
        return ulp32_deviation(got, exact32), deviation(got, exact32)
    forms = {label: fill_figures(lambda: run_form(form, s32, out32), n, R, both)
             for label, form in case.forms32.items()}
    rows_c.extend([case.name, "float32", label, fmt(v), dev_cell(rel)] for label, (v, (_, rel)) in forms.items())
    limit, dev_limit = fill_figures(lambda: limits.run(case.limit32, out32, case.limit_params) or out32,
                                    n, R, vs_exact)
    measured = [
        ("fastlr, 1 thread (double vector math, rounded once)",
         *fill_figures(lambda: s.fill(out32, threads=1), n, R, vs_exact)),
        (f"fastlr, default threads ({_threads.plan(n, None)})",
         *fill_figures(lambda: s.fill(out32), n, R, vs_exact, time.perf_counter)),
        ("fastlr, exact=True (double math), 1 thread",
         *fill_figures(lambda: s.fill(out32, exact=True, threads=1), n, R, vs_exact)),
        *((f"NumPy {label}", v, ulp) for label, (v, (ulp, _)) in forms.items()),
        ("C loop, float32 libmvec `cosf` (the limit)", limit, dev_limit),
    ]
    store = ns(median_time(lambda: out32.fill(1.0), R), n)
    return a_rows("float32", measured, min(v for v, _ in forms.values()), limit, store, ulp32_cell)


def pure_python_warmup_cosine(n: int, repeats: int) -> Measured:
    W = n // 10
    k, h, sl = math.pi / (n - W), 0.5 * PEAK, PEAK / W
    cos = math.cos

    def run():
        return [sl * t if t < W else h * (1.0 + cos(k * (t - W))) for t in range(n)]
    return ns(median_time(run, min(repeats, 3)), n)


def jax_rows(n: int, repeats: int) -> list[tuple[str, Measured]]:
    """jax jit(vmap(optax.warmup_cosine_decay_schedule)), pinned to one core, in a subprocess."""
    try:
        import jax  # noqa: F401
        import optax  # noqa: F401
    except ImportError:
        return []
    code = f"""
import os, time, statistics
os.sched_setaffinity(0, {{0}})
import jax, jax.numpy as jnp, optax
jax.config.update("jax_enable_x64", True)
n = {n}; W = n // 10
f = jax.jit(jax.vmap(optax.warmup_cosine_decay_schedule(0.0, {PEAK}, W, n, 0.0)))
x = jnp.arange(n, dtype=jnp.float64)
f(x).block_until_ready()
ts = []
for _ in range({repeats}):
    t0 = time.perf_counter(); f(x).block_until_ready(); ts.append(time.perf_counter() - t0)
print(statistics.median(ts) / n * 1e9)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        return [("jax jit(vmap(optax)) 1 core: failed", Measured(float("nan")))]
    return [("jax `jit(vmap(optax.warmup_cosine_decay_schedule))`, 1 core",
             Measured(float(done.stdout.split()[-1])))]


def per_step(args, all_cases) -> None:
    number, R = args.step_number, args.repeats
    py_engine = _engine.available_engines()["python"].Engine
    lst = [float(i) for i in range(1000)]

    def per_call(stmt: str, env: dict, k: int = number) -> Measured:
        timer = time.thread_time if CLOCK is time.thread_time else time.perf_counter
        runs = timeit.Timer(stmt, timer=timer, globals=env).repeat(repeat=R, number=k)
        return ns(Measured(statistics.median(runs)), k)

    rows = []
    base_env = {"lst": lst, "i": 500}
    for case in all_cases:
        if args.only and args.only not in case.name:
            continue
        s, t = case.schedule, case.step
        lst_ns = per_call("lst[i]", base_env)
        s_ns = per_call("s(t)", {"s": s, "t": t})
        lst_ns2 = per_call("lst[i]", base_env)
        base = derived((lst_ns + lst_ns2) / 2, lst_ns, lst_ns2)
        py = _spec.rebind(s, py_engine)
        py_ns = per_call("s(t)", {"s": py, "t": t}, max(1, number // 100))
        rows.append([case.name, fmt(s_ns), fmt(base), ratio(s_ns, base), fmt(py_ns)])
    cos_ns = per_call("cos(x)", {"cos": math.cos, "x": 0.5})
    call_ns = per_call("f(t)", {"f": lambda t: t, "t": 5})
    rows.append(["*floor: `math.cos(x)`*", fmt(cos_ns), "", "", ""])
    rows.append(["*floor: trivial Python function `f(t)`*", fmt(call_ns), "", "", ""])
    torch_ns = None if args.no_peers else torch_step(args.torch_steps)
    if torch_ns is not None:
        rows.append(["*torch `LambdaLR.step()` (warmup+cosine lambda)*", fmt(torch_ns), "", "", ""])
    table(f"D. per-step s(t) vs lst[i] (ns/call, median of {R} × {number:,} calls)",
          ["schedule", "fastlr s(t)", "lst[i]", "s(t) ÷ lst[i]", "NumPy engine s(t)"], rows)


def torch_step(steps: int) -> Measured | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=PEAK)
    W, T = 1000, 100_000

    def lam(t):
        if t < W:
            return t / W
        return 0.5 * (1.0 + math.cos(math.pi * (t - W) / (T - W)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
    opt.step()  # torch warns if the scheduler steps before the optimizer ever did

    def run():
        for _ in range(steps):
            sched.step()
    return ns(median_time(run, 3, time.perf_counter), steps)


def threads_sweep(args) -> None:
    s = fastlr.cosine(PEAK, 1 << 26)  # every step in the cosine: compute-bound
    rows = []
    for exp in range(12, args.sweep_max + 1, 2):
        n = 1 << exp
        out = np.ones(n)
        R = max(5, args.repeats)
        one = ns(median_time(lambda: s.fill(out, threads=1), R, time.perf_counter), n)
        two = ns(median_time(lambda: s.fill(out, threads=2), R, time.perf_counter), n)
        rows.append([f"2^{exp} = {n:,}", fmt(one), fmt(two), ratio(one, two)])
    table("E. thread split, cosine float64, wall time (ns/step)",
          ["steps", "threads=1", "threads=2", "speed-up"], rows)


def save(args) -> None:
    """save_table of --save float32 steps against writing the same bytes with plain write()."""
    n = args.save
    s = fastlr.warmup_cosine(PEAK, n // 10, n)
    rows = []
    with tempfile.TemporaryDirectory(dir=args.save_dir) as where:
        path = os.path.join(where, "table.npy")
        t0 = time.perf_counter()
        fastlr.save_table(path, s, n, dtype=np.float32, progress=False)
        seconds = Measured(time.perf_counter() - t0)
        size = os.path.getsize(path)
        os.remove(path)
        rows.append(["fastlr.save_table (memory-mapped windows)", cell(f"{seconds:.2f}", seconds),
                     cell(f"{size / seconds / 1e6:.0f}", seconds), fmt(ns(seconds, n))])
        block = np.zeros(1 << 22, np.float32)  # 16 MiB of zeros, written again and again
        t0 = time.perf_counter()
        with open(os.path.join(where, "zeros.bin"), "wb") as f:
            for lo in range(0, n, block.size):
                f.write(memoryview(block[: min(block.size, n - lo)]))
        plain = Measured(time.perf_counter() - t0)
        rows.append(["plain `write()` of the same number of zero bytes (disk baseline)",
                     cell(f"{plain:.2f}", plain), cell(f"{size / plain / 1e6:.0f}", plain), fmt(ns(plain, n))])
    table(f"F. {n:,} float32 steps to a file (wall time, one run each)",
          ["approach", "seconds", "MB/s", "ns/step"], rows)


# Sizes: the default run, and --quick (a smoke run in seconds whose figures mean nothing).
FULL = {"n": 10_000_000, "repeats": 7, "step_number": 200_000, "torch_steps": 20_000, "sweep_max": 24}
QUICK = {"n": 50_000, "repeats": 1, "step_number": 1_000, "torch_steps": 1_000, "sweep_max": 16}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help=f"tiny sizes and one repeat, a smoke run whose figures mean nothing: "
                        f"--n {QUICK['n']:,} --repeats 1 --step-number {QUICK['step_number']:,}, "
                        f"torch {QUICK['torch_steps']:,} steps, sweep up to 2^{QUICK['sweep_max']}")
    p.add_argument("--n", type=int, help=f"steps per bulk fill, tables A-C (default {FULL['n']:,})")
    p.add_argument("--repeats", type=int, help=f"timed runs per measurement, the median is printed "
                                                f"(default {FULL['repeats']})")
    p.add_argument("--step-number", type=int,
                   help=f"calls per per-step timing run, table D (default {FULL['step_number']:,})")
    p.add_argument("--only", default="", help="only schedules whose name contains this (table A needs "
                                              "warmup_cosine)")
    p.add_argument("--no-peers", action="store_true",
                   help="skip the pure Python and jax rows of A and the torch row of D")
    p.add_argument("--skip-bulk", action="store_true", help="skip tables A, B and C")
    p.add_argument("--skip-step", action="store_true", help="skip table D")
    p.add_argument("--threads-sweep", action="store_true",
                   help=f"table E: threads=1 vs 2 from 2^12 to 2^{FULL['sweep_max']} steps")
    p.add_argument("--save", type=int, default=0, metavar="N",
                   help="table F: time save_table of N float32 steps (and a plain write of as many bytes)")
    p.add_argument("--save-dir", default=None, help="directory for --save's files (default: the temp dir)")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="cpu: time single-threaded rows with this thread's CPU time (robust to a "
                        "shared, loaded machine); multi-threaded rows always use wall time")
    args = p.parse_args(argv)
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    for key in ("n", "repeats", "step_number"):
        if getattr(args, key) < 1:
            p.error(f"--{key.replace('_', '-')} must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    global CLOCK
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    if fastlr.BACKEND != "cython":
        sys.exit("compare.py measures the compiled engine: build it (fastlr.BACKEND is 'python')")
    all_cases = cases(args.n)
    if not any(args.only in case.name for case in all_cases):
        sys.exit(f"--only {args.only!r}: no schedule name contains it ({', '.join(c.name for c in all_cases)})")
    limits = Limits()
    print(f"## fastlr benchmark: `python benchmarks/compare.py {' '.join(sys.argv[1:])}`\n")
    if args.quick:
        print("- **--quick: tiny sizes, one repeat; the figures below only show that the run works**")
    machine_header(limits)
    if not args.skip_bulk:
        bulk(args, limits, all_cases)
    if not args.skip_step:
        per_step(args, all_cases)
    if args.threads_sweep:
        threads_sweep(args)
    if args.save:
        save(args)
    print(f"\n(load average at the end: {' / '.join(f'{x:.2f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
