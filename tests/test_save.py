"""fastlr.save_table: a .npy written window by window through a memory map (public options)."""

from __future__ import annotations

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits
from fastlr import _tables

S = fastlr.warmup_cosine(1e-3, 300, 5000, end=1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_small_table_round_trips(engine, tmp_path, dtype):
    s = engine.bind(S)
    path = tmp_path / "t.npy"
    assert fastlr.save_table(path, s, 1000, dtype=dtype, start=0) == path
    got = np.load(path)
    assert got.dtype == dtype and got.shape == (1000,)
    assert_same_bits(got, s.table(1000, dtype))
    assert [p.name for p in tmp_path.iterdir()] == ["t.npy"]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_windows_cross_chunk_boundaries(engine, tmp_path, monkeypatch, dtype):
    monkeypatch.setattr(_tables, "NPY_CHUNK", 512)
    s = engine.bind(S)
    n, start = 3 * 512 + 17, 123
    path = tmp_path / "t.npy"
    fastlr.save_table(path, s, n, dtype=dtype, start=start, exact=True)
    got = np.load(path, mmap_mode="r")
    assert got.shape == (n,)
    assert_same_bits(np.asarray(got), [np.dtype(dtype).type(s(start + j)) for j in range(n)])


def test_empty_table_and_replacing_a_file(engine, tmp_path):
    path = tmp_path / "t.npy"
    path.write_bytes(b"old contents")
    fastlr.save_table(path, engine.bind(S), 0)
    assert np.load(path).shape == (0,)


def test_progress_bar_on_stderr_and_off_switch(engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(_tables, "PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(_tables, "NPY_CHUNK", 512)
    s = engine.bind(S)
    fastlr.save_table(tmp_path / "a.npy", s, 5000)
    err = capsys.readouterr().err
    assert "fastlr.save_table a.npy" in err and "100%" in err
    fastlr.save_table(tmp_path / "b.npy", s, 5000, progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kwargs, error, words", [
    ({"s": lambda t: 0.1}, TypeError, "s must be"),
    ({"n": -1}, ValueError, "n must be"),
    ({"n": 2.0}, TypeError, "n must be"),
    ({"dtype": np.int32}, TypeError, "dtype"),
    ({"start": -5}, ValueError, "start"),
    ({"start": 2**63 - 5}, ValueError, "start + n - 1"),
    ({"progress": "yes"}, TypeError, "progress"),
    ({"threads": 0}, ValueError, "threads"),
    ({"exact": 1}, TypeError, "exact"),
])
def test_bad_arguments_raise_and_write_nothing(engine, tmp_path, kwargs, error, words):
    args = {"path": tmp_path / "t.npy", "s": engine.bind(S), "n": 10, **kwargs}
    with pytest.raises(error, match=words.replace("+", r"\+")):
        fastlr.save_table(**args)
    assert list(tmp_path.iterdir()) == []


def test_exact_option_matches_calls(engine, tmp_path):
    s = engine.bind(S)
    fastlr.save_table(tmp_path / "t.npy", s, 777, start=4000, exact=True, threads=2)
    assert_same_bits(np.load(tmp_path / "t.npy"), [s(4000 + j) for j in range(777)])


def _read(path, dtype):
    if path.suffix == ".npy":
        return np.load(path)
    sep = "," if path.suffix == ".csv" else " "
    rows = path.read_text().splitlines()[1:]
    return np.array([np.dtype(dtype).type(row.split(sep)[1]) for row in rows], dtype=dtype)


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("suffix", ["npy", "csv", "txt"])
def test_every_format_holds_the_fill_values_across_chunks(engine, tmp_path, monkeypatch, suffix, dtype,
                                                          exact):
    monkeypatch.setattr(_tables, "NPY_CHUNK", 700)  # many windows and text chunks, odd sizes
    monkeypatch.setattr(_tables, "TEXT_CHUNK", 333)
    s = engine.bind(fastlr.join([S, fastlr.noam(64, 100)], [5000]))  # cosine and pow kinds
    n, start = 4000, 2500
    path = fastlr.save_table(tmp_path / f"t.{suffix}", s, n, dtype, start, exact=exact, progress=False)
    got = _read(path, dtype)
    assert got.dtype == dtype
    assert_same_bits(got, s.fill(np.empty(n, dtype), start=start, exact=exact))
    whole = s.table(start + n, dtype, exact=exact)  # one fill from step 0: same bits
    assert_same_bits(got, whole[start:])
