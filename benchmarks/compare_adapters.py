#!/usr/bin/env python3
"""Per-step cost of fastlr's training-loop adapters against the frameworks' own schedulers.

Prints markdown tables (ns per training step, ratios measured in one run):

  torch   hand-set ``for g in opt.param_groups: g['lr'] = x`` (x from a list),
          fastlr.torch.LRScheduler.step() (compiled path and Python path),
          torch's LambdaLR / CosineAnnealingLR / OneCycleLR / SequentialLR .step();
  loop    a plain Python loop: s(t) per step vs a chunked iterator prototype
          (the candidate ``fastlr.iterate``) vs a precomputed list;
  optax   one jitted SGD update with a constant rate, optax's own warmup-cosine
          schedule, and fastlr.optax.schedule (inject_hyperparams);
  keras   one compiled ``model.train_on_batch`` and one eager ``optimizer.apply`` of SGD
          with a constant rate, Keras's CosineDecay (with warmup) and
          fastlr.keras.LearningRateSchedule, on the backend KERAS_BACKEND selects.

Every candidate runs in interleaved rounds (GC off); a row reports the
minimum and the median over rounds, so load from other processes shows as a
spread instead of a bias against one candidate. Every figure printed is
measured in the same run or computed from such figures (benchmarks/_report.py
refuses any other table cell).

    python benchmarks/compare_adapters.py                       # about 1-2 minutes
    python benchmarks/compare_adapters.py --only torch,loop --rounds 40
    python benchmarks/compare_adapters.py --quick               # seconds: a smoke run, figures meaningless
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import statistics
import sys
import time
import warnings
from typing import Callable

import numpy as np

import fastlr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _report import Measured, fmt, ratio, table as report_table  # noqa: E402

PEAK = 1e-3
TOTAL = 1_000_000
WARMUP = TOTAL // 10
SCHEDULE = fastlr.warmup_cosine(peak=PEAK, warmup_steps=WARMUP, total_steps=TOTAL)

Case = tuple[str, Callable[[], Callable[[], None]], int]  # name, setup -> run, steps per run


def measure(cases: list[Case], rounds: int) -> dict[str, tuple[Measured, Measured]]:
    """(min, median) ns per step of each case, over interleaved rounds."""
    samples: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for name, setup, steps in cases:  # warm-up (JIT compilation, caches)
        setup()()
    for _ in range(rounds):
        for name, setup, steps in cases:
            run = setup()
            gc.disable()
            try:
                t0 = time.perf_counter()
                run()
                samples[name].append((time.perf_counter() - t0) / steps * 1e9)
            finally:
                gc.enable()
    return {name: (Measured(min(v)), Measured(statistics.median(v))) for name, v in samples.items()}


def table(title: str, results: dict[str, tuple[Measured, Measured]], base: str, rounds: int,
          extra: tuple[str, str] | None = None) -> None:
    """Rows: min and median ns/step, min ratio to ``base`` (and how many times faster than ``extra``)."""
    header = ["", "ns/step (min)", "ns/step (median)", f"× {base} (min)"]
    if extra:
        header.append(extra[1])
    rows = []
    for name, (lo, med) in results.items():
        row = [name, fmt(lo), fmt(med), ratio(lo, results[base][0])]
        if extra:
            row.append(ratio(results[extra[0]][0], lo, digits=1))
        rows.append(row)
    report_table(f"{title} ({rounds} round{'s' * (rounds != 1)})", header, rows)


# ---------------------------------------------------------------- torch

def torch_cases(steps: int) -> list[Case]:
    import torch
    from torch.optim import lr_scheduler as L

    import fastlr.torch as ft

    table_ = [SCHEDULE(t) for t in range(steps)]

    def make_opt() -> torch.optim.Optimizer:
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=PEAK)
        p.grad = torch.zeros(1)
        opt.step()  # so torch's schedulers do not warn about the call order
        return opt

    def hand_set():
        opt = make_opt()

        def run():
            for i in range(steps):
                x = table_[i]
                for g in opt.param_groups:
                    g["lr"] = x
        return run

    def hand_set_call():
        opt, s = make_opt(), SCHEDULE

        def run():
            for i in range(steps):
                x = s(i)
                for g in opt.param_groups:
                    g["lr"] = x
        return run

    slow = max(steps // 10, 1)

    def driven(make: Callable[[torch.optim.Optimizer], object], python_path: bool = False,
               count: int = steps):
        def setup():
            opt = make_opt()
            sched = make(opt)
            opt.step()  # an update first, as in a loop (stepping first warns, in torch and fastlr)
            if python_path:
                vars(sched).pop("step", None)
            step = sched.step

            def run():
                for _ in range(count):
                    step()
            return run
        return setup

    def lam(t: int) -> float:
        if t < WARMUP:
            return t / WARMUP
        return 0.5 * (1.0 + math.cos(math.pi * (t - WARMUP) / (TOTAL - WARMUP)))

    def sequential(opt):
        warm = L.LinearLR(opt, start_factor=1e-8, total_iters=WARMUP)
        cos = L.CosineAnnealingLR(opt, T_max=TOTAL - WARMUP)
        return L.SequentialLR(opt, [warm, cos], milestones=[WARMUP])

    return [
        ("hand-set: for g in opt.param_groups: g['lr'] = x", hand_set, steps),
        ("hand-set with x = s(t)", hand_set_call, steps),
        (f"fastlr.torch.LRScheduler.step() [{fastlr.BACKEND}]", driven(lambda o: ft.LRScheduler(o, SCHEDULE)), steps),
        ("fastlr.torch.LRScheduler.step(), Python path", driven(lambda o: ft.LRScheduler(o, SCHEDULE), True, slow), slow),
        ("torch LambdaLR.step()", driven(lambda o: L.LambdaLR(o, lam), count=slow), slow),
        ("torch CosineAnnealingLR.step()", driven(lambda o: L.CosineAnnealingLR(o, T_max=TOTAL), count=slow), slow),
        ("torch OneCycleLR.step()", driven(lambda o: L.OneCycleLR(o, max_lr=PEAK, total_steps=TOTAL), count=slow),
         slow),
        ("torch SequentialLR(LinearLR, CosineAnnealingLR).step()", driven(sequential, count=slow), slow),
    ]


# ---------------------------------------------------------------- plain loop

def iterate_prototype(s, start: int = 0, chunk: int = 4096):
    """The candidate fastlr.iterate: values of s from ``start`` on, from exact chunks."""
    t = start
    while True:
        yield from s.at(np.arange(t, t + chunk, dtype=np.int64)).tolist()
        t += chunk


def loop_cases(steps: int) -> list[Case]:
    s = SCHEDULE
    values = s.table(steps).tolist()

    def empty():
        def run():
            for t in range(steps):
                pass
        return run

    def call():
        def run():
            for t in range(steps):
                lr = s(t)  # noqa: F841
        return run

    def iterator():
        def run():
            for t, lr in zip(range(steps), iterate_prototype(s)):
                pass
        return run

    def listed():
        def run():
            for t in range(steps):
                lr = values[t]  # noqa: F841
        return run

    return [
        ("empty loop: for t in range(n)", empty, steps),
        ("lr = s(t)", call, steps),
        ("for t, lr in zip(range(n), iterate(s)) (prototype, chunks of 4096)", iterator, steps),
        ("lr = values[t] (list precomputed outside the timing)", listed, steps),
    ]


# ---------------------------------------------------------------- optax

def optax_cases(steps: int) -> list[Case]:
    import jax
    import jax.numpy as jnp
    import optax

    import fastlr.optax as fo

    native = optax.warmup_cosine_decay_schedule(0.0, PEAK, WARMUP, TOTAL, 0.0)

    def make(lr):
        tx = optax.inject_hyperparams(optax.sgd)(learning_rate=lr)
        params = {"w": jnp.zeros(16)}

        @jax.jit
        def update(params, state):
            grads = jax.tree_util.tree_map(jnp.ones_like, params)
            updates, state = tx.update(grads, state, params)
            return optax.apply_updates(params, updates), state

        def setup():
            state = tx.init(params)

            def run():
                p, st = params, state
                for _ in range(steps):
                    p, st = update(p, st)
                jax.block_until_ready(p)
            return run
        return setup

    return [
        ("jitted SGD update, constant lr", make(PEAK), steps),
        ("jitted SGD update, optax.warmup_cosine_decay_schedule", make(native), steps),
        ("jitted SGD update, fastlr.optax.schedule (table)", make(fo.schedule(SCHEDULE)), steps),
    ]


# ---------------------------------------------------------------- keras

def keras_cases(steps: int) -> list[Case]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    import fastlr.keras as fk

    native = keras.optimizers.schedules.CosineDecay(0.0, TOTAL - WARMUP, warmup_target=PEAK,
                                                    warmup_steps=WARMUP)

    def make(lr):
        def setup():
            opt = keras.optimizers.SGD(learning_rate=lr)
            var = keras.Variable(np.zeros(16, dtype="float32"))
            grad = keras.ops.ones((16,))
            opt.build([var])

            def run():
                for _ in range(steps):
                    opt.apply([grad], [var])
            return run
        return setup

    def fit(lr):
        def setup():
            model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse")
            x, y = np.ones((8, 16), dtype="float32"), np.ones((8, 1), dtype="float32")
            model.train_on_batch(x, y)  # trace and compile outside the timing

            def run():
                for _ in range(steps):
                    model.train_on_batch(x, y)
            return run
        return setup

    fastlr_lr = fk.LearningRateSchedule(SCHEDULE)
    return [
        ("compiled train_on_batch, constant lr", fit(PEAK), steps),
        ("compiled train_on_batch, keras CosineDecay with warmup", fit(native), steps),
        ("compiled train_on_batch, fastlr.keras.LearningRateSchedule", fit(fastlr_lr), steps),
        ("eager optimizer.apply, constant lr", make(PEAK), steps),
        ("eager optimizer.apply, keras CosineDecay with warmup", make(native), steps),
        ("eager optimizer.apply, fastlr.keras.LearningRateSchedule", make(fastlr_lr), steps),
    ]


SECTIONS = ("torch", "loop", "optax", "keras")
# Sizes: the default run, and --quick (a smoke run in seconds whose figures mean nothing).
FULL = {"rounds": 25, "steps": 20_000, "framework_steps": 300}
QUICK = {"rounds": 1, "steps": 200, "framework_steps": 3}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, a smoke run whose figures mean nothing: " +
                             ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in QUICK.items()))
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections (default: {','.join(SECTIONS)})")
    parser.add_argument("--rounds", type=int,
                        help=f"interleaved rounds per case; keras runs a third of them, at least 3 "
                             f"(default {FULL['rounds']})")
    parser.add_argument("--steps", type=int,
                        help=f"steps per timed run of torch's fast rows; the loop section runs 5x as many, "
                             f"torch's slow rows a tenth (default {FULL['steps']:,})")
    parser.add_argument("--framework-steps", type=int,
                        help=f"steps per timed run (optax, keras) (default {FULL['framework_steps']})")
    args = parser.parse_args(argv)
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
        if getattr(args, key) < 1:
            parser.error(f"--{key.replace('_', '-')} must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    warnings.simplefilter("ignore")
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"fastlr {fastlr.__version__} (BACKEND={fastlr.BACKEND}), Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load:.2f}; "
          f"schedule {SCHEDULE!r}")
    if args.quick:
        print("**--quick: tiny sizes; the figures below only show that the run works**")
    for section in chosen:
        if section not in SECTIONS:
            sys.exit(f"--only: unknown section {section!r} (choose from {', '.join(SECTIONS)})")
        try:
            if section == "torch":
                cases = torch_cases(args.steps)
                res = measure(cases, args.rounds)
                table("torch: one scheduler step per optimizer update", res, cases[0][0], args.rounds,
                      ("torch LambdaLR.step()", "× faster than LambdaLR"))
            elif section == "loop":
                cases = loop_cases(args.steps * 5)
                table("plain Python loop: the value for each step", measure(cases, args.rounds), cases[1][0],
                      args.rounds)
            elif section == "optax":
                cases = optax_cases(args.framework_steps)
                table("optax: one jitted update step", measure(cases, args.rounds), cases[0][0], args.rounds)
            elif section == "keras":
                import keras
                cases = keras_cases(args.framework_steps)
                rounds = max(args.rounds // 3, 3)
                res = measure(cases, rounds)
                title = f"Keras ({keras.backend.backend()} backend): one training step"
                table(title + ", compiled", dict(list(res.items())[:3]), cases[0][0], rounds)
                table(title + ", eager optimizer.apply", dict(list(res.items())[3:]), cases[3][0], rounds)
        except ImportError as exc:
            print(f"\n### {section}: skipped ({exc})")


if __name__ == "__main__":
    main()
