"""Megatron-LM's batch-size ramp-up (``--rampup-batch-size START INCREMENT SAMPLES``), counted exactly.

Rules of ``RampupBatchsizeNumMicroBatchesCalculator`` (megatron/core/
num_microbatches_calculator.py, megatron-core <= 0.17) and of the training
loop that drives it (megatron/training/training.py):

* before every iteration the calculator is updated with ``consumed``, the
  samples consumed so far; the global batch size is the final one once
  ``consumed > SAMPLES``, else
  ``START + int(consumed / (SAMPLES / K)) * INCREMENT`` with
  ``K = (final - START) // INCREMENT`` increments (float64 division, as in
  Megatron);
* with ``decrease_batch_size_if_needed`` the batch actually run is rounded down
  to a multiple of ``micro_batch_size * data_parallel_size``;
* the iteration then consumes that many samples.

The batch is a non-decreasing step function of ``consumed``, so the run splits
into *stages* of constant batch size; :func:`stages` finds them with a binary
search for each change, using the same float operations as Megatron.
"""

from __future__ import annotations

from typing import NamedTuple


class Ramp(NamedTuple):
    """A ramp-up: global batch sizes in samples, across all data-parallel ranks."""

    start: int
    increment: int
    samples: int
    final: int  # the global batch size after the ramp-up
    unit: int  # micro_batch_size * data_parallel_size
    decrease: bool  # decrease_batch_size_if_needed

    def global_batch(self, consumed: int) -> int:
        """Megatron's current global batch size after ``consumed`` samples."""
        if consumed > self.samples:
            return self.final
        per_increment = self.samples / ((self.final - self.start) // self.increment)
        return self.start + int(consumed / per_increment) * self.increment

    def running_batch(self, consumed: int) -> int:
        """Samples the next iteration consumes (rounded down with ``decrease``)."""
        batch = self.global_batch(consumed)
        if self.decrease and batch % self.unit:
            return batch // self.unit * self.unit
        return batch


class Stages(NamedTuple):
    """Stage ``i`` begins at step ``steps[i]`` with ``consumed[i]`` samples and runs ``batch[i]``
    samples per step until the next stage; the last stage runs forever."""

    steps: list[int]
    consumed: list[int]
    batch: list[int]


def stages(ramp: Ramp) -> Stages:
    """The stages of constant batch size of a ramp-up, from step 0 to the final batch size."""
    steps, consumed, batch = [0], [0], [ramp.running_batch(0)]
    step, done = 0, 0
    while ramp.global_batch(done) != ramp.final:
        current = ramp.global_batch(done)
        lo, hi = done + 1, ramp.samples + 1  # the batch changes somewhere in (done, samples + 1]
        while lo < hi:
            mid = (lo + hi) // 2
            if ramp.global_batch(mid) != current:
                hi = mid
            else:
                lo = mid + 1
        count = -(-(lo - done) // batch[-1])  # steps until at least `lo` samples are consumed
        step += count
        done += count * batch[-1]
        steps.append(step)
        consumed.append(done)
        batch.append(ramp.running_batch(done))
    return Stages(steps, consumed, batch)
