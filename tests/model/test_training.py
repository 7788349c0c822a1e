"""Training is reproducible and the model beats its baselines on the known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.model.build import fit_models
from adclick.model.metrics import classification_metrics
from adclick.model.predict import probabilities

pytestmark = pytest.mark.ml_test_score("infra-2")


def _test_metrics(settings: Settings, train: pd.DataFrame, test: pd.DataFrame) -> tuple[np.ndarray, dict]:
    model = fit_models(train, settings).candidate
    proba = probabilities(model, test)
    return proba, classification_metrics(test[contract.LABEL], proba, settings.model.decision_threshold)


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
def test_candidate_clears_the_margin_over_each_baseline_on_held_out_data(
    small_settings: Settings, small_split: tuple[pd.DataFrame, pd.DataFrame]
) -> None:
    train, test = small_split
    fitted = fit_models(train, small_settings)
    y = test[contract.LABEL]
    auc = classification_metrics(y, probabilities(fitted.candidate, test), 0.5)["roc_auc"]
    for name, baseline in fitted.baselines.items():
        baseline_auc = classification_metrics(y, probabilities(baseline, test), 0.5)["roc_auc"]
        margin = getattr(small_settings.gates, f"min_auc_margin_over_{name}")
        assert auc >= baseline_auc + margin, f"candidate ROC AUC {auc:.4f} vs the {name} baseline {baseline_auc:.4f}"
