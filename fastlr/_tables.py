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
from typing import Any, Callable, Iterator, NamedTuple, TextIO

import numpy as np

from . import _validate
from ._spec import Schedule

__all__ = ["save_table", "values", "Values", "write_file", "write_npy", "write_text", "chunks",
           "ProgressBar", "TEXT_FORMATS", "FORMATS"]

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called after every chunk with counts of values."""

TEXT_FORMATS = {"csv": (",", "step,value\n"), "txt": (" ", "# step value\n")}
FORMATS = ("npy", *TEXT_FORMATS)
NPY_CHUNK = 1 << 20  # values per memory-mapped window (8 MiB of float64)
TEXT_CHUNK = 1 << 16  # rows formatted at a time
PROGRESS_AFTER = 1.0  # seconds a save_table runs before its progress bar appears


class Values(NamedTuple):
    """Which values to compute: ``s(first) … s(first + n - 1)`` as ``dtype``, validated.

    Every writer (``.npy``, text, standard output, :func:`fastlr.save_table`,
    ``fastlr table``, ``show``, ``compare``) computes them through
    :meth:`fill`, so one set of options gives one set of numbers whatever the
    format or chunking: the engines' fills do not depend on where a fill starts
    or how long it is.
    """

    s: Schedule
    n: int
    dtype: np.dtype
    first: int
    exact: bool
    threads: int | None

    def fill(self, out: np.ndarray, offset: int) -> np.ndarray:
        """``out[j] = s(first + offset + j)``: the one place the values are computed."""
        return self.s.fill(out, start=self.first + offset, exact=self.exact, threads=self.threads)


def values(s: Any, n: Any, dtype: Any = np.float64, start: Any = 0, exact: Any = False,
           threads: Any = None) -> Values:
    """Validate a request for ``n`` values of ``s`` from step ``start`` (``ValueError``/``TypeError``)."""
    if not isinstance(s, Schedule):
        raise TypeError(f"s must be a fastlr schedule, got {type(s).__name__}")
    count, kind, first = _validate.table_args(n, dtype, start)
    precise = _validate.boolean("exact", exact)
    cap = None if threads is None else _validate.integer("threads", threads, 1)
    return Values(s, count, kind, first, precise, cap)


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
    float32) value. Every format holds the same numbers as
    ``s.fill(numpy.empty(n, dtype), start, exact=exact)``. A ``.npy`` is
    filled through memory-mapped windows of ``NPY_CHUNK`` values, so RAM holds
    one window whatever ``n`` (10**9 float32 values need 4 GB of disk, not of
    memory) and the write runs at disk speed.

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
        ``s(t)`` (rounded once to float32); the default vector fill is within
        the per-kind bound of README "Numbers you can rely on". ``threads``
        caps the fill threads (None: automatic).
    progress : bool
        Draw a progress bar on stderr once the write has taken a second
        (``False``: never).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    fmt = format_of(path)
    request = values(s, n, dtype, start, exact, threads)
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be a bool, got {type(progress).__name__} {progress!r}")
    bar = None
    if progress:
        bar = ProgressBar(sys.stderr, f"fastlr.save_table {Path(path).name}", delay=PROGRESS_AFTER)
        bar.enabled = True
    return write_file(path, request, fmt, bar)


def write_file(path: str | os.PathLike[str], request: Values, fmt: str,
               progress: Progress | None = None) -> Path:
    """Write ``request`` to ``path`` as ``fmt`` (``"npy"``, ``"csv"`` or ``"txt"``), atomically."""
    if fmt == "npy":
        write_npy(path, request, progress)
    else:
        with replacing(path, "w") as f:
            write_text(f, request, fmt, progress)
    return Path(path)


def chunks(request: Values, size: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(offset, values)`` covering the request, ``size`` (default ``NPY_CHUNK``) at a time.

    ``values`` is one reused buffer: copy it to keep it past the next iteration.
    """
    size = size or NPY_CHUNK
    buffer = np.empty(min(request.n, size), dtype=request.dtype)
    for lo in range(0, request.n, size):
        yield lo, request.fill(buffer[: min(size, request.n - lo)], lo)


def write_npy(path: str | os.PathLike[str], request: Values, progress: Progress | None = None) -> None:
    """Write the request as a ``.npy`` file through memory-mapped windows."""
    count, kind = request.n, request.dtype
    with replacing(path, "w+b") as f:
        np.lib.format.write_array_header_1_0(
            f, {"descr": np.lib.format.dtype_to_descr(kind), "fortran_order": False, "shape": (count,)})
        f.flush()
        header = f.tell()
        _reserve(f, header + count * kind.itemsize)
        for lo in range(0, count, NPY_CHUNK):
            m = min(NPY_CHUNK, count - lo)
            window = np.memmap(f, dtype=kind, mode="r+", offset=header + lo * kind.itemsize, shape=(m,))
            request.fill(window, lo)
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


def write_text(stream: TextIO, request: Values, fmt: str = "csv", progress: Progress | None = None) -> None:
    """Write ``step<sep>value`` rows (``fmt`` = ``"csv"`` or ``"txt"``) with a header line."""
    sep, header = TEXT_FORMATS[fmt]
    stream.write(header)
    for lo, chunk in chunks(request, TEXT_CHUNK):
        steps = range(request.first + lo, request.first + lo + chunk.shape[0])
        stream.write("".join(f"{k}{sep}{v}\n" for k, v in zip(steps, _text(chunk))))
        if progress is not None:
            progress(lo + chunk.shape[0], request.n)


def remaining(elapsed: float, done: int, total: int) -> float | None:
    """Seconds left at the rate so far: ``elapsed * (total - done) / done`` (None before any)."""
    return elapsed * (total - done) / done if done > 0 else None


def duration(seconds: float) -> str:
    """``4.2 s``, ``3 min 07 s`` or ``1 h 02 min``."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


class ProgressBar:
    """A one-line progress bar on a stream, drawn once a write has run for ``delay`` seconds.

    ``force=None`` draws only on a terminal; ``True`` always; ``False`` never.
    While running it shows the time so far and the estimated time left (the
    rate so far applied to the values left); when done, the total time.
    """

    def __init__(self, stream: TextIO, label: str, force: bool | None = None,
                 delay: float = 0.5, width: int = 30,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.label, self.width, self.clock = stream, label, width, clock
        self.enabled = stream.isatty() if force is None else force
        self.delay = 0.0 if force else delay
        self.began = clock()
        self.drawn = False
        self.last_draw = -math.inf
        self.shown = 0  # length of the line on screen, to blank a longer previous one

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        elapsed = now - self.began
        if elapsed < self.delay and (done < total or not self.drawn):
            return  # not yet worth a bar, or finished before one was
        if done < total and now - self.last_draw < 0.1:
            return
        self.last_draw = now
        fraction = done / total if total else 1.0
        filled = int(fraction * self.width)
        left = remaining(elapsed, done, total)
        timing = (duration(elapsed) if done >= total else
                  f"{duration(elapsed)}, ETA {'?' if left is None else duration(left)}")
        line = (f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                f"{fraction:4.0%}  {done:,}/{total:,} steps  {timing}")
        self.stream.write(f"\r{line}{' ' * max(0, self.shown - len(line))}")
        self.shown = len(line)
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
