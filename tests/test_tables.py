"""The chunked table writer behind ``fastlr table``: .npy through memory-mapped windows, text."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

import fastlr
from fastlr import _tables


@pytest.fixture
def small_chunks(monkeypatch):
    """Force many windows and text chunks on small tables."""
    monkeypatch.setattr(_tables, "NPY_CHUNK", 1000)
    monkeypatch.setattr(_tables, "TEXT_CHUNK", 700)


def _schedule(engine):
    return engine.bind(fastlr.warmup_cosine(peak=1e-3, warmup_steps=400, total_steps=4000, end=1e-5))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("start", [0, 3999, 2**40])
def test_npy_equals_fill(engine, tmp_path, small_chunks, dtype, start):
    s = _schedule(engine)
    path = _tables.save_table(tmp_path / "t.npy", s, 4321, dtype=dtype, start=start)
    got = np.load(path)
    assert got.dtype == dtype and got.shape == (4321,)
    assert np.array_equal(got, s.fill(np.empty(4321, dtype=dtype), start=start))
    if start == 0:
        assert np.array_equal(got, s.table(4321, dtype))


def test_npy_of_zero_steps(tmp_path, engine):
    path = _tables.save_table(tmp_path / "t.npy", _schedule(engine), 0)
    assert np.load(path).shape == (0,)


@pytest.mark.parametrize("fmt, sep, header", [("csv", ",", "step,value"), ("txt", " ", "# step value")])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_text_reads_back_exactly(engine, tmp_path, small_chunks, fmt, sep, header, dtype):
    s = _schedule(engine)
    path = _tables.save_table(tmp_path / f"t.{fmt}", s, 4321, dtype=dtype, start=17)
    lines = path.read_text().splitlines()
    assert lines[0] == header and len(lines) == 4322
    steps = [int(line.split(sep)[0]) for line in lines[1:]]
    values = np.array([dtype(line.split(sep)[1]) for line in lines[1:]], dtype=dtype)
    assert steps == list(range(17, 17 + 4321))
    assert np.array_equal(values, s.fill(np.empty(4321, dtype=dtype), start=17))


def test_progress_reaches_the_total(engine, tmp_path, small_chunks):
    calls = []
    request = _tables.values(_schedule(engine), 2500)
    _tables.write_npy(tmp_path / "t.npy", request, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_bar_shows_the_time_left_then_the_total_time():
    clock, stream = FakeClock(), io.StringIO()
    bar = _tables.ProgressBar(stream, "writing", force=True, width=10, clock=clock)
    clock.now += 2.0
    bar(250, 1000)  # 2 s for a quarter: 6 s left at that rate
    clock.now += 70.0
    bar(500, 1000)  # 72 s for half: 72 s left
    clock.now += 3700.0
    bar(1000, 1000)
    frames = stream.getvalue().split("\r")[1:]
    assert frames[0] == "writing [##........]  25%  250/1,000 steps  2.0 s, ETA 6.0 s"
    assert frames[1] == "writing [#####.....]  50%  500/1,000 steps  1 min 12 s, ETA 1 min 12 s"
    # the last frame blanks what is left of the longer one before it
    assert frames[2].rstrip(" \n") == "writing [##########] 100%  1,000/1,000 steps  1 h 02 min"
    assert frames[2].endswith("\n") and len(frames[2]) - 1 == len(frames[1])


def test_progress_bar_waits_for_its_delay_and_skips_quick_writes():
    clock, stream = FakeClock(), io.StringIO()
    bar = _tables.ProgressBar(stream, "w", force=None, delay=1.0, clock=clock)
    bar.enabled = True  # as on a terminal
    clock.now += 0.5
    bar(10, 100)
    bar(100, 100)  # done before the delay: never drawn
    assert stream.getvalue() == ""
    late = _tables.ProgressBar(stream, "w", delay=1.0, clock=clock)
    late.enabled = True
    clock.now += 1.5
    late(50, 100)
    assert "50%" in stream.getvalue() and "ETA 1.5 s" in stream.getvalue()


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(n=-1), ValueError, "n must be a non-negative integer"),
    (dict(n=1.5), TypeError, "n must be an integer"),
    (dict(n=5, dtype=np.int32), TypeError, "dtype must be float64 or float32"),
    (dict(n=5, start=-2), ValueError, "start must be a non-negative integer"),
    (dict(n=5, start=2**63 - 2), ValueError, "start + n - 1 must be at most 2**63 - 1"),
])
def test_bad_arguments_write_nothing(tmp_path, kwargs, error, message):
    path = tmp_path / "t.npy"
    with pytest.raises(error, match=message.replace("*", r"\*").replace("+", r"\+")):
        _tables.save_table(path, fastlr.constant(1.0), **kwargs)
    assert os.listdir(tmp_path) == []


def test_not_a_schedule(tmp_path):
    with pytest.raises(TypeError, match="s must be a fastlr schedule"):
        _tables.save_table(tmp_path / "t.npy", lambda t: 1.0, 3)  # type: ignore[arg-type]


def test_unknown_suffix(tmp_path):
    with pytest.raises(ValueError, match="must end in .npy, .csv or .txt"):
        _tables.save_table(tmp_path / "t.bin", fastlr.constant(1.0), 3)


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "t.npy"
    path.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_tables, "_reserve", broken)
    with pytest.raises(OSError, match="No space left"):
        _tables.save_table(path, fastlr.constant(1.0), 10)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["t.npy"]


def test_written_file_has_normal_permissions(tmp_path):
    path = _tables.save_table(tmp_path / "t.csv", fastlr.constant(1.0), 3)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
