"""Drift statistics and the monitored replay, against the bare scipy computations they wrap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import spatial, stats

from adclick.config import Settings
from adclick.data import contract
from adclick.data.drift import data_drift
from adclick.model.predict import probabilities
from adclick.monitoring.days import make_day
from adclick.monitoring.drift import lenient_inputs
from adclick.monitoring.replay import expected, observe, raise_alerts
from tests.helpers.timing import RatioCheck

DRIFT_ROWS = 100_000
REPLAY_DAYS = 30


def scipy_inputs(reference: pd.DataFrame, current: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray, bool]]:
    """Per feature, what scipy's statistic takes, made before timing: both samples as arrays
    without gaps (numbers), or both samples' shares over the same levels (categories)."""
    inputs = []
    for column in contract.MODEL_FEATURES:
        before, after = reference[column].dropna(), current[column].dropna()
        if column in contract.NUMERIC_FEATURES and contract.SPECS[column].kind != "boolean":
            inputs.append((before.to_numpy(float), after.to_numpy(float), True))
        else:
            shares = pd.DataFrame({"b": before.value_counts(normalize=True), "a": after.value_counts(normalize=True)})
            inputs.append((shares["b"].fillna(0).to_numpy(), shares["a"].fillna(0).to_numpy(), False))
    return inputs


def bare_statistics(inputs: list[tuple[np.ndarray, np.ndarray, bool]]) -> list[float]:
    """scipy's statistics on ready inputs: no frames, no counting, no verdicts."""
    return [
        stats.wasserstein_distance(b, a) / np.std(b) if numeric else float(spatial.distance.jensenshannon(b, a))
        for b, a, numeric in inputs
    ]


@pytest.mark.slow
def test_drift_statistics_stay_within_budget_of_bare_scipy(
    ratio_budget: RatioCheck, params: Settings, data_like: Callable[..., Any]
) -> None:
    reference, current = data_like(DRIFT_ROWS, params.seed), data_like(DRIFT_ROWS, params.seed, batch=1)
    ready = scipy_inputs(reference, current)
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
    """The 30-day replay (batch path) against what it cannot avoid: scoring each day and the
    bare statistics of each day against the training data."""
    settings = params.model_copy(update={"monitoring": params.monitoring.model_copy(update={"days": REPLAY_DAYS})})
    train, test = small_split
    healthy = expected(small_model, train, test)
    days = [make_day(settings, n) for n in range(1, REPLAY_DAYS + 1)]
    ready = [scipy_inputs(train, day.frame) for day in days]
    inputs = [lenient_inputs(day.frame) for day in days]  # typed for the model, before timing

    def ours() -> None:
        table = [observe(settings, small_model, day, healthy) for day in days]
        raise_alerts(settings, table, healthy)

    def reference() -> None:
        for typed, day_inputs in zip(inputs, ready, strict=True):
            probabilities(small_model, typed)
            bare_statistics(day_inputs)

    ratio_budget("replay_vs_scoring_and_statistics", ours=ours, reference=reference, rounds=3)
