"""The statistics the gates and checks rest on equal their textbook definitions, computed
independently (scikit-learn, numpy, the Mann-Whitney null distribution), on fixed inputs."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import roc_auc_score

from adclick.model.metrics import (
    auc_covariance,
    auc_errors,
    auc_spread_band,
    auc_standard_error,
    calibration,
    top_decile_lift,
)
from adclick.model.predict import decisions

pytestmark = pytest.mark.ml_test_score("infra-2")
BINS = 10


@pytest.fixture(scope="module")
def scores() -> tuple[np.ndarray, np.ndarray]:
    """Labels and probabilities off every bin edge (a value on an edge is binned by convention)."""
    rng = np.random.default_rng(7)
    proba = rng.uniform(0.0, 1.0, 5_000) ** 2  # skewed: fuller low bins, as click rates are
    return (rng.random(proba.size) < proba).astype(int), proba


def test_the_reliability_curve_is_scikit_learns_on_equal_count_bins(scores: tuple[np.ndarray, np.ndarray]) -> None:
    labels, proba = scores
    curve = calibration(labels, proba, bins=BINS)["bins"]
    positive_rate, mean_probability = calibration_curve(labels, proba, n_bins=BINS, strategy="quantile")
    np.testing.assert_allclose([b["positive_rate"] for b in curve], positive_rate)
    np.testing.assert_allclose([b["mean_probability"] for b in curve], mean_probability)
    assert max(b["rows"] for b in curve) - min(b["rows"] for b in curve) <= 1, "every bin holds as many rows"


def test_the_calibration_error_is_the_rows_weighted_gap_of_each_bin(scores: tuple[np.ndarray, np.ndarray]) -> None:
    labels, proba = scores
    result = calibration(labels, proba, bins=BINS)
    gaps = [b["rows"] / proba.size * abs(b["positive_rate"] - b["mean_probability"]) for b in result["bins"]]
    positive_rate, mean_probability = calibration_curve(labels, proba, n_bins=BINS, strategy="quantile")
    assert result["ece"] == pytest.approx(float(np.sum(gaps)))
    assert result["ece"] == pytest.approx(float(np.mean(np.abs(positive_rate - mean_probability))), rel=0.01)
    assert result["brier"] == pytest.approx(float(np.mean((proba - labels) ** 2)))


def test_the_chance_calibration_error_of_one_bin_is_the_mean_absolute_deviation_of_its_rate() -> None:
    """All rows in one bin at probability p: a calibrated model's observed rate deviates from p
    by |N(0, p(1-p)/n)| on average, whose mean is sqrt(2/pi) standard deviations."""
    p, n = 0.25, 400
    result = calibration(np.zeros(n, dtype=int), np.full(n, p), bins=BINS)
    assert result["ece_noise"] == pytest.approx(np.sqrt(2 / np.pi * p * (1 - p) / n))


@pytest.mark.parametrize(("positives", "negatives"), [(30, 70), (200, 800), (1, 5)])
def test_at_chance_the_auc_standard_error_is_the_mann_whitney_null_spread(positives: int, negatives: int) -> None:
    """Hanley and McNeil's formula at AUC 0.5 is exactly the standard deviation of the Mann-Whitney
    statistic under the null: sqrt((m + n + 1) / (12 m n))."""
    null_spread = np.sqrt((positives + negatives + 1) / (12 * positives * negatives))
    assert auc_standard_error(0.5, positives, negatives) == pytest.approx(null_spread)


def test_a_perfect_auc_has_no_spread() -> None:
    assert auc_standard_error(1.0, 50, 50) == 0.0


def test_the_auc_band_is_the_spread_of_a_difference_of_two_independent_aucs() -> None:
    """Two AUCs measured on independent samples differ with sqrt(2) times the standard error of
    one; the band is that many standard errors of the difference, or the floor when wider."""
    labels = np.array([1] * 40 + [0] * 160)
    error = auc_standard_error(0.8, positives=40, negatives=160)
    assert auc_spread_band(0.8, labels, floor=0.0, standard_errors=2.0) == pytest.approx(2.0 * np.sqrt(2.0) * error)
    assert auc_spread_band(0.8, labels, floor=1.0, standard_errors=2.0) == 1.0


def test_a_probability_at_the_decision_threshold_is_a_positive_decision() -> None:
    threshold = 0.3
    below = np.nextafter(threshold, 0.0)
    assert decisions(np.array([below, threshold, 1.0]), threshold).tolist() == [0, 1, 1]


@pytest.fixture(scope="module")
def two_models() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels and two correlated models' scores: the second is the first plus noise."""
    rng = np.random.default_rng(11)
    signal = rng.normal(size=800)
    labels = (rng.random(800) < 1 / (1 + np.exp(-2 * signal))).astype(int)
    first = signal + rng.normal(scale=0.5, size=800)
    return labels, first, first + rng.normal(scale=0.7, size=800)


def test_delongs_aucs_are_scikit_learns(two_models: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    labels, first, second = two_models
    aucs, _ = auc_covariance(labels, first, second)
    np.testing.assert_allclose(aucs, [roc_auc_score(labels, first), roc_auc_score(labels, second)])


def test_delongs_standard_error_is_the_bootstrap_spread_of_the_auc(
    two_models: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    labels, first, second = two_models
    rng = np.random.default_rng(3)
    resamples = [rng.integers(0, len(labels), len(labels)) for _ in range(400)]
    single = np.std([roc_auc_score(labels[i], first[i]) for i in resamples])
    difference = np.std([roc_auc_score(labels[i], first[i]) - roc_auc_score(labels[i], second[i]) for i in resamples])
    errors = auc_errors(labels, first, {"second": second})
    assert errors["roc_auc"] == pytest.approx(single, rel=0.1)
    assert errors["second"] == pytest.approx(difference, rel=0.1)


def test_models_scored_on_the_same_rows_differ_by_less_than_their_errors_alone_suggest(
    two_models: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    labels, first, second = two_models
    _, covariance = auc_covariance(labels, first, second)
    assert auc_errors(labels, first, {"second": second})["second"] < np.sqrt(covariance[0, 0] + covariance[1, 1])
    assert auc_errors(labels, first, {"same": first.copy()})["same"] == 0.0


def test_the_top_decile_lift_is_the_top_tenths_positive_rate_over_the_whole_rate() -> None:
    labels = np.array([1] * 10 + [0] * 90)
    ranked = -np.arange(100.0)  # the ten positives first
    assert top_decile_lift(labels, ranked) == pytest.approx(10.0)
    assert top_decile_lift(labels, -ranked) == 0.0
