"""The schemas hold every column to its definition in `specs.FEATURE_SPECS`.

These tests are generated from the specs, so a team that changes a column's range, vocabulary
or nullability changes the schema module and params.yaml, never these test bodies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adclick.data import schema, specs
from adclick.data.synthetic import generate
from adclick.data.validation import validate
from adclick.errors import DataValidationError

BOUNDED = [spec for spec in specs.FEATURE_SPECS if spec.bounds is not None]
CATEGORICAL = [spec for spec in specs.FEATURE_SPECS if spec.vocabulary is not None]
REQUIRED = [spec for spec in specs.FEATURE_SPECS if not spec.nullable]


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """A few valid rows, all of returning users, so any column may be set without breaking a row rule."""
    frame = generate(2_000, seed=13)
    return frame[frame["is_returning"]].head(5).reset_index(drop=True)


def _failed_columns(frame: pd.DataFrame) -> set[str]:
    with pytest.raises(DataValidationError) as caught:
        validate(frame)
    return {str(f["column"]) for f in caught.value.failures}


def _with(frame: pd.DataFrame, column: str, value: object) -> pd.DataFrame:
    frame = frame.astype({column: object})
    frame.loc[0, column] = value
    return frame


def _step(spec: specs.FieldSpec) -> float:
    return 1 if spec.kind == "integer" else 0.01


@pytest.mark.parametrize("spec", BOUNDED, ids=lambda s: s.name)
def test_values_at_both_bounds_are_accepted(rows: pd.DataFrame, spec: specs.FieldSpec) -> None:
    low, high = spec.bounds  # type: ignore[misc]
    frame = _with(_with(rows, spec.name, low), spec.name, high)
    frame.loc[1, spec.name] = low
    validate(frame)


@pytest.mark.parametrize("spec", BOUNDED, ids=lambda s: s.name)
def test_value_below_the_range_is_rejected_naming_the_column(rows: pd.DataFrame, spec: specs.FieldSpec) -> None:
    assert _failed_columns(_with(rows, spec.name, spec.bounds[0] - _step(spec))) == {spec.name}  # type: ignore[index]


@pytest.mark.parametrize("spec", BOUNDED, ids=lambda s: s.name)
def test_value_above_the_range_is_rejected_naming_the_column(rows: pd.DataFrame, spec: specs.FieldSpec) -> None:
    assert _failed_columns(_with(rows, spec.name, spec.bounds[1] + _step(spec))) == {spec.name}  # type: ignore[index]


@pytest.mark.parametrize("spec", CATEGORICAL, ids=lambda s: s.name)
def test_category_outside_the_vocabulary_is_rejected(rows: pd.DataFrame, spec: specs.FieldSpec) -> None:
    assert _failed_columns(_with(rows, spec.name, "not-a-level")) == {spec.name}


@pytest.mark.parametrize("spec", REQUIRED, ids=lambda s: s.name)
def test_missing_value_in_a_required_column_is_rejected(rows: pd.DataFrame, spec: specs.FieldSpec) -> None:
    assert _failed_columns(_with(rows, spec.name, None)) == {spec.name}


@pytest.mark.parametrize("name", specs.OPTIONAL_FEATURES)
def test_missing_value_in_an_optional_column_is_accepted(rows: pd.DataFrame, name: str) -> None:
    validate(_with(rows, name, None))


def test_extra_columns_are_dropped_not_fed_to_the_model(rows: pd.DataFrame) -> None:
    validated = validate(rows.assign(internal_note="do not use"))
    assert "internal_note" not in validated.columns


@pytest.mark.parametrize(
    "spec", [s for s in specs.FEATURE_SPECS if s.kind in ("integer", "number")], ids=lambda s: s.name
)
def test_numbers_read_as_text_are_coerced_to_their_type(rows: pd.DataFrame, spec: specs.FieldSpec) -> None:
    as_text = rows.astype({spec.name: str}).replace({spec.name: {"nan": None}})
    validated = validate(as_text)
    assert validated[spec.name].dtype.kind == np.dtype(spec.dtype).kind


@pytest.mark.parametrize("value", [None, "yes", 2])
def test_boolean_column_rejects_what_is_not_a_boolean(rows: pd.DataFrame, value: object) -> None:
    """numpy would read None as False and "yes" or 2 as True: the schema must refuse them."""
    assert _failed_columns(_with(rows, "is_returning", value)) == {"is_returning"}


def test_unlabelled_schema_does_not_require_the_label(rows: pd.DataFrame) -> None:
    validated = validate(rows.drop(columns=[specs.LABEL]), labelled=False)
    assert specs.LABEL not in validated.columns


def test_empty_frame_is_a_clear_error() -> None:
    with pytest.raises(DataValidationError, match=r"impressions\.csv: no rows"):
        validate(generate(5, seed=1).head(0), source="impressions.csv")


def test_column_lists_are_derived_from_the_specs() -> None:
    assert tuple(spec.name for spec in specs.FEATURE_SPECS) == specs.FEATURES
    assert set(specs.CATEGORICAL_FEATURES) == {spec.name for spec in CATEGORICAL}
    assert list(schema.raw_schema().columns) == [specs.ID_COLUMN, *specs.FEATURES, specs.LABEL]


def test_every_row_rule_names_columns_of_the_schema() -> None:
    for rule in specs.ROW_RULES:
        assert set(rule.columns) <= set(specs.FEATURES), rule.name


def test_predictions_schema_rejects_a_decision_that_contradicts_the_threshold() -> None:
    predictions = pd.DataFrame(
        {
            specs.ID_COLUMN: ["a", "b"],
            "click_probability": [0.9, 0.1],
            "predicted_click": [1, 1],
            "model_name": "adclick",
            "model_version": "1",
        }
    )
    with pytest.raises(Exception, match=r"predicted_click is click_probability >= 0\.3"):
        schema.predictions_schema(0.3).validate(predictions)


def test_predictions_schema_rejects_a_probability_outside_zero_to_one() -> None:
    predictions = pd.DataFrame(
        {
            specs.ID_COLUMN: ["a"],
            "click_probability": [1.2],
            "predicted_click": [1],
            "model_name": "adclick",
            "model_version": "1",
        }
    )
    with pytest.raises(Exception, match="click_probability"):
        schema.predictions_schema(0.3).validate(predictions)
