"""Run by test_adapter_keras.py in a subprocess, one Keras backend per process.

Trains a tiny model with ``model.fit`` under the backend named by
``KERAS_BACKEND``, records the learning rate the optimizer passed to each
variable update, saves the model to ``.keras``, loads it back and trains on;
prints the records as JSON on the last line of stdout. The test process
compares them with the schedule's own values.
"""

from __future__ import annotations

import json
import sys
import warnings

warnings.simplefilter("error")
# Keras 3.15's model.save trips NumPy 2's __array__(copy=) deprecation in its own code.
warnings.filterwarnings("ignore", message="__array__ implementation doesn't accept a copy keyword",
                        category=DeprecationWarning)

import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import ops  # noqa: E402

import fastlr  # noqa: E402
import fastlr.keras  # noqa: E402


@keras.saving.register_keras_serializable(package="fastlr_tests")
class RecordingSGD(keras.optimizers.SGD):
    """SGD that stores the learning rate of its last update in a variable."""

    def build(self, variables):
        super().build(variables)
        self.used_lr = self.add_variable((), dtype="float32", initializer="zeros", name="used_lr")

    def update_step(self, gradient, variable, learning_rate):
        self.assign(self.used_lr, ops.cast(learning_rate, "float32"))
        super().update_step(gradient, variable, learning_rate)


class Record(keras.callbacks.Callback):
    def __init__(self, rows):
        super().__init__()
        self.rows = rows

    def on_train_batch_end(self, batch, logs=None):
        opt = self.model.optimizer
        self.rows.append([int(opt.iterations), float(opt.used_lr)])


def main(spec_json: str, path: str) -> None:
    schedule = fastlr.from_dict(json.loads(spec_json))
    rng = np.random.default_rng(0)
    x = rng.random((24, 3), dtype=np.float32)
    y = rng.random((24, 1), dtype=np.float32)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    model.compile(optimizer=RecordingSGD(learning_rate=fastlr.keras.LearningRateSchedule(schedule)),
                  loss="mse")
    before: list = []
    model.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False, callbacks=[Record(before)])
    model.save(path)
    loaded = keras.models.load_model(path)
    lr = loaded.optimizer._learning_rate
    after: list = []
    loaded.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False, callbacks=[Record(after)])
    print(json.dumps({
        "backend": keras.backend.backend(),
        "before": before,
        "after": after,
        "loaded_type": f"{type(lr).__module__}.{type(lr).__qualname__}",
        "loaded_spec": lr.schedule.to_dict(),
        "loaded_config": lr.get_config(),
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
