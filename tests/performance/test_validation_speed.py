"""Validating with pandera costs at most a small factor over the same rules written as pandas masks.

The schema is worth its overhead only while that overhead stays small; this holds it to the
`validation_vs_pandas` budget on 100k and a million rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from tests.helpers.cases import BOUNDED, outside_range, with_values
from tests.helpers.references import hand_written_check
from tests.helpers.timing import RatioCheck, rows_of

pytestmark = pytest.mark.ml_test_score("monitor-6")


def test_hand_written_check_finds_what_the_schema_finds(params: Settings, data_like: Callable[..., Any]) -> None:
    """The reference must do the same work, or the ratio means nothing."""
    ranged = BOUNDED[0]
    frame = with_values(data_like(2_000, params.seed), 0, {ranged.name: outside_range(ranged)})
    for row, rule in enumerate(contract.ROW_RULES, start=1):
        frame = with_values(frame, row, dict(rule.violation))
    failed = {name for name, count in hand_written_check(frame, params.data_checks).items() if count}
    with pytest.raises(DataValidationError) as caught:
        validate(frame, limits=params.data_checks)
    schema_failed = {str(f["check"]) if "," in str(f["column"]) else str(f["column"]) for f in caught.value.failures}
    assert failed == schema_failed == {ranged.name, *(rule.name for rule in contract.ROW_RULES)}


@pytest.mark.parametrize("rows", [100_000, pytest.param(1_000_000, marks=pytest.mark.slow)], ids=["100k", "1M"])
def test_validation_stays_within_budget_of_plain_pandas(
    ratio_budget: RatioCheck, params: Settings, data_like: Callable[..., Any], rows: int
) -> None:
    frame = data_like(rows_of(rows), params.seed)
    assert not any(hand_written_check(frame, params.data_checks).values())
    ratio_budget(
        "validation_vs_pandas",
        ours=lambda: validate(frame, limits=params.data_checks),
        reference=lambda: hand_written_check(frame, params.data_checks),
        rounds=3,
    )
