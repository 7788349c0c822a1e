"""The suite catches broken models, not just passes good ones.

Each test builds a model broken in one known way and shows the check that guards against it
fails: a layer that never fails proves nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.model.behaviour import direction, protected_shift
from adclick.model.build import build_candidate
from adclick.model.features import monotonic_constraints
from adclick.model.metrics import auc_spread_band, classification_metrics
from adclick.model.predict import probabilities
from adclick.tracking.gates import check_gates
from tests.helpers.cases import NO_DIRECTIONS, NO_PROTECTED
from tests.helpers.judged import each, needs

pytestmark = [pytest.mark.slow, pytest.mark.ml_test_score("infra-2")]  # a model broken on purpose per test

Split = tuple[pd.DataFrame, pd.DataFrame]
DECLARED_DIRECTIONS = each(sorted(contract.DIRECTIONS), NO_DIRECTIONS)
NEEDS_PROTECTED = needs(contract.PROTECTED, NO_PROTECTED)


def _fit(model: Any, train: pd.DataFrame) -> Any:
    return model.fit(train[list(contract.FEATURES)], train[contract.LABEL])


def _free_of_directions(params: Settings) -> Settings:
    return params.model_copy(update={"model": params.model.model_copy(update={"enforce_known_directions": False})})


def _direction(model: Any, frame: pd.DataFrame, column: str, params: Settings) -> dict[str, float]:
    return direction(model, frame, column, contract.DIRECTIONS[column], params.model_checks.direction_step_iqr)


def _auc(model: Any, frame: pd.DataFrame) -> float:
    return classification_metrics(frame[contract.LABEL], probabilities(model, frame), 0.5)["roc_auc"]


def test_the_model_can_overfit_a_tiny_sample(params: Settings, small_split: Split) -> None:
    """If it cannot even memorise a few hundred rows, the pipeline is wired wrong (labels
    misaligned, inputs dropped). Free of the declared directions: they may forbid memorising."""
    tiny = small_split[0].head(params.model_checks.overfit_rows)
    capacity = {"min_samples_leaf": 1, "max_leaf_nodes": 63, "max_iter": 400, "early_stopping": False}
    model = _fit(build_candidate(_free_of_directions(params), l2_regularization=0.0, **capacity), tiny)
    assert _auc(model, tiny) >= params.model_checks.min_overfit_auc


@pytest.fixture(scope="module")
def shuffled_label_metrics(params: Settings, small_split: Split) -> list[dict[str, float]]:
    """Test metrics of models trained on shuffled labels, one shuffle per seed of params.yaml, and
    free of the declared directions: those are knowledge of their own (on the breast cancer fork
    example they alone give a shuffled-label model an AUC of 0.86)."""
    train, test = small_split
    metrics = []
    for seed in (params.seed, *params.model_checks.stability_seeds):
        labels = train[contract.LABEL].sample(frac=1.0, random_state=seed).to_numpy()
        model = _fit(build_candidate(_free_of_directions(params)), train.assign(**{contract.LABEL: labels}))
        metrics.append(classification_metrics(test[contract.LABEL], probabilities(model, test), 0.5))
    return metrics


def test_shuffled_labels_score_near_chance(params: Settings, small_split: Split, shuffled_label_metrics: list) -> None:
    """On the average of the shuffles: where the label follows one strong direction of the data,
    one shuffle's AUC is a coin flip far from 0.5 (0.735 for one shuffle of the breast cancer
    example, 0.41-0.49 for seven others)."""
    mean_auc = float(np.mean([m["roc_auc"] for m in shuffled_label_metrics]))
    checks = params.model_checks
    labels = small_split[1][contract.LABEL].to_numpy()
    band = auc_spread_band(0.5, labels, checks.max_shuffled_label_auc_gap, checks.noise_standard_errors)
    assert abs(mean_auc - 0.5) <= band, f"mean AUC {mean_auc:.4f} with shuffled labels (band {band:.4f})"


def test_shuffled_labels_fail_the_gates_that_compare_with_real_models(
    params: Settings, small_split: Split, small_fitted: Any, shuffled_label_metrics: list
) -> None:
    test = small_split[1]
    y = test[contract.LABEL]
    baselines = {
        name: classification_metrics(y, probabilities(m, test), 0.5) for name, m in small_fitted.baselines.items()
    }
    champion = classification_metrics(y, probabilities(small_fitted.candidate, test), 0.5)
    for metrics in shuffled_label_metrics:
        failed = {g.name for g in check_gates(params.gates, metrics, baselines, champion) if not g.passed}
        # The floor and the dummy margin may pass by the luck of one shuffle (AUC 0.73 on the
        # breast cancer example); a model of noise never matches a model of the data.
        expected = {"min_auc_margin_over_logistic", "max_auc_drop_vs_champion"}
        assert expected <= failed, f"AUC {metrics['roc_auc']:.4f}: only {failed} failed"


@pytest.mark.parametrize("column", DECLARED_DIRECTIONS)
def test_a_model_blind_to_a_column_fails_that_column_direction(
    params: Settings, small_split: Split, column: str
) -> None:
    train, test = small_split
    blind = _fit(build_candidate(params, inputs=[f for f in contract.MODEL_FEATURES if f != column]), train)
    measured = _direction(blind, test, column, params)
    assert measured["mean_effect"] < params.model_checks.min_direction_effect


@pytest.mark.parametrize("column", DECLARED_DIRECTIONS)
def test_a_model_constrained_against_a_known_direction_fails_that_direction(
    params: Settings, small_split: Split, column: str
) -> None:
    train, test = small_split
    reversed_directions = {name: -sign for name, sign in contract.DIRECTIONS.items()}
    wrong_way = _fit(build_candidate(params, monotonic_cst=monotonic_constraints(reversed_directions)), train)
    measured = _direction(wrong_way, test, column, params)
    checks = params.model_checks
    assert (
        measured["violation_rate"] > checks.max_direction_violation_rate
        or measured["mean_effect"] < checks.min_direction_effect
    ), measured


@NEEDS_PROTECTED
@pytest.mark.ml_test_score("model-7")
def test_a_model_that_sees_the_protected_attribute_fails_invariance(params: Settings, small_split: Split) -> None:
    train, test = small_split
    aware = _fit(build_candidate(params, inputs=contract.FEATURES), train)
    assert protected_shift(aware, test) > params.model_checks.max_protected_shift


@NEEDS_PROTECTED
def test_reference_model_passes_the_invariance_the_aware_model_fails(
    params: Settings, small_model: Any, small_split: Split
) -> None:
    assert protected_shift(small_model, small_split[1]) <= params.model_checks.max_protected_shift


@pytest.mark.parametrize("column", DECLARED_DIRECTIONS)
def test_reference_model_moves_each_known_direction_the_way_broken_models_do_not(
    params: Settings, small_model: Any, small_split: Split, column: str
) -> None:
    measured = _direction(small_model, small_split[1], column, params)
    assert measured["violation_rate"] <= params.model_checks.max_direction_violation_rate, measured
    assert measured["mean_effect"] >= params.model_checks.min_direction_effect, measured
