"""Loading a model from the registry and training on the default size, timed for the report.

Loading through MLflow (resolve the alias, read the MLmodel file, check types) is held to a
ratio against skops loading the same file directly; training has no reference to compare
with, so its growth with rows is what test_scaling.py bounds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from adclick import schema
from adclick.config import Settings
from adclick.data import generate
from adclick.registry import CHALLENGER, SKOPS_TRUSTED_TYPES, alias_uri, connect, load_sklearn
from adclick.train import TrainResult, build_candidate, train_and_register
from tests.performance.conftest import RatioCheck


@pytest.fixture(scope="module")
def registered(small_settings: Settings, small_split: tuple[pd.DataFrame, pd.DataFrame]) -> TrainResult:
    return train_and_register(small_settings, *small_split)


def _model_file(registered: TrainResult) -> Path:
    import mlflow

    return Path(mlflow.artifacts.download_artifacts(f"models:/{registered.ref.name}/{registered.ref.version}"))


def test_loading_from_the_registry_stays_within_budget_of_plain_skops(
    ratio_budget: RatioCheck,
    registered: TrainResult,
    small_settings: Settings,
    small_split: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    import skops.io

    client, uri = connect(small_settings), alias_uri(small_settings, CHALLENGER)
    model_file = _model_file(registered) / "model.skops"
    loaded, ref = load_sklearn(client, uri)
    assert ref.version == registered.ref.version
    rows = small_split[1][list(schema.FEATURES)].head(100)
    direct = skops.io.load(model_file, trusted=SKOPS_TRUSTED_TYPES)
    np.testing.assert_array_equal(loaded.predict_proba(rows), direct.predict_proba(rows))  # the same model either way
    ratio_budget(
        "model_load_vs_skops",
        ours=lambda: load_sklearn(client, uri),
        reference=lambda: skops.io.load(model_file, trusted=SKOPS_TRUSTED_TYPES),
        rounds=5,
    )


@pytest.mark.slow
def test_training_on_the_default_size(benchmark: Any, params: Settings) -> None:
    frame = generate(params.data.n_rows, params.seed)
    X, y = frame[list(schema.FEATURES)], frame[schema.LABEL]
    model = benchmark.pedantic(lambda: build_candidate(params).fit(X, y), rounds=2, iterations=1)
    assert model[-1].n_iter_ >= 1
