"""Reproducible with its seed, stable across seeds, and robust to gaps and unseen categories."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from adclick.config import Settings, load_settings
from adclick.data import contract
from adclick.data.shifts import unseen_category
from adclick.data.sources import labelled
from adclick.data.split import split
from adclick.model.build import fit_models
from adclick.model.metrics import auc_spread_band, classification_metrics
from adclick.model.predict import probabilities
from tests.helpers.cases import NO_CATEGORY, NO_OPTIONAL
from tests.helpers.judged import each, needs
from tests.helpers.model import ModelUnderTest
from tests.helpers.project import REPO_ROOT


def _seed_auc(settings: Settings, seed: int) -> tuple[float, np.ndarray]:
    """Data (the demo's; a file stays as it is), split and model all drawn from `seed`: what a
    different params.yaml seed would give. Returns the test AUC and the test labels."""
    settings = settings.model_copy(update={"seed": seed})
    train, test = split(labelled(settings, seed=seed), settings.data.test_fraction, seed)
    model = fit_models(train, settings).candidate
    label = test[contract.LABEL].to_numpy()
    return classification_metrics(label, probabilities(model, test), 0.5)["roc_auc"], label


@pytest.mark.parametrize("seed", load_settings(REPO_ROOT / "params.yaml").model_checks.stability_seeds)
@pytest.mark.ml_test_score("infra-1")
@pytest.mark.slow  # a whole training per seed
def test_other_seeds_give_an_auc_within_the_band(small_settings: Settings, seed: int) -> None:
    (reference, label), (other, _) = _seed_auc(small_settings, small_settings.seed), _seed_auc(small_settings, seed)
    checks = small_settings.model_checks
    band = auc_spread_band(reference, label, checks.max_auc_spread_across_seeds, checks.noise_standard_errors)
    assert abs(other - reference) <= band, f"seed {seed}: AUC {other:.4f} vs {reference:.4f} (band {band:.4f})"


def _valid_probabilities(model: Any, frame: pd.DataFrame) -> np.ndarray:
    proba = probabilities(model, frame)
    assert proba.shape == (len(frame),)
    assert np.isfinite(proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    return proba


@needs(contract.OPTIONAL_FEATURES, NO_OPTIONAL)
@pytest.mark.ml_test_score("monitor-5")
def test_missing_values_in_optional_columns_give_valid_probabilities(model_under_test: ModelUnderTest) -> None:
    frame = model_under_test.test.head(500).copy()
    frame[list(contract.OPTIONAL_FEATURES)] = np.nan
    _valid_probabilities(model_under_test.model, frame)


@pytest.mark.parametrize("column", each(contract.CATEGORICAL_FEATURES, NO_CATEGORY))
@pytest.mark.ml_test_score("monitor-5")
def test_unseen_categories_give_valid_probabilities(model_under_test: ModelUnderTest, column: str) -> None:
    frame = model_under_test.test.head(500).assign(**{column: "never-seen"})
    _valid_probabilities(model_under_test.model, frame)


@pytest.mark.parametrize("column", each(contract.CATEGORICAL_FEATURES[:1], NO_CATEGORY))
@pytest.mark.ml_test_score("monitor-5")
def test_a_share_of_unseen_categories_gives_valid_probabilities(model_under_test: ModelUnderTest, column: str) -> None:
    _valid_probabilities(model_under_test.model, unseen_category(model_under_test.test, column, 0.05, seed=3))
