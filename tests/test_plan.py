"""fastlr.plan and ``fastlr plan``: the dry run of a training run, with its warnings.

Expected numbers are worked out by hand in the comments (1,000,000 samples, 8 per device,
4 accumulation steps, 8 devices: 256 samples per update, ceil(1e6 / 256) = 3,907 updates per
epoch, the last one of 64 samples).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import fastlr
from fastlr.plan import PlanWarning, render

FACTS = dict(batch_size=8, grad_accum=4, world_size=8, dataset_size=1_000_000, seq_len=2048)
CLOCK = fastlr.Clock(**FACTS, total=fastlr.epochs(3))
RUN = 3 * 3907
FLAGS = ["--batch-size", "8", "--grad-accum", "4", "--world-size", "8", "--dataset-size", "1000000",
         "--seq-len", "2048", "--epochs", "3"]


def test_a_run_that_fits_has_no_warning():
    s = fastlr.warmup_cosine(3e-4, 1000, RUN)
    p = fastlr.plan(s, CLOCK)  # filterwarnings=error: any warning would fail here
    assert p.updates == RUN and p.warnings == ()
    assert (p.start_lr, p.peak_lr, p.peak_step) == (0.0, 3e-4, 1000)
    assert p.end_lr == s(RUN - 1)
    warm, end = p.boundaries
    assert (warm.step, warm.samples, warm.tokens, warm.epoch, warm.in_run) == (
        1000, 256_000, 256_000 * 2048, 256_000 / 1_000_000, True)
    assert (end.step, end.in_run, end.samples) == (RUN, False, 3_000_000)  # the end value is never used


def test_a_cut_decay_warns_with_its_numbers():
    s = fastlr.warmup_cosine(3e-4, 1000, 20_000)
    with pytest.warns(PlanWarning, match="the run stops before the schedule ends") as record:
        p = fastlr.plan(s, CLOCK)
    message = str(record[0].message)
    # 20,000 - 11,721 = 8,279 steps cut; (11,721 - 1,000) / 19,000 = 56.4% of the decay runs
    assert "the last 8,279 steps of the decay are cut (56.4% of it runs)" in message
    assert f"final learning rate is {s(RUN - 1):.6g}" in message
    # step 20,000: 5 epochs (19,535 steps) + 465 steps of 256 samples = 5,119,040 samples
    assert "step 20,000 (epoch 5.119, 5,119,040 samples" in message
    assert p.warnings == (message,)


def test_a_tail_at_the_end_value_warns_with_its_length():
    with pytest.warns(PlanWarning, match=r"the last 6,721 of 11,721 updates \(57\.3%\) train at that value"):
        fastlr.plan(fastlr.warmup_linear(3e-4, 100, 5000, end=1e-5), CLOCK)


def test_staircases_warn_only_when_their_last_step_never_comes():
    fastlr.plan(fastlr.multistep(0.1, [3907, 7814]), CLOCK)  # drops at epochs 1 and 2: fits
    with pytest.warns(PlanWarning, match="its value 0.001 is never used"):
        fastlr.plan(fastlr.multistep(0.1, [3907, RUN]), CLOCK)
    assert fastlr.plan(fastlr.noam(512), CLOCK).warnings == ()  # no end to check
    assert fastlr.plan(fastlr.constant(0.1), CLOCK).boundaries == ()


def test_a_clocked_schedule_brings_its_clock_and_total():
    s = fastlr.clocked(CLOCK, "warmup_cosine", peak=3e-4, warmup_steps=fastlr.tokens(2e9),
                       total_steps=fastlr.fraction(1.0))
    p = fastlr.plan(s)
    assert p.clock == CLOCK and p.updates == RUN and p.warnings == ()
    assert [b.step for b in p.boundaries] == [3815, RUN]
    with pytest.warns(PlanWarning, match="the last 7,814 steps of the decay are cut"):
        assert fastlr.plan(s, total=fastlr.epochs(1)).updates == 3907  # a shorter run cuts the decay
    with pytest.warns(PlanWarning):
        fastlr.plan(s, fastlr.Clock(**{**FACTS, "world_size": 4}, total=fastlr.epochs(3)))


def test_tables_list_every_update():
    p = fastlr.plan(fastlr.warmup_cosine(3e-4, 1000, RUN), CLOCK)
    table = p.table()
    assert list(table) == ["step", "lr", "samples", "tokens", "epoch"]
    assert np.array_equal(table["lr"], p.schedule.table(RUN, exact=True))
    steps = np.arange(RUN)
    # within an epoch 256 samples per update, the epoch's last update 64
    samples = (steps // 3907) * 1_000_000 + np.minimum(steps % 3907 * 256, 1_000_000)
    assert np.array_equal(table["samples"], samples) and np.array_equal(table["tokens"], samples * 2048)
    assert table["epoch"][3907] == 1.0


def test_write_table_reads_back(tmp_path):
    p = fastlr.plan(fastlr.warmup_cosine(3e-4, 1000, RUN), CLOCK)
    path = p.write_table(tmp_path / "lr.csv")
    with open(path) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["step", "lr", "samples", "tokens", "epoch"] and len(rows) == RUN + 1
    table = p.table()
    for k in (0, 1, 999, 1000, 3906, 3907, RUN - 1):
        assert rows[k + 1] == [str(k), repr(float(table["lr"][k])), str(table["samples"][k]),
                               str(table["tokens"][k]), repr(float(table["epoch"][k]))]
    with pytest.raises(ValueError, match="must end in .csv"):
        p.write_table(tmp_path / "lr.npy")
    bare = fastlr.plan(fastlr.constant(1.0), fastlr.Clock(), total=3)
    assert list(bare.table()) == ["step", "lr"]


def test_plot_marks_the_run(tmp_path):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    with pytest.warns(PlanWarning):
        p = fastlr.plan(fastlr.warmup_cosine(3e-4, 1000, 20_000), CLOCK)
    ax = p.plot(ax=Figure().subplots())
    assert ax.get_xlim()[1] == 20_000 and "11,721 updates" in ax.get_xlabel()
    assert "after the run" in [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.mark.parametrize("call, error, words", [
    (lambda: fastlr.plan("cosine", CLOCK), TypeError, "schedule must be a fastlr schedule"),
    (lambda: fastlr.plan(fastlr.constant(1.0)), TypeError, "clock must be a fastlr.Clock"),
    (lambda: fastlr.plan(fastlr.constant(1.0), fastlr.Clock()), ValueError, "the run's length is unknown"),
    (lambda: fastlr.plan(fastlr.constant(1.0), CLOCK, total=fastlr.fraction(0.5)), ValueError,
     "total must not be a fraction"),
    (lambda: fastlr.plan(fastlr.constant(1.0), CLOCK, total=0), ValueError, "at least one update"),
    (lambda: fastlr.plan(fastlr.constant(1.0), fastlr.Clock(), total=fastlr.epochs(1)), ValueError,
     "epochs need dataset_size"),
])
def test_plan_rejects_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_render_shows_the_run():
    with pytest.warns(PlanWarning):
        p = fastlr.plan(fastlr.warmup_cosine(3e-4, 1000, 20_000), CLOCK)
    text = str(p)
    assert "run       11,721 updates (steps 0 … 11,720) (epoch 3, 3,000,000 samples" in text
    assert "256 samples per update; 3,907 updates per epoch" in text
    assert "-> 0  (after the run)" in text and text.count("warning: ") == 1
    assert "warning" not in render(p, warnings=False)
    ramp = fastlr.plan(fastlr.constant(1.0), fastlr.Clock(batch_size=1, world_size=8, grad_accum=192,
                                                           rampup=(32, 32, 2_000_000)), total=fastlr.samples(1e7))
    assert "global batch ramps up from 32 to 1,536 samples over the first" in str(ramp)


# ---------------------------------------------------------------- the command

def fastlr_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """``python -m fastlr ARGS`` with the fastlr under test, from any directory."""
    env = {**os.environ, "PYTHONPATH": str(Path(fastlr.__file__).resolve().parent.parent)}
    return subprocess.run([sys.executable, "-m", "fastlr", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_cli_plan_reports_and_warns(tmp_path):
    spec = "warmup_cosine(peak=3e-4, warmup_steps=1000, total_steps=20000)"
    result = fastlr_cli("plan", spec, *FLAGS, "--table", str(tmp_path / "lr.csv"))
    assert result.returncode == 0, result.stderr
    assert "11,721 updates" in result.stdout and "warning" not in result.stdout
    assert "fastlr: warning: the run stops before the schedule ends" in result.stderr
    assert "the last 8,279 steps of the decay are cut" in result.stderr
    assert (tmp_path / "lr.csv").read_text().count("\n") == RUN + 1
    strict = fastlr_cli("plan", spec, *FLAGS, "--strict")
    assert strict.returncode == 1 and strict.stdout == result.stdout


def test_cli_plan_fits_and_uses_a_clocked_specs_clock(tmp_path):
    fits = fastlr_cli("plan", f"warmup_cosine(3e-4, 1000, {RUN})", *FLAGS, "--strict")
    assert fits.returncode == 0 and fits.stderr == ""
    clocked = fastlr.clocked(CLOCK, "warmup_cosine", peak=3e-4, warmup_steps=fastlr.tokens(2e9),
                             total_steps=fastlr.fraction(1.0))
    own = fastlr_cli("plan", repr(clocked), "--strict")
    assert own.returncode == 0, own.stderr
    assert "step 3,815 (epoch 0.9766, 976,640 samples, 2e+09 tokens) -> 0.0003" in own.stdout
    shorter = fastlr_cli("plan", repr(clocked), "--tokens", "2e9")  # same clock, a shorter run
    assert "3,815 updates" in shorter.stdout and "warning" in shorter.stderr


def test_cli_plan_with_a_rampup_and_steps():
    result = fastlr_cli("plan", "cosine(1e-3, 1000)", "--batch-size", "1", "--world-size", "8",
                        "--grad-accum", "192", "--rampup", "32", "32", "2000000", "--steps", "1000")
    assert result.returncode == 0, result.stderr
    assert "global batch ramps up from 32 to 1,536 samples" in result.stdout


def test_cli_plan_writes_a_plot(tmp_path):
    pytest.importorskip("matplotlib")
    result = fastlr_cli("plan", "warmup_cosine(3e-4, 1000, 20000)", *FLAGS, "--plot", str(tmp_path / "p.png"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.png").stat().st_size > 1000


@pytest.mark.parametrize("args, words", [
    (["cosine(1e-3, 100)", "--batch-size", "8"], "give the run's length"),
    (["cosine(1e-3, 100)", "--epochs", "2"], "epochs need dataset_size or steps_per_epoch"),
    (["cosine(1e-3, 100)", "--batch-size", "0", "--steps", "3"], "--batch-size must be a positive integer"),
    (["cosine(1e-3, 100)", "--tokens", "-5"], "--tokens must be a positive number"),
    (["cosine(1e-3, 100)", "--tokens", "1e9", "--batch-size", "2"], "tokens need seq_len"),
    (["cosine(1e-3, 100)", "--steps", "3", "--plot", "x.gif"], "must end in .png, .svg or .pdf"),
    (["cosine(1e-3, 100)", "--steps", "3", "--table", "x.txt"], "must end in .csv"),
    (["cosine(1e-3, 100)", "--steps", "3", "--drop-last"], "drop_last needs dataset_size"),
    (["nope(1)", "--steps", "3"], "names no fastlr schedule"),
])
def test_cli_plan_errors_are_one_line(args, words, tmp_path):
    result = fastlr_cli("plan", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr
