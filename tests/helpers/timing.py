"""Timing helpers of the performance layer: medians, interleaved ratios of fastest rounds, budgets, growth."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from adclick.config import Settings
from adclick.data import contract

# The timed sizes are rows of data about as wide as the demo; wider data is timed on as many
# cells, fewer rows, so that the layer costs the same on a file of 60 columns as on one of 13
# (a ratio does not need more rows to mean something, and a million rows of 60 columns took
# minutes to draw and validate).
TIMED_WIDTH = 13


def rows_of(rows: int) -> int:
    """`rows` of a demo-wide data set, as rows of the data under test (never more, at least 1,000)."""
    return max(1_000, rows * TIMED_WIDTH // max(TIMED_WIDTH, len(contract.FEATURES)))


@dataclass(frozen=True)
class RatioResult:
    name: str
    ours: float  # seconds, the fastest round (interleaved_ratio)
    reference: float  # seconds, the fastest round
    budget: float

    @property
    def ratio(self) -> float:
        return self.ours / self.reference

    @property
    def passed(self) -> bool:
        return self.ratio <= self.budget

    def message(self) -> str:
        return (
            f"{self.name}: ours {self.ours * 1e3:.3f} ms vs reference {self.reference * 1e3:.3f} ms (fastest rounds), "
            f"ratio {self.ratio:.2f}, budget {self.budget:.2f} (performance.budgets.{self.name} in params.yaml)"
        )


def median_seconds(function: Callable[[], Any], rounds: int, warmup: int = 1) -> float:
    """Median wall time of `rounds` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def interleaved_ratio(ours: Callable[[], Any], reference: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """The fastest round of ours and of the reference, timed alternately so that a machine busy
    for a moment slows both alike (timing one after the other let the ratio of a 1,000-row
    prediction wander from 1.6 to 2.7 between runs here).

    The fastest, not the median, as `timeit` advises: a slower round measures the neighbours,
    not the code. Beside two CPU-bound processes the scheduler preempts a 5 ms call far more
    often than a 1.5 ms one, and the ratio of medians of a 1-row prediction read 2.0-8.0 (3.1
    idle); the ratio of the fastest rounds read 3.1-3.8 (3.1 idle). A slowdown on every call,
    a sleep included, still moves the fastest round (tests/performance/test_prediction_speed.py)."""
    reference(), ours()  # warm-up
    our_times, reference_times = [], []
    for _ in range(rounds):  # the reference, then ours, as the budgets run (tests/performance/conftest.py)
        for function, timings in ((reference, reference_times), (ours, our_times)):
            start = time.perf_counter()
            function()
            timings.append(time.perf_counter() - start)
    return min(our_times), min(reference_times)


def budget_of(params: Settings, name: str) -> float:
    budgets = params.performance.budgets
    if name not in budgets:
        raise KeyError(f"no budget {name!r} in performance.budgets of params.yaml; have {sorted(budgets)}")
    return budgets[name]


def growth_exponent(rows: list[int], seconds: list[float]) -> float:
    """k in time ~ rows^k, fitted on a log-log scale (1 = linear, 2 = quadratic)."""
    return float(np.polyfit(np.log(rows), np.log(seconds), 1)[0])


RatioCheck = Callable[..., RatioResult | None]
