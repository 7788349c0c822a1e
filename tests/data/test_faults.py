"""Every kind of data fault is caught by validation, and the failure names the right column.

The faults are the generator's data-quality scenarios plus the breaks files suffer in
practice (a renamed or dropped column, a wrong type, a broken rule across columns, a broken
label). Drift scenarios are the opposite case: valid data whose distribution moved, which the
schema must let through (drift detection, not validation, is what catches them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.data.shifts import blank, unseen_category
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from tests.helpers.cases import (
    BOUNDED,
    CATEGORICAL,
    NO_BOUNDS,
    NO_CATEGORY,
    NO_REQUIRED,
    NUMBERS,
    REQUIRED,
    outside_range,
    with_values,
)
from tests.helpers.judged import needs

FAULT_ROWS = 3_000
Fault = Callable[[pd.DataFrame], pd.DataFrame]


def _blank(column: str) -> Fault:
    return lambda frame: blank(frame, column, share=0.05, seed=11)


def _times_100(column: str) -> Fault:
    """A unit change (currency units to cents, metres to centimetres): every value 100 times larger."""
    return lambda frame: frame.assign(**{column: frame[column].astype(float) * 100})


def _unseen(column: str) -> Fault:
    return lambda frame: unseen_category(frame, column, share=0.05, seed=11)


def _set(row: int, **values: object) -> Fault:
    return lambda frame: with_values(frame, row, values)


def _duplicate_first_id(frame: pd.DataFrame) -> pd.DataFrame:
    return with_values(frame, 1, {contract.ID_COLUMN: frame[contract.ID_COLUMN].iloc[0]})


def _rename(column: str) -> Fault:
    return lambda frame: frame.rename(columns={column: f"{column}_renamed"})


def _drop(column: str) -> Fault:
    return lambda frame: frame.drop(columns=[column])


FIRST_REQUIRED, LAST_REQUIRED = REQUIRED[0].name, REQUIRED[-1].name
TEXT_COLUMNS = list({s.kind: s.name for s in reversed(NUMBERS)}.values())  # the first integer and number columns
RANGED = BOUNDED[0]
# A blank in an integer column cannot become an integer: pandera reports its coercion, not its nullability.
BLANK_CHECK = {"integer": "coerce_dtype"}
UNIT_CHANGED = sorted(BOUNDED, key=lambda s: s.kind != "number")[:1]  # a number column if there is one


def _fault(name: str, make: Fault, column: str, check: str) -> Any:
    """(fault, how it is made, the column the failure must name, the check that must fail)"""
    return pytest.param(make, column, check, id=name)


def _first_of(kind: str, cases: list[Any], why: str) -> list[Any]:
    """The cases, or one that is not judged, saying what the data lacks."""
    return cases or [pytest.param(None, None, None, id=f"{kind}: none", marks=needs(False, why))]


# Data-quality breaks of real pipelines, on the first column of the kind each needs.
QUALITY_FAULTS = [
    *_first_of("blanks in a required column", [
        _fault(f"blanks in required column {s.name}", _blank(s.name), s.name, BLANK_CHECK.get(s.kind, "not_nullable"))
        for s in REQUIRED[:1]], NO_REQUIRED),
    *_first_of("unit change", [
        _fault(f"unit change in {s.name}", _times_100(s.name), s.name, "in_range") for s in UNIT_CHANGED], NO_BOUNDS),
    *_first_of("unseen level", [
        _fault(f"unseen level in {s.name}", _unseen(s.name), s.name, "isin") for s in CATEGORICAL[:1]], NO_CATEGORY),
]  # fmt: skip
FAULTS = [
    *QUALITY_FAULTS,
    _fault("renamed column", _rename(FIRST_REQUIRED), FIRST_REQUIRED, "column is missing"),
    _fault("missing column", _drop(LAST_REQUIRED), LAST_REQUIRED, "column is missing"),
    _fault("missing label", _drop(contract.LABEL), contract.LABEL, "column is missing"),
    *(_fault(f"text in number column {c}", _set(3, **{c: "12,99"}), c, "coerce_dtype") for c in TEXT_COLUMNS),
    _fault("value outside its range", _set(0, **{RANGED.name: outside_range(RANGED)}), RANGED.name, "in_range"),
    _fault("duplicated id", _duplicate_first_id, contract.ID_COLUMN, "field_uniqueness"),
    _fault("empty id", _set(2, **{contract.ID_COLUMN: ""}), contract.ID_COLUMN, "str_length"),
    _fault("label outside 0/1", _set(4, **{contract.LABEL: 2}), contract.LABEL, "isin"),
    *(_fault(f"row rule: {r.name}", _set(0, **r.violation), ", ".join(r.columns), r.name) for r in contract.ROW_RULES),
]  # fmt: skip
DATASET_FAULTS: list[tuple[str, Fault, str, str]] = [
    ("every label is positive", lambda f: f.assign(**{contract.LABEL: 1}), contract.LABEL, "positive rate"),
    ("too few rows", lambda f: f.head(50), "(rows)", "row count"),
]


@pytest.fixture(scope="module")
def clean_frame(data_like: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    return data_like(FAULT_ROWS, seed=11)


def _failures(frame: pd.DataFrame, settings: Settings) -> list[dict[str, object]]:
    with pytest.raises(DataValidationError) as caught:
        validate(frame, limits=settings.data_checks, source="faulty.csv")
    assert "faulty.csv" in str(caught.value), "the message must name the file"
    return caught.value.failures


def test_clean_frame_passes(clean_frame: pd.DataFrame, params: Settings) -> None:
    validate(clean_frame, limits=params.data_checks)


@pytest.mark.parametrize(("make", "column", "check"), FAULTS)
def test_fault_fails_validation_naming_only_its_column(
    clean_frame: pd.DataFrame, params: Settings, make: Fault, column: str, check: str
) -> None:
    failures = _failures(make(clean_frame.copy()), params)
    assert [(f["column"], check in str(f["check"])) for f in failures] == [(column, True)], failures


@pytest.mark.parametrize(
    ("make", "column", "check"), [f[1:] for f in DATASET_FAULTS], ids=[f[0] for f in DATASET_FAULTS]
)
def test_dataset_fault_fails_validation_showing_the_observed_value(
    clean_frame: pd.DataFrame, params: Settings, make: Fault, column: str, check: str
) -> None:
    broken = make(clean_frame.copy())
    failures = [f for f in _failures(broken, params) if f["column"] == column]
    assert len(failures) == 1, failures
    assert check in str(failures[0]["check"])
    observed = len(broken) if column == "(rows)" else broken[column].mean()
    assert failures[0]["examples"] == [f"{observed:.6g}"]
