"""Every kind of data fault is caught by validation, and the failure names the right column.

The faults are the generator's data-quality scenarios plus the breaks files suffer in
practice (a renamed or dropped column, a wrong type, a broken rule across columns, a broken
label). Drift scenarios are the opposite case: valid data whose distribution moved, which the
schema must let through (drift detection, not validation, is what catches them).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data import specs
from adclick.data.synthetic import SCENARIOS, generate
from adclick.data.validation import validate
from adclick.errors import DataValidationError

FAULT_ROWS = 3_000
Fault = Callable[[pd.DataFrame], pd.DataFrame]


def _scenario(name: str) -> Fault:
    return lambda _: generate(FAULT_ROWS, seed=11, scenario=name)


def _set(row: int, **values: object) -> Fault:
    def apply(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.astype(dict.fromkeys(values, object))
        for column, value in values.items():
            frame.loc[row, column] = value
        return frame

    return apply


# (fault, how it is made, the column the failure must name, the check that must fail)
FAULTS: list[tuple[str, Fault, str, str]] = [
    ("null prices", _scenario("null_prices"), "price", "not_nullable"),
    ("prices in cents", _scenario("prices_in_cents"), "price", "in_range"),
    ("unseen category", _scenario("unseen_category"), "ad_category", "isin"),
    ("renamed column", lambda f: f.rename(columns={"discount_pct": "discount"}), "discount_pct", "column is missing"),
    ("missing column", lambda f: f.drop(columns=["device"]), "device", "column is missing"),
    ("missing label", lambda f: f.drop(columns=[specs.LABEL]), specs.LABEL, "column is missing"),
    ("wrong dtype", _set(3, age="forty"), "age", "coerce_dtype"),
    ("text in a number column", _set(5, price="12,99"), "price", "coerce_dtype"),
    ("value below its range", _set(0, discount_pct=-5.0), "discount_pct", "in_range"),
    ("duplicated id", _set(1, impression_id="imp-11-0-0000000"), specs.ID_COLUMN, "field_uniqueness"),
    ("empty id", _set(2, impression_id=""), specs.ID_COLUMN, "str_length"),
    ("label outside 0/1", _set(4, clicked=2), specs.LABEL, "isin"),
    ("new user with purchases", _set(0, is_returning=False, past_purchases=4, days_since_last_visit=None),
     "is_returning, past_purchases", "new users have no past purchases"),
]  # fmt: skip
DATASET_FAULTS: list[tuple[str, Fault, str, str]] = [
    ("every label is a click", lambda f: f.assign(clicked=1), specs.LABEL, "click rate"),
    ("too few rows", lambda f: f.head(50), "(rows)", "row count"),
]


@pytest.fixture(scope="module")
def clean_frame() -> pd.DataFrame:
    return generate(FAULT_ROWS, seed=11)


def _failures(frame: pd.DataFrame, settings: Settings) -> list[dict[str, object]]:
    with pytest.raises(DataValidationError) as caught:
        validate(frame, limits=settings.data_checks, source="faulty.csv")
    assert "faulty.csv" in str(caught.value), "the message must name the file"
    return caught.value.failures


def test_clean_frame_passes(clean_frame: pd.DataFrame, params: Settings) -> None:
    validate(clean_frame, limits=params.data_checks)


@pytest.mark.parametrize(("make", "column", "check"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
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


def test_every_data_quality_scenario_of_the_generator_is_covered() -> None:
    """A scenario added to the generator that changes no label is a data-quality fault: list it above."""
    quality = {name for name, s in SCENARIOS.items() if specs.LABEL not in s.columns}
    covered = {fault[0].replace(" ", "_") for fault in FAULTS}
    assert quality <= covered, f"scenarios without a fault test: {sorted(quality - covered)}"


@pytest.mark.parametrize("name", [n for n, s in SCENARIOS.items() if specs.LABEL in s.columns])
def test_drift_scenario_is_valid_data(name: str, params: Settings) -> None:
    """Validation is not drift detection: shifted but well-formed data must pass the schema."""
    validate(generate(FAULT_ROWS, seed=11, scenario=name), limits=params.data_checks)


def test_validation_lists_every_fault_at_once(clean_frame: pd.DataFrame, params: Settings) -> None:
    broken = clean_frame.drop(columns=["device"])
    broken.loc[0, "position"] = 42
    broken.loc[1, "country"] = "XX"
    failures = _failures(broken, params)
    assert {f["column"] for f in failures} == {"device", "position", "country"}
