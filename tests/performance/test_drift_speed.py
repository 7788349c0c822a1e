"""Drift statistics and the monitored replay, against the bare scipy computations they wrap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adclick.config import Settings
from adclick.data.drift import data_drift
from adclick.model.predict import probabilities
from adclick.monitoring.days import make_day
from adclick.monitoring.drift_report import lenient_inputs
from adclick.monitoring.replay import expected, observe, raise_alerts
from tests.helpers.references import bare_statistics, hand_written_check, statistic_inputs
from tests.helpers.timing import RatioCheck, rows_of

pytestmark = pytest.mark.ml_test_score("monitor-6")

DRIFT_ROWS = rows_of(100_000)
REPLAY_DAYS = 30


@pytest.mark.slow
def test_drift_statistics_stay_within_budget_of_bare_scipy(
    ratio_budget: RatioCheck, params: Settings, data_like: Callable[..., Any]
) -> None:
    reference, current = data_like(DRIFT_ROWS, params.seed), data_like(DRIFT_ROWS, params.seed, batch=1)
    ready = statistic_inputs(reference, current, params.drift)
    assert not data_drift(reference, current, params.drift).drifted
    ratio_budget(
        "drift_vs_bare_scipy",
        ours=lambda: data_drift(reference, current, params.drift),
        reference=lambda: bare_statistics(ready),
        rounds=3,
    )


@pytest.mark.slow
def test_a_month_of_replay_stays_within_budget_of_scoring_and_statistics(
    ratio_budget: RatioCheck, params: Settings, small_model: Any, small_split: tuple[Any, Any]
) -> None:
    """The 30-day replay (batch path) against what it cannot avoid: scoring each day, checking
    its rows against the schema's rules, and the bare statistics of each day against the
    training data (the statistics the drift settings choose for data of this size)."""
    settings = params.model_copy(update={"monitoring": params.monitoring.model_copy(update={"days": REPLAY_DAYS})})
    train, test = small_split
    healthy = expected(small_model, train, test)
    days = [make_day(settings, n) for n in range(1, REPLAY_DAYS + 1)]
    ready = [statistic_inputs(train, day.frame, settings.drift) for day in days]
    inputs = [lenient_inputs(day.frame) for day in days]  # typed for the model, before timing

    def ours() -> None:
        table = [observe(settings, small_model, day, healthy) for day in days]
        raise_alerts(settings, table, healthy)

    def reference() -> None:
        for day, typed, day_inputs in zip(days, inputs, ready, strict=True):
            probabilities(small_model, typed)
            hand_written_check(day.frame)
            bare_statistics(day_inputs)

    ratio_budget("replay_vs_scoring_and_statistics", ours=ours, reference=reference, rounds=3)
