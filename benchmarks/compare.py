#!/usr/bin/env python3
"""fastlr against NumPy, a hand-written C loop over glibc vector math, and peers.

Runs everything in one process (median of --repeats timed runs after one
warm-up run, GC off, warm preallocated output buffers) and prints markdown
tables of ns/step and ratios:

  A. warmup+cosine, 10M steps, float64 and float32: fastlr (1 thread, the
     default thread count, exact=True, the NumPy engine) vs every NumPy form,
     the C limit (benchmarks/limits.c, compiled now) and optional peers;
  B. every other kind, float64: fastlr vs the C loop and the fastest NumPy form;
  C. every NumPy form tried, with its max deviation from fastlr's exact table;
  D. per-step s(t) vs lst[i] (and torch ``scheduler.step()`` when installed);
  E. (--threads-sweep) the fill size where a second thread starts to pay;
  F. (--save N) fastlr.save_table of N float32 values.

    python benchmarks/compare.py                      # about 2 minutes
    python benchmarks/compare.py --n 1000000 --repeats 3 --only cosine
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


CLOCK = time.perf_counter  # --clock cpu: time.thread_time for single-threaded rows


def median_time(fn, repeats: int, clock=None) -> float:
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
    return statistics.median(times)


def ns(seconds: float, items: int) -> float:
    return seconds / items * 1e9


def fmt(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:,.0f}" if x >= 100 else (f"{x:.1f}" if x >= 10 else f"{x:.2f}")


def ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()


def deviation(got: np.ndarray, want: np.ndarray) -> float:
    """max |got - want| / max |want|."""
    return float(np.max(np.abs(got.astype(np.float64) - want)) / np.max(np.abs(want)))


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


def bulk(args, limits: Limits, all_cases) -> None:
    n, R = args.n, args.repeats
    engines = _engine.available_engines()
    py_engine = engines["python"].Engine
    out64 = np.ones(n)
    out32 = np.ones(n, np.float32)
    s64, s32 = Scratch(n), Scratch(n, np.float32)
    rows_a, rows_b, rows_c = [], [], []
    for case in all_cases:
        if args.only and args.only not in case.name:
            continue
        s = case.schedule
        py = _spec.rebind(s, py_engine)
        exact = s.table(n, exact=True)
        one = ns(median_time(lambda: s.fill(out64, threads=1), R), n)
        dev_fast = deviation(s.fill(out64, threads=1), exact)
        auto = ns(median_time(lambda: s.fill(out64), R, time.perf_counter), n)
        precise = ns(median_time(lambda: s.fill(out64, exact=True, threads=1), R), n)
        pyeng = ns(median_time(lambda: py.fill(out64), max(1, R // 2)), n)
        limit = ns(median_time(lambda: limits.run(case.limit, out64, case.limit_params), R), n)
        dev_limit = deviation(out64, exact)
        forms = {}
        for label, form in case.forms.items():
            forms[label] = ns(median_time(lambda: run_form(form, s64, out64), R), n)
            dev = deviation(run_form(form, s64, out64), exact)
            rows_c.append([case.name, "float64", label, fmt(forms[label]), f"{dev:.1e}"])
        best_label = min(forms, key=forms.get)
        best = forms[best_label]
        if case.name == "warmup_cosine":
            store = ns(median_time(lambda: out64.fill(1.0), R), n)
            rows_a.append(["float64", "fastlr, 1 thread", fmt(one), ratio(best, one), ratio(one, limit),
                           f"{dev_fast:.1e}"])
            rows_a.append(["float64", f"fastlr, default threads ({_threads.plan(n, None)})", fmt(auto),
                           ratio(best, auto), ratio(auto, limit), f"{dev_fast:.1e}"])
            rows_a.append(["float64", "fastlr, exact=True, 1 thread", fmt(precise), ratio(best, precise),
                           ratio(precise, limit), "0"])
            rows_a.append(["float64", "fastlr NumPy engine", fmt(pyeng), ratio(best, pyeng),
                           ratio(pyeng, limit), "0"])
            for label, v in forms.items():
                rows_a.append(["float64", f"NumPy {label}", fmt(v), ratio(best, v), ratio(v, limit), ""])
            rows_a.append(["float64", "C loop, libmvec (the limit)", fmt(limit), ratio(best, limit), "1.00×",
                           f"{dev_limit:.1e}"])
            rows_a.append(["float64", "store only (`out.fill`)", fmt(store), "", ratio(store, limit), ""])
            if not args.no_peers:
                pure = pure_python_warmup_cosine(min(n, 1_000_000))
                rows_a.append(["float64", "pure Python list comprehension, `math.cos` (1M steps)",
                               fmt(pure), ratio(best, pure), ratio(pure, limit), ""])
                for label, v in jax_rows(n, R):
                    rows_a.append(["float64", label, fmt(v), ratio(best, v), ratio(v, limit), ""])
            # float32
            exact32 = s.table(n, np.float32, exact=True)
            one32 = ns(median_time(lambda: s.fill(out32, threads=1), R), n)
            d32 = np.max(np.abs(s.fill(out32, threads=1).astype(np.float64) - exact32)) / np.spacing(np.float32(PEAK))
            auto32 = ns(median_time(lambda: s.fill(out32), R, time.perf_counter), n)
            precise32 = ns(median_time(lambda: s.fill(out32, exact=True, threads=1), R), n)
            limit32 = ns(median_time(lambda: limits.run(case.limit32, out32, case.limit_params), R), n)
            d_l32 = np.max(np.abs(out32.astype(np.float64) - exact32)) / np.spacing(np.float32(PEAK))
            forms32 = {}
            for label, form in case.forms32.items():
                forms32[label] = ns(median_time(lambda: run_form(form, s32, out32), R), n)
                dev = deviation(run_form(form, s32, out32), exact32)
                rows_c.append([case.name, "float32", label, fmt(forms32[label]), f"{dev:.1e}"])
            best32 = min(forms32.values())
            store32 = ns(median_time(lambda: out32.fill(1.0), R), n)
            rows_a.append(["float32", "fastlr, 1 thread (double vector math, rounded once)", fmt(one32), ratio(best32, one32),
                           ratio(one32, limit32), f"{d32:.2f} ulp32(peak)"])
            rows_a.append(["float32", f"fastlr, default threads ({_threads.plan(n, None)})", fmt(auto32),
                           ratio(best32, auto32), ratio(auto32, limit32), f"{d32:.2f} ulp32(peak)"])
            rows_a.append(["float32", "fastlr, exact=True (double math), 1 thread", fmt(precise32),
                           ratio(best32, precise32), ratio(precise32, limit32), "0"])
            for label, v in forms32.items():
                rows_a.append(["float32", f"NumPy {label}", fmt(v), ratio(best32, v), ratio(v, limit32), ""])
            rows_a.append(["float32", "C loop, float32 libmvec `cosf` (the limit)", fmt(limit32),
                           ratio(best32, limit32), "1.00×", f"{d_l32:.2f} ulp32(peak)"])
            rows_a.append(["float32", "store only (`out.fill`)", fmt(store32), "", ratio(store32, limit32), ""])
        rows_b.append([case.name, fmt(one), fmt(auto), fmt(precise), fmt(limit), ratio(one, limit),
                       f"{fmt(best)} ({best_label})", ratio(best, one), ratio(best, auto), fmt(pyeng),
                       f"{dev_fast:.0e}"])
    if rows_a:
        table(f"A. warmup+cosine, {n:,} steps, warm buffers: ns/step (median of {R})",
              ["dtype", "approach", "ns/step", "fastest NumPy ÷ this", "this ÷ C limit", "max dev. from exact"],
              rows_a)
    table(f"B. every kind, float64, {n:,} steps: ns/step (median of {R})",
          ["schedule", "fastlr 1 thread", "fastlr default threads", "fastlr exact", "C limit",
           "fastlr 1t ÷ C", "fastest NumPy (form)", "NumPy ÷ fastlr 1t", "NumPy ÷ fastlr default",
           "NumPy engine", "fast vs exact /peak"], rows_b)
    table("C. every NumPy form tried (ns/step; deviation = max |numpy - fastlr exact| / peak)",
          ["schedule", "dtype", "NumPy form", "ns/step", "deviation"], rows_c)


def pure_python_warmup_cosine(n: int) -> float:
    W = n // 10
    k, h, sl = math.pi / (n - W), 0.5 * PEAK, PEAK / W
    cos = math.cos

    def run():
        return [sl * t if t < W else h * (1.0 + cos(k * (t - W))) for t in range(n)]
    return ns(median_time(run, 3), n)


def jax_rows(n: int, repeats: int) -> list[tuple[str, float]]:
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
        return [("jax jit(vmap(optax)) 1 core: failed", float("nan"))]
    return [("jax `jit(vmap(optax.warmup_cosine_decay_schedule))`, 1 core", float(done.stdout.split()[-1]))]


def per_step(args, all_cases) -> None:
    number, R = args.step_number, args.repeats
    py_engine = _engine.available_engines()["python"].Engine
    lst = [float(i) for i in range(1000)]

    def per_call(stmt: str, env: dict, k: int = number) -> float:
        timer = time.thread_time if CLOCK is time.thread_time else time.perf_counter
        runs = timeit.Timer(stmt, timer=timer, globals=env).repeat(repeat=R, number=k)
        return statistics.median(runs) / k * 1e9

    rows = []
    base_env = {"lst": lst, "i": 500}
    for case in all_cases:
        if args.only and args.only not in case.name:
            continue
        s, t = case.schedule, case.step
        lst_ns = per_call("lst[i]", base_env)
        s_ns = per_call("s(t)", {"s": s, "t": t})
        lst_ns2 = per_call("lst[i]", base_env)
        base = (lst_ns + lst_ns2) / 2
        py = _spec.rebind(s, py_engine)
        py_ns = per_call("s(t)", {"s": py, "t": t}, max(1, number // 100))
        rows.append([case.name, fmt(s_ns), fmt(base), f"{s_ns / base:.2f}×", fmt(py_ns)])
    cos_ns = per_call("cos(x)", {"cos": math.cos, "x": 0.5})
    call_ns = per_call("f(t)", {"f": lambda t: t, "t": 5})
    rows.append(["*floor: `math.cos(x)`*", fmt(cos_ns), "", "", ""])
    rows.append(["*floor: trivial Python function `f(t)`*", fmt(call_ns), "", "", ""])
    torch_ns = torch_step()
    if torch_ns is not None:
        rows.append(["*torch `LambdaLR.step()` (warmup+cosine lambda)*", fmt(torch_ns), "", "", ""])
    table(f"D. per-step s(t) vs lst[i] (ns/call, median of {R} × {number:,} calls)",
          ["schedule", "fastlr s(t)", "lst[i]", "s(t) ÷ lst[i]", "NumPy engine s(t)"], rows)


def torch_step(steps: int = 20_000) -> float | None:
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
    for exp in range(12, 25, 2):
        n = 1 << exp
        out = np.ones(n)
        R = max(5, args.repeats)
        one = ns(median_time(lambda: s.fill(out, threads=1), R, time.perf_counter), n)
        two = ns(median_time(lambda: s.fill(out, threads=2), R, time.perf_counter), n)
        rows.append([f"2^{exp} = {n:,}", fmt(one), fmt(two), f"{one / two:.2f}×"])
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
        seconds = time.perf_counter() - t0
        size = os.path.getsize(path)
        os.remove(path)
        rows.append(["fastlr.save_table (memory-mapped windows)", f"{seconds:.2f}",
                     f"{size / seconds / 1e6:.0f}", fmt(ns(seconds, n))])
        block = np.zeros(1 << 22, np.float32)  # 16 MiB of zeros, written again and again
        t0 = time.perf_counter()
        with open(os.path.join(where, "zeros.bin"), "wb") as f:
            for lo in range(0, n, block.size):
                f.write(memoryview(block[: min(block.size, n - lo)]))
        plain = time.perf_counter() - t0
        rows.append(["plain `write()` of the same number of zero bytes (disk baseline)",
                     f"{plain:.2f}", f"{size / plain / 1e6:.0f}", fmt(ns(plain, n))])
    table(f"F. {n:,} float32 steps to a file (wall time, one run each)",
          ["approach", "seconds", "MB/s", "ns/step"], rows)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=10_000_000, help="steps per bulk fill")
    p.add_argument("--repeats", type=int, default=7, help="timed runs per measurement (median)")
    p.add_argument("--step-number", type=int, default=200_000, help="calls per per-step timing run")
    p.add_argument("--only", default="", help="only schedules whose name contains this")
    p.add_argument("--no-peers", action="store_true", help="skip pure Python, jax and torch rows")
    p.add_argument("--skip-bulk", action="store_true")
    p.add_argument("--skip-step", action="store_true")
    p.add_argument("--threads-sweep", action="store_true")
    p.add_argument("--save", type=int, default=0, help="also time save_table of this many float32 steps")
    p.add_argument("--save-dir", default=None)
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="cpu: time single-threaded rows with this thread's CPU time (robust to a "
                        "shared, loaded machine); multi-threaded rows always use wall time")
    args = p.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    if fastlr.BACKEND != "cython":
        sys.exit("compare.py measures the compiled engine: build it (fastlr.BACKEND is 'python')")
    limits = Limits()
    print(f"## fastlr benchmark: `python benchmarks/compare.py {' '.join(sys.argv[1:])}`\n")
    machine_header(limits)
    all_cases = cases(args.n)
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
