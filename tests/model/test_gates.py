"""The promotion gates: the model under test passes each, and the gate logic fails, or leaves not
judged, what it should.

The gates are `tracking.gates.check_gates`, built on MLflow's `validate_evaluation_results` with
a `MetricThreshold` per gate, and decided only beyond `gates.noise_standard_errors` standard
errors of their limit: the same code the pipeline's promote step trusts.
"""

from __future__ import annotations

from typing import Any

import pytest

from adclick.config import Settings
from adclick.tracking.gates import GATES, check_gates
from tests.helpers.model import assert_passes

pytestmark = pytest.mark.ml_test_score("model-5")

BASELINES = {"dummy": {"roc_auc": 0.5}, "logistic": {"roc_auc": 0.76}}


def _verdict(verdicts: list[Any], name: str) -> Any:
    return next(v for v in verdicts if v.name == name)


def _stated(params: Settings, **margins: float) -> Any:
    """The params gates with margins a team states instead of leaving them to the noise."""
    return params.gates.model_copy(update=margins)


def _baselines_clear_of(params: Settings, auc: float) -> dict[str, dict[str, float]]:
    """Baselines weak enough that `auc` clears every margin over them: only the floor is in play."""
    margin = max(params.gates.min_auc_margin_over_dummy, params.gates.min_auc_margin_over_logistic or 0.0)
    return {name: {"roc_auc": auc - 2 * margin} for name in BASELINES}


@pytest.mark.parametrize("gate", GATES)
def test_model_under_test_passes_the_gate(model_report: dict[str, Any], gate: str) -> None:
    assert_passes(model_report, gate)


def test_a_model_below_the_floor_fails_only_the_floor(params: Settings) -> None:
    auc = params.gates.min_roc_auc - 0.001
    results = check_gates(params.gates, {"roc_auc": auc}, _baselines_clear_of(params, auc), None)
    failed = {g.name: g.detail for g in results if not g.passed}
    assert set(failed) == {"min_roc_auc"}, f"expected only the floor to fail, got {sorted(failed)}"
    assert "threshold" in failed["min_roc_auc"].lower(), "the detail carries MLflow's reason"


def test_a_model_just_short_of_a_stated_linear_margin_fails_the_margin(params: Settings) -> None:
    """Any positive margin a team states; the dummy's stands in for it."""
    margin = params.gates.min_auc_margin_over_dummy
    gates = _stated(params, min_auc_margin_over_logistic=margin)
    logistic = gates.min_roc_auc + 2 * margin  # the floor is not in play
    baselines = {"dummy": {"roc_auc": 0.5}, "logistic": {"roc_auc": logistic}}
    failed = {g.name for g in check_gates(gates, {"roc_auc": logistic + margin / 2}, baselines, None) if not g.passed}
    assert failed == {"min_auc_margin_over_logistic"}


@pytest.mark.parametrize("beyond", [True, False], ids=["beyond noise: fails", "within noise: passes"])
def test_an_unset_margin_fails_a_model_below_the_baseline_only_beyond_noise(params: Settings, beyond: bool) -> None:
    gates = _stated(params, min_auc_margin_over_logistic=None)
    error, z = 0.01, gates.noise_standard_errors
    logistic = BASELINES["logistic"]["roc_auc"]
    auc = logistic - (z + 0.5 if beyond else z - 0.5) * error
    verdict = _verdict(check_gates(gates, {"roc_auc": auc}, BASELINES, None, errors={"logistic": error}),
                       "min_auc_margin_over_logistic")  # fmt: skip
    assert verdict.judged, verdict.detail
    assert verdict.passed is not beyond, verdict.detail


