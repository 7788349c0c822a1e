"""The promotion gates: the model under test passes each, and the gate logic fails what it should.

The gates are `evaluate.check_gates`, built on MLflow's `validate_evaluation_results` with a
`MetricThreshold` per gate: the same code the pipeline's promote step trusts.
"""

from __future__ import annotations

from typing import Any

import pytest

from adclick.config import GateSettings, Settings
from adclick.tracking.gates import check_gates
from tests.helpers.model import assert_passes

pytestmark = pytest.mark.ml_test_score("model-5")

GATES = list(GateSettings.model_fields)
BASELINES = {"dummy": {"roc_auc": 0.5}, "logistic": {"roc_auc": 0.76}}


@pytest.mark.parametrize("gate", GATES)
def test_model_under_test_passes_the_gate(model_report: dict[str, Any], gate: str) -> None:
    assert_passes(model_report, gate)


def _failed(params: Settings, auc: float, champion_auc: float | None = None) -> dict[str, str]:
    champion = None if champion_auc is None else {"roc_auc": champion_auc}
    return {g.name: g.detail for g in check_gates(params.gates, {"roc_auc": auc}, BASELINES, champion) if not g.passed}


def _baselines_clear_of(params: Settings, auc: float) -> dict[str, dict[str, float]]:
    """Baselines weak enough that `auc` clears every margin over them: only the floor is in play."""
    margin = max(params.gates.min_auc_margin_over_dummy, params.gates.min_auc_margin_over_logistic)
    return {name: {"roc_auc": auc - 2 * margin} for name in BASELINES}


def test_a_model_below_the_floor_fails_only_the_floor(params: Settings) -> None:
    auc = params.gates.min_roc_auc - 0.001
    results = check_gates(params.gates, {"roc_auc": auc}, _baselines_clear_of(params, auc), None)
    failed = {g.name: g.detail for g in results if not g.passed}
    assert set(failed) == {"min_roc_auc"}, f"expected only the floor to fail, got {sorted(failed)}"
    assert "threshold" in failed["min_roc_auc"].lower(), "the detail carries MLflow's reason"


def test_a_model_just_short_of_the_linear_margin_fails_the_margin(params: Settings) -> None:
    gates = params.gates
    short = max(abs(gates.min_auc_margin_over_logistic), 0.002) / 2
    logistic = gates.min_roc_auc + abs(gates.min_auc_margin_over_logistic) + 2 * short  # the floor is not in play
    auc = logistic + gates.min_auc_margin_over_logistic - short
    baselines = {"dummy": {"roc_auc": 0.5}, "logistic": {"roc_auc": logistic}}
    failed = {g.name for g in check_gates(gates, {"roc_auc": auc}, baselines, None) if not g.passed}
    assert failed == {"min_auc_margin_over_logistic"}


def test_a_drop_against_the_champion_beyond_the_tolerance_fails(params: Settings) -> None:
    champion_auc = 0.80
    within = champion_auc - params.gates.max_auc_drop_vs_champion / 2
    beyond = champion_auc - params.gates.max_auc_drop_vs_champion * 2
    assert "max_auc_drop_vs_champion" not in _failed(params, within, champion_auc)
    assert "max_auc_drop_vs_champion" in _failed(params, beyond, champion_auc)


def test_a_zero_margin_over_a_baseline_is_a_floor_at_the_baseline(params: Settings) -> None:
    """MLflow's min_absolute_change must be positive: a zero margin becomes threshold = baseline."""
    gates = params.gates.model_copy(update={"min_auc_margin_over_logistic": 0.0})
    at_baseline = check_gates(gates, {"roc_auc": 0.76}, BASELINES, None)
    below = check_gates(gates, {"roc_auc": 0.759}, BASELINES, None)
    assert next(g for g in at_baseline if g.name == "min_auc_margin_over_logistic").passed
    assert not next(g for g in below if g.name == "min_auc_margin_over_logistic").passed


def test_a_margin_the_baseline_leaves_no_room_for_is_explained_in_data_terms(params: Settings) -> None:
    """A positive margin (the configured one, or the champion tolerance where a fork set it at or
    below 0) over a baseline so strong that less AUC is left to gain than the margin asks."""
    margin = abs(params.gates.min_auc_margin_over_logistic) or params.gates.max_auc_drop_vs_champion
    gates = params.gates.model_copy(update={"min_auc_margin_over_logistic": margin})
    strong = 1.0 - margin / 4
    baselines = {"dummy": {"roc_auc": 0.5}, "logistic": {"roc_auc": strong}}
    verdicts = check_gates(gates, {"roc_auc": strong}, baselines, None)
    detail = next(v.detail for v in verdicts if v.name == "min_auc_margin_over_logistic")
    assert f"leaving {1 - strong:.4f} of AUC to gain" in detail
    assert "gates.min_auc_margin_over_logistic in params.yaml" in detail
