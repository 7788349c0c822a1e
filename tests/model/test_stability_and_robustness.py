"""Reproducible with its seed, stable across seeds, and robust to gaps and unseen categories."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from adclick.config import Settings, load_settings
from adclick.data import specs
from adclick.data.split import split
from adclick.data.synthetic import generate
from adclick.model.build import fit_models
from adclick.model.metrics import classification_metrics
from adclick.model.predict import probabilities
from tests.helpers.model import ModelUnderTest
from tests.helpers.project import REPO_ROOT, SMALL_OVERRIDES


def _seed_auc(params: Settings, seed: int) -> float:
    """Data, split and model all drawn from `seed`: what a different params.yaml seed would give."""
    settings = params.model_copy(update={"seed": seed})
    train, test = split(generate(SMALL_OVERRIDES["data"]["n_rows"], seed), params.data.test_fraction, seed)
    model = fit_models(train, settings).candidate
    return classification_metrics(test[specs.LABEL], probabilities(model, test), 0.5)["roc_auc"]


@pytest.mark.parametrize("seed", load_settings(REPO_ROOT / "params.yaml").model_checks.stability_seeds)
def test_other_seeds_give_an_auc_within_the_band(params: Settings, seed: int) -> None:
    reference, other = _seed_auc(params, params.seed), _seed_auc(params, seed)
    band = params.model_checks.max_auc_spread_across_seeds
    assert abs(other - reference) <= band, f"seed {seed}: AUC {other:.4f} vs {reference:.4f} (band {band})"


def _valid_probabilities(model: Any, frame: pd.DataFrame) -> np.ndarray:
    proba = probabilities(model, frame)
    assert proba.shape == (len(frame),)
    assert np.isfinite(proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    return proba


def test_missing_values_in_optional_columns_give_valid_probabilities(model_under_test: ModelUnderTest) -> None:
    frame = model_under_test.test.head(500).copy()
    frame[list(specs.OPTIONAL_FEATURES)] = np.nan
    _valid_probabilities(model_under_test.model, frame)


@pytest.mark.parametrize("column", specs.CATEGORICAL_FEATURES)
def test_unseen_categories_give_valid_probabilities(model_under_test: ModelUnderTest, column: str) -> None:
    frame = model_under_test.test.head(500).assign(**{column: "never-seen"})
    _valid_probabilities(model_under_test.model, frame)


def test_the_unseen_category_scenario_gives_valid_probabilities(model_under_test: ModelUnderTest) -> None:
    _valid_probabilities(model_under_test.model, generate(2_000, seed=3, scenario="unseen_category"))
