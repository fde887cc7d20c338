"""Writing a schedule's values to files in chunks: ``.npy`` through a memory map, or text.

Memory use is constant in ``n``: values are computed chunk by chunk, each
``.npy`` chunk straight into a small memory-mapped window of the output file
(so RAM holds one window, not the table), each text chunk into one reusable
buffer. Files are written under a temporary name in the same directory and
renamed into place at the end, so a failed or interrupted write never leaves a
truncated table behind.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

import numpy as np

from . import _validate
from ._spec import Schedule

__all__ = ["save_table", "write_npy", "write_text", "ProgressBar", "TEXT_FORMATS", "FORMATS"]

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called after every chunk with counts of values."""

TEXT_FORMATS = {"csv": (",", "step,value\n"), "txt": (" ", "# step value\n")}
FORMATS = ("npy", *TEXT_FORMATS)
NPY_CHUNK = 1 << 20  # values per memory-mapped window (8 MiB of float64)
TEXT_CHUNK = 1 << 16  # rows formatted at a time
PROGRESS_AFTER = 1.0  # seconds a save_table runs before its progress bar appears


def _check(s: Any, n: Any, dtype: Any, start: Any) -> tuple[int, np.dtype, int]:
    if not isinstance(s, Schedule):
        raise TypeError(f"s must be a fastlr schedule, got {type(s).__name__}")
    return _validate.table_args(n, dtype, start)


