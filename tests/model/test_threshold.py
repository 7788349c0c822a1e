"""The decision threshold a rule chooses is the one its definition names, on fixed validation scores."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import fbeta_score, precision_score, recall_score

from adclick.config.model_settings import ModelSettings, parse_threshold
from adclick.model.threshold import choose

pytestmark = pytest.mark.ml_test_score("infra-2")
Scores = tuple[np.ndarray, np.ndarray]


@pytest.fixture(scope="module")
def validation() -> tuple[np.ndarray, np.ndarray]:
    """Labels of a rare positive class (6 %) and informative scores."""
    rng = np.random.default_rng(5)
    labels = (rng.random(800) < 0.06).astype(int)
    return labels, 1 / (1 + np.exp(-(rng.normal(size=labels.size) + 2.5 * labels - 3)))


def _candidates(proba: np.ndarray) -> np.ndarray:
    return np.unique(proba)


@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
def test_max_f_beta_picks_the_threshold_of_the_best_f_beta(validation: Scores, beta: float) -> None:
    labels, proba = validation
    chosen = choose(f"max_f{beta:g}", labels, proba).value
    best = max(fbeta_score(labels, proba >= t, beta=beta, zero_division=0.0) for t in _candidates(proba))
    assert fbeta_score(labels, proba >= chosen, beta=beta) == pytest.approx(best)


def test_a_precision_target_takes_the_lowest_threshold_that_reaches_it(
    validation: Scores,
) -> None:
    labels, proba = validation
    chosen = choose("precision>=0.5", labels, proba).value
    assert precision_score(labels, proba >= chosen) >= 0.5
    lower = _candidates(proba)[_candidates(proba) < chosen]
    assert all(precision_score(labels, proba >= t, zero_division=0.0) < 0.5 for t in lower[-50:])


def test_a_recall_target_takes_the_highest_threshold_that_reaches_it(validation: Scores) -> None:
    labels, proba = validation
    chosen = choose("recall>=0.6", labels, proba).value
    assert recall_score(labels, proba >= chosen) >= 0.6
    higher = _candidates(proba)[_candidates(proba) > chosen]
    assert recall_score(labels, proba >= higher[0]) < 0.6


def test_a_fixed_threshold_is_kept_and_says_so() -> None:
    chosen = choose(0.3, np.array([0, 1]), np.array([0.2, 0.8]))
    assert (chosen.value, chosen.how) == (0.3, "fixed in params.yaml")


@pytest.mark.parametrize("setting", ["f1", "max_f0", "precision>=1.5", "recall<=0.5", 1.5, -0.1])
def test_an_unknown_rule_is_refused_with_what_is_accepted(setting: object) -> None:
    with pytest.raises(ValueError, match="max_f1, max_f2"):
        parse_threshold(setting)  # type: ignore[arg-type]


def test_a_number_written_as_text_is_a_fixed_threshold() -> None:
    assert ModelSettings(decision_threshold="0.25").decision_threshold == 0.25
