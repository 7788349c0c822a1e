"""The schemas hold every column to its definition in `contract.FEATURE_SPECS`.

These tests are generated from the specs, so a team that changes a column's range, vocabulary
or nullability changes the schema module and params.yaml, never these test bodies.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from adclick.data import contract, schema
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from tests.helpers.cases import (
    BOOLEANS,
    BOUNDED,
    NO_BOOLEAN,
    NO_BOUNDS,
    NO_CATEGORY,
    NO_OPTIONAL,
    NO_REQUIRED,
    REQUIRED,
    UNSEEN_LEVEL,
    rows_keeping_the_rules,
    with_values,
)
from tests.helpers.judged import each

pytestmark = pytest.mark.ml_test_score("data-1")

VOCABULARY_COLUMNS = [spec for spec in contract.FEATURE_SPECS if spec.vocabulary is not None]  # protected ones too


@pytest.fixture(scope="module")
def rows(data_like: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    """Valid rows to draw from: `_with` picks those that keep every row rule after its edit."""
    return data_like(2_000, seed=13)


def _failed_columns(frame: pd.DataFrame) -> set[str]:
    with pytest.raises(DataValidationError) as caught:
        validate(frame)
    return {str(f["column"]) for f in caught.value.failures}


def _with(frame: pd.DataFrame, column: str, value: object) -> pd.DataFrame:
    """A few valid rows, the first with `column` set to `value`, chosen so no row rule breaks."""
    return with_values(rows_keeping_the_rules(frame, column, value), 0, {column: value})


def _step(spec: contract.FieldSpec) -> float:
    return 1 if spec.kind == "integer" else 0.01


@pytest.mark.parametrize("spec", each(BOUNDED, NO_BOUNDS, ids=lambda s: s.name))
def test_values_at_both_bounds_are_accepted(rows: pd.DataFrame, spec: contract.FieldSpec) -> None:
    low, high = spec.bounds  # type: ignore[misc]
    validate(_with(rows, spec.name, low))
    validate(_with(rows, spec.name, high))


@pytest.mark.parametrize("spec", each(BOUNDED, NO_BOUNDS, ids=lambda s: s.name))
def test_value_below_the_range_is_rejected_naming_the_column(rows: pd.DataFrame, spec: contract.FieldSpec) -> None:
    assert _failed_columns(_with(rows, spec.name, spec.bounds[0] - _step(spec))) == {spec.name}  # type: ignore[index]


@pytest.mark.parametrize("spec", each(BOUNDED, NO_BOUNDS, ids=lambda s: s.name))
def test_value_above_the_range_is_rejected_naming_the_column(rows: pd.DataFrame, spec: contract.FieldSpec) -> None:
    assert _failed_columns(_with(rows, spec.name, spec.bounds[1] + _step(spec))) == {spec.name}  # type: ignore[index]


@pytest.mark.parametrize("spec", each(VOCABULARY_COLUMNS, NO_CATEGORY, ids=lambda s: s.name))
def test_category_outside_the_vocabulary_is_rejected(rows: pd.DataFrame, spec: contract.FieldSpec) -> None:
    assert _failed_columns(_with(rows, spec.name, UNSEEN_LEVEL)) == {spec.name}


@pytest.mark.parametrize("spec", each(REQUIRED, NO_REQUIRED, ids=lambda s: s.name))
def test_missing_value_in_a_required_column_is_rejected(rows: pd.DataFrame, spec: contract.FieldSpec) -> None:
    assert _failed_columns(_with(rows, spec.name, None)) == {spec.name}


@pytest.mark.parametrize("name", each(contract.OPTIONAL_FEATURES, NO_OPTIONAL))
def test_missing_value_in_an_optional_column_is_accepted(rows: pd.DataFrame, name: str) -> None:
    validate(_with(rows, name, None))


def test_extra_columns_are_dropped_not_fed_to_the_model(rows: pd.DataFrame) -> None:
    validated = validate(rows.assign(internal_note="do not use"))
    assert "internal_note" not in validated.columns


@pytest.mark.parametrize(
    "spec", [s for s in contract.FEATURE_SPECS if s.kind in ("integer", "number")], ids=lambda s: s.name
)
def test_numbers_read_as_text_are_coerced_to_their_type(rows: pd.DataFrame, spec: contract.FieldSpec) -> None:
    typed = rows[spec.name].astype("Int64" if spec.kind == "integer" else float)
    as_text = rows.assign(**{spec.name: typed.astype(str).where(typed.notna(), None)})
    validated = validate(as_text)
    # An integer column with gaps reaches the model as floats with NaN (numpy ints have no gap).
    expected = np.dtype(float if spec.kind == "integer" and spec.nullable else spec.dtype).kind
    assert validated[spec.name].dtype.kind == expected


@pytest.mark.parametrize("value", [None, "yes", 2])
@pytest.mark.parametrize("spec", each(BOOLEANS, NO_BOOLEAN, ids=lambda s: s.name))
def test_boolean_column_rejects_what_is_not_a_boolean(
    rows: pd.DataFrame, spec: contract.FieldSpec, value: object
) -> None:
    """numpy would read None as False and "yes" or 2 as True: the schema must refuse them."""
    assert _failed_columns(_with(rows, spec.name, value)) == {spec.name}


def test_unlabelled_schema_does_not_require_the_label(rows: pd.DataFrame) -> None:
    validated = validate(rows.drop(columns=[contract.LABEL]), labelled=False)
    assert contract.LABEL not in validated.columns


def test_empty_frame_is_a_clear_error(rows: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match=r"data\.csv: no rows"):
        validate(rows.head(0), source="data.csv")


def test_column_lists_are_derived_from_the_specs() -> None:
    assert tuple(spec.name for spec in contract.FEATURE_SPECS) == contract.FEATURES
    assert set(contract.CATEGORICAL_FEATURES) == {spec.name for spec in VOCABULARY_COLUMNS}
    assert list(schema.raw_schema().columns) == [contract.ID_COLUMN, *contract.FEATURES, contract.LABEL]


def test_every_row_rule_names_columns_of_the_schema() -> None:
    for rule in contract.ROW_RULES:
        assert set(rule.columns) <= set(contract.FEATURES), rule.name


def _predictions(probabilities: list[float], decisions: list[int]) -> pd.DataFrame:
    """Batch scores as `predict` writes them, in the schema's column order."""
    return pd.DataFrame(
        {
            contract.ID_COLUMN: [f"row-{i}" for i in range(len(probabilities))],
            schema.PROBABILITY: probabilities,
            schema.DECISION: decisions,
            "model_name": "adclick",
            "model_version": "1",
        }
    )


