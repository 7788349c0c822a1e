"""Training is reproducible and the model beats its baselines on the known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.model.build import BASELINES, fit_models
from adclick.model.metrics import auc_errors, classification_metrics
from adclick.model.predict import probabilities
from adclick.tracking.gates import check_gates
from tests.helpers.judged import not_judged

pytestmark = pytest.mark.ml_test_score("infra-2")


def _test_metrics(settings: Settings, train: pd.DataFrame, test: pd.DataFrame) -> tuple[np.ndarray, dict]:
    fitted = fit_models(train, settings)
    proba = probabilities(fitted.candidate, test)
    return proba, classification_metrics(test[contract.LABEL], proba, fitted.threshold.value)


@pytest.mark.ml_test_score("infra-1")
@pytest.mark.slow  # two more trainings
def test_same_seed_gives_bit_identical_predictions_and_metrics(
    small_settings: Settings, small_split: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    train, test = small_split
    first_proba, first_metrics = _test_metrics(small_settings, train, test)
    second_proba, second_metrics = _test_metrics(small_settings, train, test)
    np.testing.assert_array_equal(first_proba, second_proba)
    assert first_metrics == second_metrics


@pytest.mark.ml_test_score("model-5")
@pytest.mark.parametrize("baseline", BASELINES)
def test_candidate_clears_the_margin_over_each_baseline_on_held_out_data(
    small_settings: Settings, small_split: tuple[pd.DataFrame, pd.DataFrame], baseline: str
) -> None:
    """Fitted here, not registered: the margin gate (beyond the noise of these rows) on the
    candidate straight out of training."""
    train, test = small_split
    fitted = fit_models(train, small_settings)
    y = test[contract.LABEL].to_numpy()
    proba = probabilities(fitted.candidate, test)
    others = {name: probabilities(model, test) for name, model in fitted.baselines.items()}
    metrics = {name: classification_metrics(y, p, 0.5) for name, p in others.items()}
    errors = auc_errors(y, proba, others)
    gates = check_gates(small_settings.gates, classification_metrics(y, proba, 0.5), metrics, None, errors=errors)
    margin = next(g for g in gates if g.name == f"min_auc_margin_over_{baseline}")
    if not margin.judged:
        not_judged(margin.detail)
    assert margin.passed, margin.detail
