"""Huge tables straight to disk: ``fastlr.save_table``."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import numpy as np

from . import _validate
from ._spec import Schedule

WINDOW_BYTES = 64 << 20
"""Bytes of the file mapped at a time: the RAM a save needs, whatever ``n``."""

PROGRESS_AFTER = 1.0
"""Seconds a save runs before its progress bar appears."""


class _Progress:
    """A one-line progress bar on stderr, shown once a save has run for a second."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.began = time.perf_counter()
        self.shown = False

    def update(self, done: int) -> None:
        elapsed = time.perf_counter() - self.began
        if not self.enabled or (elapsed < PROGRESS_AFTER and not self.shown):
            return
        self.shown = True
        frac = done / self.total if self.total else 1.0
        bar = "#" * int(30 * frac)
        rate = done / elapsed / 1e6 if elapsed > 0 else 0.0
        sys.stderr.write(f"\rfastlr.save_table [{bar:<30}] {100 * frac:5.1f}% {rate:8.1f} MB/s")
        sys.stderr.flush()

    def close(self, done: int) -> None:
        if self.shown:
            self.update(done)
            sys.stderr.write("\n")
            sys.stderr.flush()


def save_table(path: str | os.PathLike[str], schedule: Schedule, n: int, dtype: Any = np.float64,
               start: int = 0, *, exact: bool = False, threads: int | None = None,
               progress: bool = True) -> str:
    r"""Write ``schedule(start) … schedule(start + n - 1)`` to a ``.npy`` file in constant RAM.

    .. math:: \mathrm{file}[j] = s(\mathrm{start} + j), \quad 0 \le j < n

    The file is written through a memory map, one 64 MiB window at a time, so
    a table of 10**9 float32 values needs 64 MiB of RAM, not 4 GB, and runs at
    disk speed. It is written to ``path + ".part"`` and renamed when complete.
    ``numpy.load(path, mmap_mode="r")`` reads it back without loading it.

    Parameters
    ----------
    path : str or os.PathLike
        Destination file (conventionally ending in ``.npy``); replaced if it exists.
    schedule : fastlr.Schedule
        The schedule to tabulate.
    n : int
        Number of steps (>= 0).
    dtype : {numpy.float64, numpy.float32}
        Element type of the table.
    start : int
        First step (>= 0).
    exact, threads
        As in :meth:`fastlr.Schedule.fill`.
    progress : bool
        Show a progress bar on stderr once the save has taken a second
        (``False``: never).

    Returns
    -------
    str
        ``path``, as a string.
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a fastlr schedule, got {type(schedule).__name__}")
    count, kind = _validate.table_args(n, dtype)
    first = _validate.step(start, "start")
    if count and first + count - 1 > _validate.INT64_MAX:
        raise ValueError(f"start + n - 1 must be at most 2**63 - 1, got {first + count - 1}")
    _validate.boolean("progress", progress)
    _validate.boolean("exact", exact)
    if threads is not None:
        _validate.integer("threads", threads, 1)
    target = os.fspath(path)
    partial = target + ".part"
    header = {"descr": np.lib.format.dtype_to_descr(kind), "fortran_order": False,
              "shape": (count,)}
    with open(partial, "wb") as f:
        np.lib.format.write_array_header_2_0(f, header) if count >= 2**63 else \
            np.lib.format.write_array_header_1_0(f, header)
        offset = f.tell()
        f.truncate(offset + count * kind.itemsize)
    bar = _Progress(count * kind.itemsize, progress)
    per_window = max(1, WINDOW_BYTES // kind.itemsize)
    try:
        for lo in range(0, count, per_window):
            size = min(per_window, count - lo)
            window = np.memmap(partial, dtype=kind, mode="r+", offset=offset + lo * kind.itemsize,
                               shape=(size,))
            schedule.fill(window, start=first + lo, exact=exact, threads=threads)
            del window  # unmapped: the kernel writes the pages back on its own
            bar.update((lo + size) * kind.itemsize)
        os.replace(partial, target)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise
    finally:
        bar.close(count * kind.itemsize)
    return target
