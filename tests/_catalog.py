"""A catalog of native schedules covering every factory and its edge parameters."""

from __future__ import annotations

import fastlr

CATALOG: dict[str, fastlr.Schedule] = {
    "constant": fastlr.constant(0.1),
    "linear": fastlr.linear(1.0, 100, end=0.1),
    "linear_up": fastlr.linear(0.0, 7, end=3e-4),
    "linear_zero_steps": fastlr.linear(1.0, 0, end=0.5),
    "polynomial": fastlr.polynomial(0.1, 1000, end=1e-4, power=2.0),
    "polynomial_sqrt": fastlr.polynomial(0.1, 33, power=0.5),
    "cosine": fastlr.cosine(1e-3, 4000),
    "cosine_end": fastlr.cosine(0.1, 17, end=0.01),
    "exponential": fastlr.exponential(1e-3, 0.9, 4000),
    "exponential_staircase_floor": fastlr.exponential(0.1, 0.5, 10, staircase=True, floor=1e-3),
    "exponential_growth": fastlr.exponential(1e-6, 1.05, 3),
    "inverse_time": fastlr.inverse_time(0.1, 0.5, 100),
    "inverse_time_staircase": fastlr.inverse_time(0.1, 2.0, 7, staircase=True),
    "step": fastlr.step(0.1, 30),
    "step_gamma": fastlr.step(1.0, 1, gamma=0.5),
    "multistep": fastlr.multistep(0.1, [30, 80], gamma=0.2),
    "piecewise_constant": fastlr.piecewise_constant([10001, 20001, 30001], [1e-3, 8e-4, 4e-4, 1e-4]),
    "piecewise_linear": fastlr.piecewise_linear([0, 100, 250], [0.0, 1.0, 0.1]),
    "piecewise_linear_late": fastlr.piecewise_linear([5, 6], [0.3, 0.7]),
    "cosine_restarts": fastlr.cosine_restarts(0.1, 10),
    "cosine_restarts_mult2": fastlr.cosine_restarts(0.1, 10, end=1e-3, period_mult=2.0, decay=0.5),
    "cosine_restarts_mult1.5": fastlr.cosine_restarts(1.0, 10, period_mult=1.5),
    "cosine_restarts_mult3": fastlr.cosine_restarts(0.5, 1, period_mult=3.0, decay=0.9),
    "cosine_restarts_huge_mult": fastlr.cosine_restarts(1.0, 1, period_mult=1e308),
    "cyclic": fastlr.cyclic(0.1, 1.0, 5),
    "cyclic_triangular2": fastlr.cyclic(1e-4, 1e-2, 20, step_size_down=5, mode="triangular2"),
    "cyclic_exp_range": fastlr.cyclic(1e-4, 1e-2, 7, mode="exp_range", gamma=0.999),
    "one_cycle": fastlr.one_cycle(0.1, 1000),
    "one_cycle_linear_three": fastlr.one_cycle(1.0, 101, pct_start=0.25, anneal="linear", three_phase=True),
    "one_cycle_no_rise": fastlr.one_cycle(1.0, 10, pct_start=0.0),
    "warmup_cosine": fastlr.warmup_cosine(1e-3, 4000, 40000),
    "warmup_cosine_start_end": fastlr.warmup_cosine(1.0, 3, 10, start=0.1, end=0.01),
    "warmup_cosine_no_warmup": fastlr.warmup_cosine(1.0, 0, 10),
    "warmup_cosine_all_warmup": fastlr.warmup_cosine(1.0, 10, 10, end=0.2),
    "warmup_cosine_empty": fastlr.warmup_cosine(1.0, 0, 0, end=0.3),
    "warmup_linear": fastlr.warmup_linear(1e-3, 100, 1000, end=1e-5),
    "warmup_inverse": fastlr.warmup_inverse(1e-3, 4000, power=1.0),
    "warmup_inverse_sqrt": fastlr.warmup_inverse(5e-4, 4000),
    "noam": fastlr.noam(128),
    "noam_scaled": fastlr.noam(512, warmup_steps=10, scale=2.0),
    "wsd": fastlr.wsd(1e-3, 100, 500, 200, end=1e-5),
    "wsd_cosine": fastlr.wsd(1.0, 0, 3, 5, cooldown="cosine"),
    "wsd_sqrt": fastlr.wsd(1.0, 2, 0, 9, start=0.5, cooldown="1-sqrt"),
    "warmup_of_cosine": fastlr.warmup(fastlr.cosine(1e-3, 36000), 4000),
    "warmup_of_cyclic": fastlr.warmup(fastlr.cyclic(0.1, 1.0, 5), 3, start=0.05),
    "warmup_zero": fastlr.warmup(fastlr.constant(0.2), 0),
    "join": fastlr.join([fastlr.linear(0.0, 10, end=1.0), fastlr.cosine(1.0, 90),
                         fastlr.constant(0.01)], [10, 100]),
    "join_periodic": fastlr.join([fastlr.cosine_restarts(1.0, 7, period_mult=2.0),
                                  fastlr.noam(64, warmup_steps=5)], [50]),
    "join_nested": fastlr.join([fastlr.join([fastlr.constant(1.0), fastlr.step(0.5, 3)], [4]),
                                fastlr.warmup(fastlr.exponential(0.2, 0.5, 5), 6)], [20]),
}

DIVERGENT = {"exponential_growth"}  # grows without bound: inf once float64 overflows

NATIVE_FACTORIES = sorted({s.name for s in CATALOG.values()})
