"""Loading a model from the registry and training on the default size, timed for the report.

Loading through MLflow (resolve the alias, read the MLmodel file, check types) is held to a
ratio against skops loading the same file directly; training has no reference to compare
with, so its growth with rows is what test_scaling.py bounds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.data.sources import labelled
from adclick.model.build import build_candidate
from adclick.tracking.registry import SKOPS_TRUSTED_TYPES, load_sklearn
from adclick.tracking.training import TrainResult
from tests.helpers.judged import not_judged
from tests.helpers.store import TrainedProject
from tests.helpers.timing import RatioCheck

pytestmark = pytest.mark.ml_test_score("monitor-6")


@pytest.fixture(scope="module")
def registered(trained_project: TrainedProject) -> TrainResult:
    return trained_project.first


def _model_file(registered: TrainResult) -> Path:
    import mlflow

    return Path(mlflow.artifacts.download_artifacts(f"models:/{registered.ref.name}/{registered.ref.version}"))


def test_loading_from_the_registry_stays_within_budget_of_plain_skops(
    ratio_budget: RatioCheck, registered: TrainResult, trained_project: TrainedProject
) -> None:
    import skops.io

    client, uri = trained_project.client, f"models:/{registered.ref.name}/{registered.ref.version}"
    model_file = _model_file(registered) / "model.skops"
    loaded, ref = load_sklearn(client, uri)
    assert ref.version == registered.ref.version
    rows = trained_project.test[list(contract.FEATURES)].head(100)
    direct = skops.io.load(model_file, trusted=SKOPS_TRUSTED_TYPES)
    np.testing.assert_array_equal(loaded.predict_proba(rows), direct.predict_proba(rows))  # the same model either way
    ratio_budget(
        "model_load_vs_skops",
        ours=lambda: load_sklearn(client, uri),
        reference=lambda: skops.io.load(model_file, trusted=SKOPS_TRUSTED_TYPES),
        rounds=5,
    )


@pytest.mark.slow
def test_training_on_the_default_size_stops_early_after_learning(benchmark: Any, params: Settings) -> None:
    frame = labelled(params)  # the demo at params.yaml's size, or your file
    X, y = frame[list(contract.FEATURES)], frame[contract.LABEL]
    model = benchmark.pedantic(lambda: build_candidate(params).fit(X, y), rounds=2, iterations=1)
    # Trained for real: it learned something on held-out rows, and early stopping ended it before the cap.
    trees, cap = model[-1].n_iter_, params.model.hist_gradient_boosting.max_iter
    assert model[-1].validation_score_[-1] > model[-1].validation_score_[0], "no improvement on held-out rows"
    if trees == cap:
        not_judged(
            f"training was still improving at model.hist_gradient_boosting.max_iter ({cap} rounds) on this "
            "data: early stopping never ended it (raise max_iter or learning_rate for this data set)"
        )
    assert 1 < trees < cap
