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
from tests.helpers.cases import (
    BOUNDED,
    CATEGORICAL,
    NUMBERS,
    REQUIRED,
    UNSEEN_LEVEL,
    outside_range,
    with_values,
)

FAULT_ROWS = 3_000
Fault = Callable[[pd.DataFrame], pd.DataFrame]


def _scenario(name: str) -> Fault:
    return lambda _: generate(FAULT_ROWS, seed=11, scenario=name)


def _set(row: int, **values: object) -> Fault:
    return lambda frame: with_values(frame, row, values)


def _duplicate_first_id(frame: pd.DataFrame) -> pd.DataFrame:
    return with_values(frame, 1, {specs.ID_COLUMN: frame[specs.ID_COLUMN].iloc[0]})


def _rename(column: str) -> Fault:
    return lambda frame: frame.rename(columns={column: f"{column}_renamed"})


def _drop(column: str) -> Fault:
    return lambda frame: frame.drop(columns=[column])


# The check each data-quality scenario of the generator breaks; the column is the one it declares.
SCENARIO_CHECKS = {"null_prices": "not_nullable", "prices_in_cents": "in_range", "unseen_category": "isin"}
FIRST_REQUIRED, LAST_REQUIRED = REQUIRED[0].name, REQUIRED[-1].name
TEXT_COLUMNS = list({s.kind: s.name for s in reversed(NUMBERS)}.values())  # the first integer and number columns
RANGED = BOUNDED[0]

# (fault, how it is made, the column the failure must name, the check that must fail)
FAULTS: list[tuple[str, Fault, str, str]] = [
    *((name.replace("_", " "), _scenario(name), SCENARIOS[name].columns[0], check)
      for name, check in SCENARIO_CHECKS.items()),
    ("renamed column", _rename(FIRST_REQUIRED), FIRST_REQUIRED, "column is missing"),
    ("missing column", _drop(LAST_REQUIRED), LAST_REQUIRED, "column is missing"),
    ("missing label", _drop(specs.LABEL), specs.LABEL, "column is missing"),
    *((f"text in number column {c}", _set(3, **{c: "12,99"}), c, "coerce_dtype") for c in TEXT_COLUMNS),
    ("value outside its range", _set(0, **{RANGED.name: outside_range(RANGED)}), RANGED.name, "in_range"),
    ("duplicated id", _duplicate_first_id, specs.ID_COLUMN, "field_uniqueness"),
    ("empty id", _set(2, **{specs.ID_COLUMN: ""}), specs.ID_COLUMN, "str_length"),
    ("label outside 0/1", _set(4, **{specs.LABEL: 2}), specs.LABEL, "isin"),
    *((f"row rule: {r.name}", _set(0, **r.violation), ", ".join(r.columns), r.name) for r in specs.ROW_RULES),
]  # fmt: skip
DATASET_FAULTS: list[tuple[str, Fault, str, str]] = [
    ("every label is positive", lambda f: f.assign(**{specs.LABEL: 1}), specs.LABEL, "click rate"),
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
    assert quality <= set(SCENARIO_CHECKS), f"scenarios without a fault test: {sorted(quality - set(SCENARIO_CHECKS))}"


@pytest.mark.parametrize("name", [n for n, s in SCENARIOS.items() if specs.LABEL in s.columns])
def test_drift_scenario_is_valid_data(name: str, params: Settings) -> None:
    """Validation is not drift detection: shifted but well-formed data must pass the schema."""
    validate(generate(FAULT_ROWS, seed=11, scenario=name), limits=params.data_checks)


def test_validation_lists_every_fault_at_once(clean_frame: pd.DataFrame, params: Settings) -> None:
    bounded = RANGED.name
    categorical = next(s.name for s in CATEGORICAL if s.name != bounded)
    dropped = next(s.name for s in REQUIRED if s.name not in (bounded, categorical))
    broken = with_values(clean_frame.drop(columns=[dropped]), 0, {bounded: outside_range(RANGED)})
    broken = with_values(broken, 1, {categorical: UNSEEN_LEVEL})
    failures = _failures(broken, params)
    assert {f["column"] for f in failures} == {dropped, bounded, categorical}
