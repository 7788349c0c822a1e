"""Behavioural tests (CheckList) as one table: minimum functionality (MFT), invariance (INV) and
directional expectations (DIR), each against the generator's known truth.

The MFT cases are `behaviour.MINIMUM_FUNCTIONALITY`; the directions and tolerances are
`model_checks` in params.yaml (for the demo data, tests/data/test_generator.py holds them to its truth).
"""

from __future__ import annotations

from typing import Any

import pytest

from adclick.config import load_settings
from adclick.model.behaviour import MINIMUM_FUNCTIONALITY
from tests.helpers.model import behaviour_failure
from tests.helpers.project import REPO_ROOT

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
