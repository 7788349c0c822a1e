"""Speed budgets as ratios: our code against a reference timed in the same run, on the same machine.

A wall-clock limit fails on a slow CI runner and passes a regression on a fast laptop; a
ratio against a reference measured alongside (raw pandas, the bare classifier) stays
meaningful on both. Budgets live in params.yaml (`performance`).

With `--benchmark-disable` (the fast layers), each benchmark runs once as a plain test: its
output is still checked, its timing is not.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from adclick.config import Settings
from tests.helpers.timing import RatioCheck, RatioResult, budget_of


@pytest.fixture
def ratio_budget(benchmark: Any, params: Settings) -> RatioCheck:
    """Time `ours` and `reference` alternately; fail if the ratio of their fastest rounds exceeds the
    named budget. pytest-benchmark times `ours` (its saved JSON and the ratio's numerator are the
    same rounds); the ratio figures go into its `extra_info`, which `python -m tools bench-report`
    turns into a table."""

    def check(
        name: str, ours: Callable[[], Any], reference: Callable[[], Any], *, rounds: int = 5
    ) -> RatioResult | None:
        budget = budget_of(params, name)
        if benchmark.disabled:
            benchmark(ours)
            reference()
            return None
        reference_seconds: list[float] = []

        def timed_reference() -> None:
            start = time.perf_counter()
            reference()
            reference_seconds.append(time.perf_counter() - start)

        # One run of each side per round, alternately (`timing.interleaved_ratio`): the reference
        # as pytest-benchmark's untimed setup of each of our rounds, the warm-up round included.
        benchmark.pedantic(ours, setup=timed_reference, rounds=rounds, warmup_rounds=1, iterations=1)
        result = RatioResult(name, benchmark.stats.stats.min, min(reference_seconds[1:]), budget)
        benchmark.extra_info.update(
            {
                "budget_name": name,
                "our_seconds": result.ours,
                "reference_seconds": result.reference,
                "ratio": result.ratio,
                "budget": budget,
                "passed": result.passed,
            }
        )
        assert result.passed, result.message()
        return result

    return check


@pytest.fixture(scope="session")
def scoring_frames(params: Settings, data_like: Callable[..., Any]) -> Callable[[int], Any]:
    """Rows to score of a given size (batch 1 of the seed, like the data to score), cached."""
    cache: dict[int, Any] = {}

    def frame(rows: int) -> Any:
        if rows not in cache:
            cache[rows] = data_like(rows, params.seed, batch=1)
        return cache[rows]

    return frame
