"""The model is good for every slice large enough to judge, and its probabilities mean what they say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.model.checks import model_checks
from adclick.model.metrics import calibration, slice_columns, slice_metrics
from tests.helpers.cases import NO_SLICES
from tests.helpers.judged import needs
from tests.helpers.model import ModelUnderTest, assert_passes


@pytest.mark.ml_test_score("model-6")
def test_every_slice_large_enough_to_judge_is_above_the_floor(model_report: dict[str, Any]) -> None:
    assert_passes(model_report, "min_slice_roc_auc")


@pytest.mark.ml_test_score("model-6")
def test_slices_of_one_grouping_stay_close_to_each_other(model_report: dict[str, Any]) -> None:
    assert_passes(model_report, "max_slice_auc_gap")


@pytest.mark.ml_test_score("model-6")
def test_every_slice_is_reported_small_ones_flagged_not_dropped(
    model_report: dict[str, Any], model_under_test: ModelUnderTest
) -> None:
    reported = {(s["slice"], s["value"]) for s in model_report["slices"]}
    groupings = slice_columns(model_under_test.test)
    for grouping, values in groupings.items():
        assert {(grouping, str(value)) for value in pd.unique(np.asarray(values))} <= reported, grouping


@needs(contract.SLICES, NO_SLICES)
@pytest.mark.ml_test_score("model-6")
def test_a_slice_with_too_few_positives_is_flagged_too_small(params: Settings, data_like: Any) -> None:
    rng = np.random.default_rng(0)
    frame = data_like(3_000, seed=2)
    grouping, values = next(iter(slice_columns(frame).items()))
    value = pd.Series(np.asarray(values)).value_counts().index[0]  # the largest slice: too few positives alone
    members = np.flatnonzero(np.asarray(values) == value)
    frame.loc[members, contract.LABEL] = 0
    frame.loc[members[: params.evaluation.min_slice_class_count - 1], contract.LABEL] = 1
    rows = slice_metrics(frame, rng.random(len(frame)), params.evaluation, 0.3)
    starved = next(r for r in rows if (r["slice"], r["value"]) == (grouping, str(value)))
    assert starved["rows"] >= params.evaluation.min_slice_rows, "large enough by rows: only its positives are too few"
    assert starved["too_small"], starved


def test_the_probabilities_beat_the_positive_rate_alone_by_the_brier_skill_floor(model_report: dict[str, Any]) -> None:
    assert_passes(model_report, "min_brier_skill")


def test_expected_calibration_error_is_under_its_threshold(model_report: dict[str, Any]) -> None:
    assert_passes(model_report, "max_expected_calibration_error")


def test_reliability_curve_and_report_are_written(model_report: dict[str, Any], reports_dir: Path) -> None:
    folder = reports_dir
    assert (folder / "model-reliability.png").read_bytes().startswith(b"\x89PNG")
    text = (folder / "model-report.md").read_text()
    for section in ("### Promotion gates", "### Model checks", "### Slices", "### Calibration", "### Behaviour"):
        assert section in text


def test_calibration_error_is_zero_for_calibrated_and_large_for_overconfident_scores() -> None:
    rng = np.random.default_rng(1)
    proba = rng.uniform(0.05, 0.95, 200_000)
    labels = (rng.random(proba.size) < proba).astype(int)
    assert calibration(labels, proba, bins=10)["ece"] < 0.01
    overconfident = np.clip((proba - 0.5) * 2 + 0.5, 0, 1)
    assert calibration(labels, overconfident, bins=10)["ece"] > 0.1


NO_BEHAVIOUR: dict[str, Any] = {"protected_shift": 0.0, "directions": {}, "minimum_functionality": []}


def _verdict(
    params: Settings, name: str, slices: list[dict[str, Any]], calibrated: dict[str, Any], prior_brier: float = 0.25
) -> Any:
    checks = model_checks(params.model_checks, slices, calibrated, NO_BEHAVIOUR, prior_brier)
    return next(v for v in checks if v.name == name)


def _calibrated(rows: int, seed: int = 4) -> dict[str, Any]:
    """The calibration of perfectly calibrated scores on `rows` rows."""
    rng = np.random.default_rng(seed)
    proba = rng.uniform(0.05, 0.95, rows)
    return calibration((rng.random(rows) < proba).astype(int), proba, bins=10)


def test_on_a_small_test_set_the_ece_limit_widens_to_chance_and_says_so(params: Settings) -> None:
    small = _calibrated(rows=150)
    verdict = _verdict(params, "max_expected_calibration_error", [], small)
    assert verdict.threshold == params.model_checks.noise_standard_errors * small["ece_noise"]
    assert verdict.threshold > params.model_checks.max_expected_calibration_error
    assert "by chance, so the limit widens" in verdict.detail


def test_on_a_large_test_set_the_ece_limit_is_the_configured_one(params: Settings) -> None:
    verdict = _verdict(params, "max_expected_calibration_error", [], _calibrated(rows=200_000))
    assert verdict.threshold == params.model_checks.max_expected_calibration_error
    assert "widens" not in verdict.detail


@pytest.mark.ml_test_score("model-6")
def test_when_no_slice_is_large_enough_the_check_names_the_largest_and_its_size(params: Settings) -> None:
    slices = [
        {"slice": "group", "value": "a", "rows": 40, "positives": 6, "too_small": True, "roc_auc": 0.9},
        {"slice": "group", "value": "b", "rows": 25, "positives": 3, "too_small": True, "roc_auc": 0.4},
    ]
    verdict = _verdict(params, "min_slice_roc_auc", slices, _calibrated(rows=1_000))
    assert verdict.value is None
    assert "not judged: no slice is large enough; the largest, group=a, has 40 rows and 6 positives" in verdict.detail


@pytest.mark.parametrize("better", [True, False], ids=["skilled: passes", "no better than the rate: fails"])
def test_the_brier_skill_is_measured_against_predicting_the_positive_rate(params: Settings, better: bool) -> None:
    """A rare positive class makes every Brier score small: the skill, 1 - Brier / Brier of the
    positive rate alone, is what the floor judges."""
    calibrated = _calibrated(rows=1_000)
    floor = params.model_checks.min_brier_skill
    prior = calibrated["brier"] / (1.0 - floor) * (1.0 + (0.1 if better else -0.1))
    verdict = _verdict(params, "min_brier_skill", [], calibrated, prior_brier=prior)
    assert verdict.passed is better, verdict.detail
    assert f"against {prior:.4f} for the positive rate alone" in verdict.detail


def test_without_minimum_functionality_cases_the_check_is_not_judged_and_names_it(params: Settings) -> None:
    verdict = _verdict(params, "minimum_functionality", [], _calibrated(rows=1_000))
    assert not verdict.judged
    assert not verdict.passed
    assert "declare MINIMUM_FUNCTIONALITY in src/adclick/data/specs.py" in verdict.detail


def test_without_a_protected_attribute_the_shift_check_is_not_judged(
    params: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adclick.model import checks

    monkeypatch.setattr(checks, "PROTECTED", ())
    verdict = _verdict(params, "max_protected_shift", [], _calibrated(rows=1_000))
    assert not verdict.judged
    assert "declare PROTECTED in src/adclick/data/specs.py" in verdict.detail


def _two_slices(rows: int, gap: float) -> list[dict[str, Any]]:
    """Two slices of one grouping, a fifth of each positive, whose AUCs lie `gap` apart."""
    return [
        {"slice": "group", "value": v, "rows": rows, "positives": rows // 5, "too_small": False, "roc_auc": auc}
        for v, auc in (("a", 0.80), ("b", 0.80 - gap))
    ]


@pytest.mark.ml_test_score("model-6")
def test_a_slice_gap_past_its_limit_but_within_noise_is_not_judged(params: Settings) -> None:
    """Slices of 300 rows, 60 positive: their AUCs differ by chance by about 0.05."""
    gap = params.model_checks.max_slice_auc_gap * 1.1
    verdict = _verdict(params, "max_slice_auc_gap", _two_slices(300, gap), _calibrated(rows=1_000))
    assert not verdict.judged, verdict.detail
    assert "standard errors" in verdict.detail


@pytest.mark.ml_test_score("model-6")
def test_a_slice_gap_past_its_limit_beyond_noise_fails(params: Settings) -> None:
    gap = params.model_checks.max_slice_auc_gap * 1.1
    verdict = _verdict(params, "max_slice_auc_gap", _two_slices(300_000, gap), _calibrated(rows=1_000))
    assert verdict.judged, verdict.detail
    assert not verdict.passed
