"""fastlr.save_table: a .npy written window by window through a memory map."""

from __future__ import annotations

import numpy as np
import pytest

import fastlr
from conftest import assert_same_bits
from fastlr import _save

S = fastlr.warmup_cosine(1e-3, 300, 5000, end=1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_small_table_round_trips(engine, tmp_path, dtype):
    s = engine.bind(S)
    path = tmp_path / "t.npy"
    assert fastlr.save_table(path, s, 1000, dtype=dtype, start=0) == str(path)
    got = np.load(path)
    assert got.dtype == dtype and got.shape == (1000,)
    assert_same_bits(got, s.table(1000, dtype))
    assert not (tmp_path / "t.npy.part").exists()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_windows_cross_chunk_boundaries(engine, tmp_path, monkeypatch, dtype):
    monkeypatch.setattr(_save, "WINDOW_BYTES", 4096)  # 512 or 1024 values per window
    s = engine.bind(S)
    n, start = 3 * 1024 + 17, 123
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
    monkeypatch.setattr(_save, "PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(_save, "WINDOW_BYTES", 4096)
    s = engine.bind(S)
    fastlr.save_table(tmp_path / "a.npy", s, 5000)
    err = capsys.readouterr().err
    assert "fastlr.save_table" in err and "100.0%" in err
    fastlr.save_table(tmp_path / "b.npy", s, 5000, progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kwargs, error, words", [
    ({"schedule": lambda t: 0.1}, TypeError, "schedule"),
    ({"n": -1}, ValueError, "n must be"),
    ({"n": 2.0}, TypeError, "n must be"),
    ({"dtype": np.int32}, TypeError, "dtype"),
    ({"start": -5}, ValueError, "start"),
    ({"start": 2**63 - 5}, ValueError, "start + n - 1"),
    ({"progress": "yes"}, TypeError, "progress"),
    ({"threads": 0}, ValueError, "threads"),
])
def test_bad_arguments_raise_and_write_nothing(engine, tmp_path, kwargs, error, words):
    args = {"path": tmp_path / "t.npy", "schedule": engine.bind(S), "n": 10, **kwargs}
    with pytest.raises(error, match=words.replace("+", r"\+")):
        fastlr.save_table(**args)
    assert list(tmp_path.iterdir()) == []
