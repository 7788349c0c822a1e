"""Behavioural tests (CheckList): minimum functionality, invariance and direction, against the truth.

The cases are `behaviour.MINIMUM_FUNCTIONALITY`; the directions and tolerances are
`model_checks` in params.yaml, and agree with the generator's documented truth (data.TRUTH).
"""

from __future__ import annotations

from typing import Any

import pytest

from adclick.behaviour import MINIMUM_FUNCTIONALITY
from adclick.config import Settings
from adclick.data import TRUTH
from tests.model.conftest import assert_passes

TRUTH_TERMS = {"discount_pct": "discount_per_10pct", "position": "position_per_slot", "price": "log_price_ratio"}


@pytest.mark.parametrize("case", range(len(MINIMUM_FUNCTIONALITY)), ids=[p.name for p in MINIMUM_FUNCTIONALITY])
def test_obvious_case_ranks_as_expected(model_report: dict[str, Any], case: int) -> None:
    result = model_report["behaviour"]["minimum_functionality"][case]
    assert result["passed"], f"{result['case']}: P(better) {result['better']:.4f} <= P(worse) {result['worse']:.4f}"


def test_changing_the_protected_attribute_moves_no_probability(model_report: dict[str, Any]) -> None:
    assert_passes(model_report, "max_protected_shift")


def test_shuffling_rows_permutes_the_probabilities_exactly(model_report: dict[str, Any]) -> None:
    assert model_report["behaviour"]["row_order_shift"] == 0.0


def test_raising_the_discount_never_lowers_the_click_probability(model_report: dict[str, Any]) -> None:
    assert_passes(model_report, "max_direction_violation_rate[discount_pct]")
    assert_passes(model_report, "min_direction_effect[discount_pct]")


def test_lowering_the_slot_never_raises_the_click_probability(model_report: dict[str, Any]) -> None:
    assert_passes(model_report, "max_direction_violation_rate[position]")
    assert_passes(model_report, "min_direction_effect[position]")


def test_raising_the_price_never_raises_the_click_probability(model_report: dict[str, Any]) -> None:
    assert_passes(model_report, "max_direction_violation_rate[price]")
    assert_passes(model_report, "min_direction_effect[price]")


def test_every_configured_direction_is_tested_and_agrees_with_the_truth(params: Settings) -> None:
    assert set(params.model_checks.directions) == set(TRUTH_TERMS)
    for column, expected in params.model_checks.directions.items():
        true_sign = 1 if getattr(TRUTH, TRUTH_TERMS[column]) > 0 else -1
        assert expected.sign * (1 if expected.step > 0 else -1) == true_sign, column
