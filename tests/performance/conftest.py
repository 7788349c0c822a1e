"""Speed budgets as ratios: our code against a reference timed in the same run, on the same machine.

A wall-clock limit fails on a slow CI runner and passes a regression on a fast laptop; a
ratio against a reference measured alongside (raw pandas, bare `predict_proba`) stays
meaningful on both. Budgets live in params.yaml (`performance.budgets`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from adclick.config import Settings


@dataclass(frozen=True)
class RatioResult:
    name: str
    ours: float  # median seconds
    reference: float  # median seconds
    budget: float

    @property
    def ratio(self) -> float:
        return self.ours / self.reference

    def message(self) -> str:
        return (
            f"{self.name}: ours {self.ours * 1e3:.2f} ms vs reference {self.reference * 1e3:.2f} ms (medians), "
            f"ratio {self.ratio:.2f}, budget {self.budget:.2f} (performance.budgets.{self.name} in params.yaml)"
        )


def _median_seconds(function: Callable[[], Any], rounds: int, warmup: int) -> float:
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


RatioCheck = Callable[..., RatioResult]


@pytest.fixture
def ratio_budget(benchmark: Any, params: Settings) -> RatioCheck:
    """Time `ours` with pytest-benchmark and `reference` alongside; fail if the ratio of the
    medians exceeds the named budget. The figures go into the benchmark JSON (`extra_info`)."""

    def check(name: str, ours: Callable[[], Any], reference: Callable[[], Any], *, rounds: int = 5) -> RatioResult:
        budgets = params.performance.budgets
        if name not in budgets:
            raise KeyError(f"no budget {name!r} in performance.budgets of params.yaml; have {sorted(budgets)}")
        reference_median = _median_seconds(reference, rounds, warmup=1)
        if benchmark.disabled:  # --benchmark-disable: still time ours the same way, so the check holds
            our_median = _median_seconds(ours, rounds, warmup=1)
        else:
            benchmark.pedantic(ours, rounds=rounds, warmup_rounds=1, iterations=1)
            our_median = benchmark.stats.stats.median
        result = RatioResult(name, our_median, reference_median, budgets[name])
        benchmark.extra_info.update(
            {"budget_name": name, "reference_median": reference_median, "ratio": result.ratio, "budget": result.budget}
        )
        assert result.ratio <= result.budget, result.message()
        return result

    return check
