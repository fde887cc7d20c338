"""README-style use of fastlr; mypy --strict and pyright must accept it (tests/test_typing.py)."""

import keras
import numpy as np
import numpy.typing as npt
import optax
import torch

import fastlr
import fastlr.keras
import fastlr.optax
import fastlr.torch

s = fastlr.warmup_cosine(peak=1e-3, warmup_steps=100, total_steps=1_000, end=1e-5)
lr: float = s(10) + s(np.int64(500))
table: npt.NDArray[np.float64] = s.table(1_000)
table32: npt.NDArray[np.float32] = s.table(1_000, dtype=np.float32, exact=True, threads=1)
out: npt.NDArray[np.float32] = s.fill(np.empty(100, dtype=np.float32), start=900)
values: npt.NDArray[np.float64] = s.at(np.array([0, 10, 5_000]))
again: fastlr.Schedule = fastlr.from_dict(s.to_dict())
steps: fastlr.Schedule = fastlr.compat.torch.StepLR(base_lr=0.1, step_size=30, gamma=0.5)
phases: tuple[int, ...] = steps.boundaries

opt = torch.optim.AdamW(torch.nn.Linear(4, 1).parameters(), lr=0.0)
sched: torch.optim.lr_scheduler.LRScheduler = fastlr.torch.LRScheduler(opt, s, scale=2.0)
keras_lr: keras.optimizers.schedules.LearningRateSchedule = fastlr.keras.LearningRateSchedule(s)
tx = optax.adamw(learning_rate=fastlr.optax.schedule(s, num_steps=1_000))
print(lr, table, table32, out, values, again == s, phases, sched, keras_lr, tx)
