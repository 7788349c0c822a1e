"""Behavioural tests (CheckList) as one table: minimum functionality (MFT), invariance (INV) and
directional expectations (DIR), each against what the schema module declares.

The MFT cases and the directions are MINIMUM_FUNCTIONALITY and DIRECTIONS in
src/adclick/data/specs.py (for the demo data, tests/data/test_generator.py holds them to its
truth); the tolerances are `model_checks` in params.yaml.
"""

from __future__ import annotations

from typing import Any

import pytest

from adclick.data.contract import DIRECTIONS, MINIMUM_FUNCTIONALITY, PROTECTED
from tests.helpers.model import behaviour_failure

BEHAVIOURS = [
    *(pytest.param("MFT", case.name, id=f"MFT: {case.name} ranks higher") for case in MINIMUM_FUNCTIONALITY),
    *(
        pytest.param(
            "INV",
            "protected attribute",
            id="INV: changing the protected attribute moves no probability",
            marks=pytest.mark.ml_test_score("model-7"),
        )
        for _ in PROTECTED[:1]
    ),
    pytest.param("INV", "row order", id="INV: shuffling rows permutes the probabilities exactly"),
    *(
        pytest.param("DIR", column, id=f"DIR: {column} moves the probability only the known way")
        for column in sorted(DIRECTIONS)
    ),
]


@pytest.mark.parametrize(("kind", "case"), BEHAVIOURS)
def test_model_behaves_as_declared(model_report: dict[str, Any], kind: str, case: str) -> None:
    failure = behaviour_failure(model_report, kind, case)
    assert failure is None, failure
