"""fastlr.keras.LearningRateSchedule under model.fit, with the TensorFlow and the JAX backends.

Keras reads ``KERAS_BACKEND`` once, at import: each backend's training run
happens in its own subprocess (``_keras_fit.py``); the in-process tests use
whichever backend this process has.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import fastlr

WARM = fastlr.warmup_cosine(peak=1e-2, warmup_steps=3, total_steps=14, end=1e-4)
HELPER = Path(__file__).with_name("_keras_fit.py")
BACKENDS = {"tensorflow": "tensorflow", "jax": "jax"}


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_model_fit_uses_the_schedule_and_survives_save_load(backend, tmp_path):
    if not _have("keras"):
        pytest.skip("Keras 3 is not installed (pip install 'fastlr-schedules[keras]')")
    if not _have(BACKENDS[backend]):
        pytest.skip(f"the Keras {backend} backend is not installed")
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    path = tmp_path / "model.keras"
    proc = subprocess.run([sys.executable, str(HELPER), json.dumps(WARM.to_dict()), str(path)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["backend"] == backend
    # 24 samples / batch 4 = 6 updates per epoch: 12 before saving, 6 after loading
    assert [it for it, _ in result["before"]] == list(range(1, 13))
    assert [it for it, _ in result["after"]] == list(range(13, 19))
    for iterations, used in result["before"] + result["after"]:
        assert used == float(np.float32(WARM(iterations - 1))), iterations
    assert result["loaded_type"] == "fastlr.keras.LearningRateSchedule"
    assert fastlr.from_dict(result["loaded_spec"]) == WARM
    assert result["loaded_config"] == {"schedule": WARM.to_dict(), "fingerprint": fastlr.fingerprint(WARM),
                                       "num_steps": None, "dtype": "float32"}


@pytest.fixture(scope="module")
def fk():
    pytest.importorskip("keras", reason="Keras 3 is not installed (pip install 'fastlr-schedules[keras]')")
    return pytest.importorskip("fastlr.keras", reason="Keras here is not Keras 3")


def test_eager_values_and_past_the_end(fk, engine):
    s = engine.bind(WARM)
    lr = fk.LearningRateSchedule(s)
    for t in (0, 2, 3, 13, 14, 15, 10**6):
        assert float(lr(t)) == float(np.float32(s(t))), t


def test_never_constant_schedule_needs_num_steps(fk):
    noam = fastlr.noam(d_model=64, warmup_steps=10)
    with pytest.raises(ValueError, match="num_steps is required"):
        fk.LearningRateSchedule(noam)
    lr = fk.LearningRateSchedule(noam, num_steps=30)
    assert float(lr(29)) == float(np.float32(noam(29)))
    assert math.isnan(float(lr(30)))


def test_config_round_trip(fk):
    keras = pytest.importorskip("keras")
    lr = fk.LearningRateSchedule(WARM, num_steps=40, dtype="float64")
    config = lr.get_config()
    assert json.loads(json.dumps(config)) == config
    again = fk.LearningRateSchedule.from_config(config)
    assert again.schedule == WARM and again.num_steps == 40 and again.dtype == "float64"
    revived = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(lr))
    assert isinstance(revived, fk.LearningRateSchedule) and revived.get_config() == config
    assert config["fingerprint"] == fastlr.fingerprint(WARM)
    edited = dict(config, schedule=fastlr.constant(0.1).to_dict())
    with pytest.raises(ValueError, match="fingerprint.*does not match"):
        fk.LearningRateSchedule.from_config(edited)


def test_is_a_keras_schedule(fk):
    keras = pytest.importorskip("keras")
    assert isinstance(fk.LearningRateSchedule(WARM), keras.optimizers.schedules.LearningRateSchedule)


def test_bad_arguments(fk):
    with pytest.raises(TypeError, match="schedule must be a fastlr schedule"):
        fk.LearningRateSchedule(0.1)
    with pytest.raises(TypeError, match="dtype must be 'float32' or 'float64'"):
        fk.LearningRateSchedule(WARM, dtype="int32")
    with pytest.raises(ValueError, match="num_steps must be a positive integer"):
        fk.LearningRateSchedule(WARM, num_steps=0)
    with pytest.raises(ValueError, match="spec is missing the key 'fastlr'"):
        fk.LearningRateSchedule({"kind": "constant"})