@pytest.mark.parametrize("side", [+1, -1], ids=["just above the floor", "just below the floor"])
def test_a_value_within_noise_of_its_limit_is_not_judged_and_blocks_promotion(params: Settings, side: int) -> None:
    error, z = 0.02, params.gates.noise_standard_errors
    auc = params.gates.min_roc_auc + side * z * error / 2
    results = check_gates(params.gates, {"roc_auc": auc}, _baselines_clear_of(params, auc), None, (300, 40),
                          errors={"roc_auc": error})  # fmt: skip
    floor = _verdict(results, "min_roc_auc")
    assert (floor.judged, floor.passed) == (False, False), floor.detail
    assert "not judged" in floor.detail
    assert "positives would decide it" in floor.detail


def test_a_value_beyond_noise_of_its_limit_is_decided(params: Settings) -> None:
    error, z = 0.02, params.gates.noise_standard_errors
    auc = params.gates.min_roc_auc + 2 * z * error
    floor = _verdict(check_gates(params.gates, {"roc_auc": auc}, _baselines_clear_of(params, auc), None,
                                 errors={"roc_auc": error}), "min_roc_auc")  # fmt: skip
    assert (floor.judged, floor.passed) == (True, True), floor.detail
    assert f"± {error:.4f}" in floor.detail, "the detail gives the standard error"


def test_a_drop_against_the_champion_beyond_a_stated_tolerance_fails(params: Settings) -> None:
    tolerance = params.gates.min_auc_margin_over_dummy / 10  # any stated tolerance
    gates, champion_auc = _stated(params, max_auc_drop_vs_champion=tolerance), 0.80

    def failed(auc: float) -> bool:
        verdicts = check_gates(gates, {"roc_auc": auc}, BASELINES, {"roc_auc": champion_auc})
        return not _verdict(verdicts, "max_auc_drop_vs_champion").passed

    assert not failed(champion_auc - tolerance / 2)
    assert failed(champion_auc - tolerance * 2)


@pytest.mark.parametrize("beyond", [True, False], ids=["beyond noise: fails", "within noise: passes"])
def test_an_unset_tolerance_fails_a_drop_against_the_champion_only_beyond_noise(params: Settings, beyond: bool) -> None:
    gates, error, champion_auc = _stated(params, max_auc_drop_vs_champion=None), 0.01, 0.80
    auc = champion_auc - (gates.noise_standard_errors + (0.5 if beyond else -0.5)) * error
    verdicts = check_gates(gates, {"roc_auc": auc}, BASELINES, {"roc_auc": champion_auc}, errors={"champion": error})
    verdict = _verdict(verdicts, "max_auc_drop_vs_champion")
    assert verdict.judged, verdict.detail
    assert verdict.passed is not beyond, verdict.detail


def test_a_zero_margin_over_a_baseline_is_a_floor_at_the_baseline(params: Settings) -> None:
    """MLflow's min_absolute_change must be positive: a zero margin becomes threshold = baseline."""
    gates = _stated(params, min_auc_margin_over_logistic=0.0)
    logistic = BASELINES["logistic"]["roc_auc"]
    at_baseline = check_gates(gates, {"roc_auc": logistic}, BASELINES, None)
    below = check_gates(gates, {"roc_auc": logistic - 0.001}, BASELINES, None)
    assert _verdict(at_baseline, "min_auc_margin_over_logistic").passed
    assert not _verdict(below, "min_auc_margin_over_logistic").passed


def test_a_margin_the_baseline_leaves_no_room_for_is_explained_in_data_terms(params: Settings) -> None:
    """A positive margin (any a team states; the dummy's tenth stands in) over a baseline so
    strong that less AUC is left to gain than the margin asks."""
    margin = params.gates.min_auc_margin_over_dummy / 10
    gates = _stated(params, min_auc_margin_over_logistic=margin)
    strong = 1.0 - margin / 4
    baselines = {"dummy": {"roc_auc": 0.5}, "logistic": {"roc_auc": strong}}
    detail = _verdict(check_gates(gates, {"roc_auc": strong}, baselines, None), "min_auc_margin_over_logistic").detail
    assert f"leaving {1 - strong:.4f} of AUC to gain" in detail
    assert "gates.min_auc_margin_over_logistic in params.yaml" in detail
