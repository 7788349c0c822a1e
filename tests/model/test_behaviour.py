"""Behavioural tests (CheckList) as one table: minimum functionality (MFT), invariance (INV) and
directional expectations (DIR), each against the generator's known truth.

The MFT cases are `behaviour.MINIMUM_FUNCTIONALITY`; the directions and tolerances are
`model_checks` in params.yaml, and agree with the generator's documented truth (synthetic.TRUTH).
"""

from __future__ import annotations

from typing import Any

import pytest

from adclick.config import Settings, load_settings
from adclick.data.synthetic import TRUTH
from adclick.model.behaviour import MINIMUM_FUNCTIONALITY
from tests.helpers.model import behaviour_failure
from tests.helpers.project import REPO_ROOT

TRUTH_TERMS = {"discount_pct": "discount_per_10pct", "position": "position_per_slot", "price": "log_price_ratio"}
DIRECTIONS = sorted(load_settings(REPO_ROOT / "params.yaml", environ={}).model_checks.directions)

BEHAVIOURS = [
    *(pytest.param("MFT", case.name, id=f"MFT: {case.name} ranks higher") for case in MINIMUM_FUNCTIONALITY),
    pytest.param("INV", "protected attribute", id="INV: changing the protected attribute moves no probability"),
    pytest.param("INV", "row order", id="INV: shuffling rows permutes the probabilities exactly"),
    *(
        pytest.param("DIR", column, id=f"DIR: {column} moves the probability only the known way")
        for column in DIRECTIONS
    ),
]


@pytest.mark.parametrize(("kind", "case"), BEHAVIOURS)
def test_model_behaves_as_the_truth_says(model_report: dict[str, Any], kind: str, case: str) -> None:
    failure = behaviour_failure(model_report, kind, case)
    assert failure is None, failure


def test_every_configured_direction_agrees_with_the_truth(params: Settings) -> None:
    assert set(params.model_checks.directions) == set(TRUTH_TERMS)
    for column, expected in params.model_checks.directions.items():
        true_sign = 1 if getattr(TRUTH, TRUTH_TERMS[column]) > 0 else -1
        assert expected.sign * (1 if expected.step > 0 else -1) == true_sign, column
