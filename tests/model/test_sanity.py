"""The suite catches broken models, not just passes good ones.

Each test builds a model broken in one known way and shows the check that guards against it
fails: a layer that never fails proves nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from adclick import schema
from adclick.behaviour import direction, protected_shift
from adclick.config import Settings
from adclick.evaluate import check_gates, classification_metrics
from adclick.train import build_candidate, click_probability, fit_models

Split = tuple[pd.DataFrame, pd.DataFrame]


def _fit(model: Any, train: pd.DataFrame) -> Any:
    return model.fit(train[list(schema.FEATURES)], train[schema.LABEL])


def _auc(model: Any, frame: pd.DataFrame) -> float:
    return classification_metrics(frame[schema.LABEL], click_probability(model, frame), 0.5)["roc_auc"]


def test_the_model_can_overfit_a_tiny_sample(params: Settings, small_split: Split) -> None:
    """If it cannot even memorise 300 rows, the pipeline is wired wrong (labels misaligned, inputs dropped)."""
    tiny = small_split[0].head(300)
    capacity = {"min_samples_leaf": 1, "max_leaf_nodes": 63, "max_iter": 400, "early_stopping": False}
    model = _fit(build_candidate(params, l2_regularization=0.0, **capacity), tiny)
    assert _auc(model, tiny) > 0.97


def test_shuffled_labels_score_near_chance_and_fail_the_gates(params: Settings, small_split: Split) -> None:
    train, test = small_split
    shuffled = train.assign(**{schema.LABEL: train[schema.LABEL].sample(frac=1.0, random_state=1).to_numpy()})
    fitted, real = fit_models(shuffled, params), fit_models(train, params)
    y = test[schema.LABEL]
    metrics = classification_metrics(y, click_probability(fitted.candidate, test), 0.5)
    baselines = {name: classification_metrics(y, click_probability(m, test), 0.5) for name, m in real.baselines.items()}
    champion = classification_metrics(y, click_probability(real.candidate, test), 0.5)

    # Near chance, not at it: the monotonic constraints still orient whatever noise the trees
    # fit along the true directions, which buys a few points of AUC (0.55 here) from no signal.
    assert 0.45 < metrics["roc_auc"] < 0.6
    failed = {g.name for g in check_gates(params.gates, metrics, baselines, champion) if not g.passed}
    assert failed == set(type(params.gates).model_fields), f"only {failed} failed"


def test_a_model_that_ignores_the_discount_fails_the_discount_direction(params: Settings, small_split: Split) -> None:
    train, test = small_split
    blind = _fit(build_candidate(params, inputs=[f for f in schema.MODEL_FEATURES if f != "discount_pct"]), train)
    measured = direction(blind, test, "discount_pct", params.model_checks.directions["discount_pct"])
    assert measured["mean_effect"] < params.model_checks.min_direction_effect


def test_a_model_without_the_monotonic_constraints_violates_a_direction(params: Settings, small_split: Split) -> None:
    train, test = small_split
    unconstrained = params.model.model_copy(update={"monotonic_constraints": {}})
    free = _fit(build_candidate(params.model_copy(update={"model": unconstrained})), train)
    rates = [direction(free, test, c, d)["violation_rate"] for c, d in params.model_checks.directions.items()]
    assert max(rates) > params.model_checks.max_direction_violation_rate


def test_a_model_that_sees_the_protected_attribute_fails_invariance(params: Settings, small_split: Split) -> None:
    train, test = small_split
    aware = _fit(build_candidate(params, inputs=schema.FEATURES), train)
    assert protected_shift(aware, test) > params.model_checks.max_protected_shift


def test_reference_model_passes_what_the_broken_ones_fail(
    params: Settings, small_model: Any, small_split: Split
) -> None:
    test = small_split[1]
    assert protected_shift(small_model, test) <= params.model_checks.max_protected_shift
    for column, expected in params.model_checks.directions.items():
        measured = direction(small_model, test, column, expected)
        assert measured["violation_rate"] <= params.model_checks.max_direction_violation_rate, column
        assert measured["mean_effect"] >= params.model_checks.min_direction_effect, column
    assert np.isfinite(_auc(small_model, test))