def test_predictions_schema_rejects_a_decision_that_contradicts_the_threshold() -> None:
    with pytest.raises(Exception, match=rf"{schema.DECISION} is {schema.PROBABILITY} >= 0\.3"):
        schema.predictions_schema(0.3).validate(_predictions([0.9, 0.1], [1, 1]))


def test_predictions_schema_counts_a_probability_at_the_threshold_as_positive() -> None:
    schema.predictions_schema(0.3).validate(_predictions([0.3, 0.29], [1, 0]))
    with pytest.raises(Exception, match=schema.DECISION):
        schema.predictions_schema(0.3).validate(_predictions([0.3], [0]))


def test_predictions_schema_rejects_a_probability_outside_zero_to_one() -> None:
    with pytest.raises(Exception, match=schema.PROBABILITY):
        schema.predictions_schema(0.3).validate(_predictions([1.2], [1]))


def test_predictions_schema_rejects_a_column_it_does_not_declare() -> None:
    with pytest.raises(Exception, match="extra"):
        schema.predictions_schema(0.3).validate(_predictions([0.9], [1]).assign(extra=1))


def test_predictions_schema_holds_the_column_order_downstream_readers_rely_on() -> None:
    shuffled = _predictions([0.9], [1])
    with pytest.raises(Exception, match="order"):
        schema.predictions_schema(0.3).validate(shuffled[list(reversed(shuffled.columns))])


def test_a_data_set_rule_holds_at_both_of_its_bounds_and_not_beyond() -> None:
    rule = schema.DatasetRule("row count in [2, 3]", "(rows)", lambda frame: float(len(frame)), 2, 3)
    verdicts = {rows: rule.holds(pd.DataFrame({"x": range(rows)})) for rows in (1, 2, 3, 4)}
    assert verdicts == {1: False, 2: True, 3: True, 4: False}


@pytest.mark.parametrize(
    "spec", each([s for s in VOCABULARY_COLUMNS if s.name in schema.MODEL_FEATURES], NO_CATEGORY, ids=lambda s: s.name)
)
def test_a_category_code_runs_from_zero_to_its_last_level_and_no_further(spec: contract.FieldSpec) -> None:
    """After preprocessing, a category is its level's code, missing when the level was unseen."""
    model_input = schema.features_schema((spec.name,))
    last = float(len(spec.vocabulary or ()) - 1)
    model_input.validate(pd.DataFrame({spec.name: [0.0, last, np.nan]}))
    with pytest.raises(Exception, match=spec.name):
        model_input.validate(pd.DataFrame({spec.name: [last + 1]}))


def test_the_model_inputs_are_exactly_the_model_features_in_order() -> None:
    names = list(schema.features_schema().columns)
    assert names == list(schema.MODEL_FEATURES)
    model_input = schema.features_schema(tuple(names[:1]))
    with pytest.raises(Exception, match="extra"):
        model_input.validate(pd.DataFrame({names[0]: [], "extra": []}))
