"""How a large fill is split across cores (shared by both engines).

A fill of ``n`` steps runs on ``plan(n, threads)`` threads: the calling
thread plus workers of one process-wide pool of ``cores() - 1`` threads, so
fastlr never runs more fill threads than the cores this process may use.
Results do not depend on the split (each step is computed by the same code
whatever chunk it lands in).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Sequence

from . import _validate

MIN_STEPS_PER_THREAD = 1 << 18
"""Below this many steps per thread a second thread costs more than it saves
(measured by ``benchmarks/compare.py --threads-sweep``, see docs/performance.md)."""

ALIGN = 1 << 9
"""Chunk boundaries are multiples of this many steps (whole cache lines)."""

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid = 0


def cores() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def plan(n: int, threads: Any) -> int:
    """Number of threads for a fill of ``n`` steps (``threads``: None = automatic)."""
    if threads is None:
        return max(1, min(cores(), n // MIN_STEPS_PER_THREAD))
    wanted = _validate.integer("threads", threads, 1)
    return max(1, min(wanted, cores(), -(-n // ALIGN)))


def chunks(n: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` (offset, length) pieces covering ``range(n)``, split at multiples of ALIGN."""
    bounds = [0]
    for k in range(1, parts):
        bounds.append(min(n, (n * k // parts) // ALIGN * ALIGN))
    bounds.append(n)
    return [(a, b - a) for a, b in zip(bounds, bounds[1:]) if b > a]


def _workers() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():  # a forked child has no worker threads
            _pool = ThreadPoolExecutor(max_workers=max(1, cores() - 1),
                                       thread_name_prefix="fastlr-fill")
            _pool_pid = os.getpid()
        return _pool


def run(tasks: Sequence[Callable[[], None]]) -> None:
    """Run ``tasks``: the first on this thread, the others on the pool; wait for all."""
    futures: list[Future] = [_workers().submit(task) for task in tasks[1:]]
    error: BaseException | None = None
    try:
        tasks[0]()
    except BaseException as exc:  # still wait: the workers write into the caller's array
        error = exc
    for future in futures:
        try:
            future.result()
        except BaseException as exc:
            error = error or exc
    if error is not None:
        raise error