def format_of(path: str | os.PathLike[str]) -> str:
    """``"npy"``, ``"csv"`` or ``"txt"`` from the file suffix (``ValueError`` otherwise)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"the output file must end in .npy, .csv or .txt, got {str(path)!r}")
    return suffix


def save_table(path: str | os.PathLike[str], s: Schedule, n: int, dtype: Any = np.float64,
               start: int = 0, *, exact: bool = False, threads: int | None = None,
               progress: bool = True) -> Path:
    r"""Write the values ``s(start) … s(start + n - 1)`` to a file, in constant memory.

    .. math:: \mathrm{file}[j] = s(\mathrm{start} + j), \quad 0 \le j < n

    The suffix picks the format: ``.npy`` holds the 1-D array of values (read
    it back with ``numpy.load``, or ``numpy.load(path, mmap_mode="r")`` for a
    huge table); ``.csv`` (header ``step,value``) and ``.txt`` (header
    ``# step value``, whitespace-separated) hold one ``step, value`` row per
    step, with the shortest digits that read back to the same float64 (or
    float32) value. A ``.npy`` is filled through memory-mapped windows of
    ``NPY_CHUNK`` values, so RAM holds one window whatever ``n`` (10**9
    float32 values need 4 GB of disk, not of memory) and the write runs at
    disk speed.

    Parameters
    ----------
    path : str or os.PathLike
        Output file; replaced atomically when the write succeeds.
    s : Schedule
        The schedule.
    n : int
        Number of steps (>= 0).
    dtype : {numpy.float64, numpy.float32}
        Type of the stored values.
    start : int
        First step (>= 0).
    exact, threads
        As in ``Schedule.fill``: ``exact=True`` for values bit-identical to
        ``s(t)``; ``threads`` caps the fill threads (None: automatic).
    progress : bool
        Draw a progress bar on stderr once the write has taken a second
        (``False``: never).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    kind = format_of(path)
    _check(s, n, dtype, start)
    fill_options = _fill_options(exact, threads)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be a bool, got {type(progress).__name__} {progress!r}")
    bar = None
    if progress:
        bar = ProgressBar(sys.stderr, f"fastlr.save_table {Path(path).name}", delay=PROGRESS_AFTER)
        bar.enabled = True
    if kind == "npy":
        write_npy(path, s, n, dtype, start, progress=bar, **fill_options)
    else:
        with replacing(path, "w") as f:
            write_text(f, s, n, dtype, start, fmt=kind, progress=bar, **fill_options)
    return Path(path)


def _fill_options(exact: Any, threads: Any) -> dict[str, Any]:
    """Validated ``exact`` and ``threads`` for ``Schedule.fill``."""
    options = {"exact": _validate.boolean("exact", exact)}
    if threads is not None:
        options["threads"] = _validate.integer("threads", threads, 1)
    return options


def chunks(s: Schedule, n: int, dtype: Any = np.float64, start: int = 0,
           size: int = NPY_CHUNK, **fill_options: Any) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(offset, values)`` covering steps ``start … start + n - 1``.

    ``values`` is one reused buffer: copy it to keep it past the next iteration.
    """
    count, kind, first = _check(s, n, dtype, start)
    buffer = np.empty(min(count, size), dtype=kind)
    for lo in range(0, count, size):
        part = buffer[: min(size, count - lo)]
        yield lo, s.fill(part, start=first + lo, **fill_options)


def write_npy(path: str | os.PathLike[str], s: Schedule, n: int, dtype: Any = np.float64,
              start: int = 0, progress: Progress | None = None, **fill_options: Any) -> None:
    """Write ``s(start) … s(start + n - 1)`` as a ``.npy`` file through memory-mapped windows."""
    count, kind, first = _check(s, n, dtype, start)
    with replacing(path, "w+b") as f:
        np.lib.format.write_array_header_1_0(
            f, {"descr": np.lib.format.dtype_to_descr(kind), "fortran_order": False, "shape": (count,)})
        f.flush()
        header = f.tell()
        _reserve(f, header + count * kind.itemsize)
        for lo in range(0, count, NPY_CHUNK):
            m = min(NPY_CHUNK, count - lo)
            window = np.memmap(f, dtype=kind, mode="r+", offset=header + lo * kind.itemsize, shape=(m,))
            s.fill(window, start=first + lo, **fill_options)
            del window  # unmap: RAM holds one window at a time
            if progress is not None:
                progress(lo + m, count)
        if progress is not None and count == 0:
            progress(0, 0)


def _reserve(f: Any, size: int) -> None:
    """Give the file its final size, allocating the blocks when the OS can.

    Allocating up front turns a full disk into an ``OSError`` here instead of
    a ``SIGBUS`` when a memory-mapped page cannot be written back.
    """
    if hasattr(os, "posix_fallocate") and size:
        try:
            os.posix_fallocate(f.fileno(), 0, size)
            return
        except OSError as exc:
            import errno
            if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                raise
    f.truncate(size)


def _text(values: np.ndarray) -> list[str]:
    """Shortest round-trip digits of each value (float32 digits for float32 values)."""
    if values.dtype == np.float32:
        return values.astype(str).tolist()
    return list(map(repr, values.tolist()))


def write_text(stream: TextIO, s: Schedule, n: int, dtype: Any = np.float64, start: int = 0,
               fmt: str = "csv", progress: Progress | None = None, **fill_options: Any) -> None:
    """Write ``step<sep>value`` rows (``fmt`` = ``"csv"`` or ``"txt"``) with a header line."""
    sep, header = TEXT_FORMATS[fmt]
    count, kind, first = _check(s, n, dtype, start)
    stream.write(header)
    for lo, values in chunks(s, count, kind, first, TEXT_CHUNK, **fill_options):
        steps = range(first + lo, first + lo + values.shape[0])
        stream.write("".join(f"{k}{sep}{v}\n" for k, v in zip(steps, _text(values))))
        if progress is not None:
            progress(lo + values.shape[0], count)


class ProgressBar:
    """A one-line progress bar on a stream, drawn once a write has run for ``delay`` seconds.

    ``force=None`` draws only on a terminal; ``True`` always; ``False`` never.
    """

    def __init__(self, stream: TextIO, label: str, force: bool | None = None,
                 delay: float = 0.5, width: int = 30) -> None:
        self.stream, self.label, self.width = stream, label, width
        self.enabled = stream.isatty() if force is None else force
        self.delay = 0.0 if force else delay
        self.began = time.monotonic()
        self.drawn = False
        self.last_draw = -math.inf

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or (time.monotonic() - self.began < self.delay and done < total):
            return
        now = time.monotonic()
        if not self.drawn and done >= total and now - self.began < self.delay:
            return  # finished before the bar was worth showing
        if done < total and now - self.last_draw < 0.1:
            return
        self.last_draw = now
        fraction = done / total if total else 1.0
        filled = int(fraction * self.width)
        seconds = time.monotonic() - self.began
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{fraction:4.0%}  {done:,}/{total:,} steps  {seconds:.1f} s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
        self.drawn = True


class replacing:
    """Open a temporary file beside ``path``; rename it to ``path`` on success, else delete it."""

    def __init__(self, path: str | os.PathLike[str], mode: str) -> None:
        self.path = Path(path)
        self.mode = mode

    def __enter__(self) -> Any:
        if self.path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(self.path))
        try:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part",
                                            dir=self.path.parent)
        except OSError as exc:  # name the file asked for, not the temporary one
            raise type(exc)(exc.errno, exc.strerror, str(self.path)) from None
        try:
            self.file = os.fdopen(fd, self.mode, **({} if "b" in self.mode else {"encoding": "utf-8",
                                                                               "newline": "\n"}))
        except BaseException:
            os.close(fd)
            os.unlink(self.tmp)
            raise
        return self.file

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        try:
            self.file.close()
        finally:
            if kind is None:
                os.chmod(self.tmp, 0o666 & ~_umask())
                os.replace(self.tmp, self.path)
            else:
                os.unlink(self.tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
