"""Per-step lookups: s(t) on both engines against lst[i] and torch's scheduler.step()."""

from __future__ import annotations

import math

import pytest

from _cases import PEAK
from conftest import CASES, bind

NAMES = sorted(CASES)
CALLS = 1000  # calls per benchmark round, so the timer resolution does not matter


@pytest.mark.parametrize("name", NAMES)
def test_fastlr_step(benchmark, name, engine_name):
    case = CASES[name]
    s, t = bind(case.schedule, engine_name), case.step
    benchmark.group = f"step-{name} (x{CALLS})"

    def run():
        for _ in range(CALLS):
            s(t)
    benchmark(run)
    assert isinstance(s(t), float)


@pytest.mark.parametrize("name", NAMES)
def test_list_index(benchmark, name):
    lst = [float(i) for i in range(1000)]
    benchmark.group = f"step-{name} (x{CALLS})"

    def run():
        for _ in range(CALLS):
            lst[500]
    benchmark(run)


def test_torch_lambdalr_step(benchmark):
    torch = pytest.importorskip("torch", reason="torch is an optional peer")
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=PEAK)
    W, T = 1000, 10**7

    def lam(t):
        return t / W if t < W else 0.5 * (1.0 + math.cos(math.pi * (t - W) / (T - W)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
    opt.step()  # torch warns if the scheduler steps before the optimizer ever did
    benchmark.group = f"step-warmup_cosine (x{CALLS})"

    def run():
        for _ in range(CALLS):
            sched.step()
    benchmark(run)
