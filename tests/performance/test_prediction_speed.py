"""Prediction through the pipeline costs a bounded factor over the bare classifier.

The reference is the fitted classifier alone on rows already transformed: what is left is
our preprocessing and column handling, the part a careless change makes slow. A prediction
slowed on purpose must break the budget, or the budget proves nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.model.predict import probabilities, threads_for
from tests.helpers.timing import RatioResult, budget_of, interleaved_ratio, median_seconds, rows_of

pytestmark = pytest.mark.ml_test_score("monitor-6")

SIZES = {1: "predict_1_row_vs_bare_estimator", 1_000: "predict_1k_rows_vs_bare_estimator"}
SIZES[100_000] = "predict_100k_rows_vs_bare_estimator"


def _bare_classifier(model: Any, frame: Any) -> Callable[[], np.ndarray]:
    """The classifier alone on pre-transformed rows, with the same OpenMP threads as ours:
    the ratio then measures our preprocessing and column handling, not a threading choice."""
    transformed = model[:-1].transform(frame[list(contract.FEATURES)])
    classifier = model[-1]

    def predict() -> np.ndarray:
        with threads_for(len(transformed)):
            return classifier.predict_proba(transformed)[:, 1]

    return predict


@pytest.mark.parametrize(
    "rows",
    [pytest.param(rows, marks=[pytest.mark.slow] if rows >= 100_000 else []) for rows in SIZES],
    ids=lambda rows: f"{rows}_rows",
)
def test_pipeline_prediction_stays_within_budget_of_the_bare_classifier(
    ratio_budget: Callable[..., RatioResult | None],
    small_model: Any,
    scoring_frames: Callable[[int], Any],
    rows: int,
) -> None:
    frame = scoring_frames(rows_of(rows) if rows >= 100_000 else rows)
    bare = _bare_classifier(small_model, frame)
    np.testing.assert_allclose(probabilities(small_model, frame), bare())  # the same work, the same answer
    ratio_budget(
        SIZES[rows],
        ours=lambda: probabilities(small_model, frame),
        reference=bare,
        rounds=5 if rows > 1_000 else 30,
    )


def test_preprocessing_alone(benchmark: Any, small_model: Any, scoring_frames: Callable[[int], Any]) -> None:
    """Timed for the report (no budget of its own: it is the difference the budgets above bound)."""
    frame = scoring_frames(1_000)[list(contract.FEATURES)]
    transformed = benchmark(small_model[:-1].transform, frame)
    assert transformed.shape == (1_000, len(contract.MODEL_FEATURES))


class _Slowed:
    """A model whose predict_proba sleeps first: the regression the budget must catch."""

    def __init__(self, model: Any, seconds: float) -> None:
        self._model, self._seconds = model, seconds

    def predict_proba(self, frame: Any) -> np.ndarray:
        time.sleep(self._seconds)
        return self._model.predict_proba(frame)


def test_a_slowed_prediction_breaks_the_budget(
    small_model: Any, scoring_frames: Callable[[int], Any], params: Settings
) -> None:
    frame = scoring_frames(1)
    bare = _bare_classifier(small_model, frame)
    reference = median_seconds(bare, rounds=20)
    slowed = _Slowed(small_model, seconds=10 * reference)
    ours, reference_time = interleaved_ratio(lambda: probabilities(slowed, frame), bare, rounds=10)  # as budgets time
    result = RatioResult(SIZES[1], ours, reference_time, budget_of(params, SIZES[1]))
    assert not result.passed, f"a prediction slowed by 10x the reference passed its budget: {result.message()}"
