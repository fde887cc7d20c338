"""Misuse that type checkers must reject: every line ending in "# error" (tests/test_typing.py)."""

import numpy as np
import numpy.typing as npt
import torch

import fastlr
import fastlr.optax
import fastlr.torch

s = fastlr.warmup_cosine(peak=1e-3, warmup_steps=100, total_steps=1_000)
s("10")  # error
s(1.5)  # error
s.fill([1.0])  # error
s.fill(np.zeros(10, dtype=np.int32))  # error
s.table(10, dtype=np.int64)  # error
s.at("0")  # error
wrong_dtype: npt.NDArray[np.float32] = s.table(10)  # error
not_str: str = s(3)  # error
fastlr.from_dict("warmup_cosine")  # error
fastlr.warmup_cosine(peak=1e-3, warmup_steps=1.5, total_steps=1_000)  # error
fastlr.cosine(start="1e-3", steps=100)  # error
fastlr.cyclic(0.1, 1.0, 10, mode="zigzag")  # error
fastlr.compat.torch.StepLR(base_lr="x", step_size=30)  # error
fastlr.compat.torch.OneCycleLR(base_lr=0.1, max_lr=1.0, total_steps=100, anneal_strategy="cosine")  # error
fastlr.compat.keras.CosineDecay(initial_learning_rate=0.1)  # error
fastlr.compat.optax.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100, lr=1.0)  # error
fastlr.compat.transformers.get_constant_schedule(base_lr=None)  # error
fastlr.compat.timm.CosineLRScheduler(base_lr=0.1, t_initial="10")  # error
opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.0)
fastlr.torch.LRScheduler(opt, "warmup_cosine")  # error
fastlr.torch.LRScheduler(opt, s, start_step=1.5)  # error
fastlr.optax.schedule(s, num_steps="100")  # error
