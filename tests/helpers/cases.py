"""Test cases derived from the data contract (`adclick.data.specs`) and params.yaml.

A test never names a column of the demo data: it asks for one by role (the first bounded
column, a categorical column, a required one) or for a row rule's declared violation, so a
team that swaps the schema swaps no test. A role a data set does not have yields one case,
"not judged" with the reason below (`tests.helpers.judged.each`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from adclick.data import contract
from tests.helpers.judged import SPECS

BOUNDED = [s for s in contract.FEATURE_SPECS if s.bounds is not None]
INTEGERS = [s for s in BOUNDED if s.kind == "integer"]
NUMBERS = [s for s in contract.FEATURE_SPECS if s.kind in ("integer", "number")]
REQUIRED = [s for s in contract.FEATURE_SPECS if not s.nullable]
BOOLEANS = [s for s in contract.FEATURE_SPECS if s.kind == "boolean"]
# Categorical columns the model sees (a protected attribute is in the data, not in the model).
CATEGORICAL = [s for s in contract.FEATURE_SPECS if s.vocabulary is not None and s.name in contract.MODEL_FEATURES]
# Bounded numbers the model sees, most distinct-valued kind first (a shift shows on a number).
MODEL_NUMBERS = sorted((s for s in BOUNDED if s.name in contract.MODEL_FEATURES), key=lambda s: s.kind != "number")
# What a data set lacks when a role above is empty: the reason its tests give for not judging.
NO_BOUNDS = f"no column declares bounds in {SPECS}"
NO_INTEGER_BOUNDS = f"no integer column declares bounds in {SPECS}"
NO_NUMBER = f"the data has no number column ({SPECS} declares none)"
NO_REQUIRED = f"every column may have gaps ({SPECS} declares none required)"
NO_OPTIONAL = f"no column may have gaps ({SPECS} declares none optional)"
NO_BOOLEAN = f"the data has no yes/no column ({SPECS} declares none)"
NO_CATEGORY = f"the model sees no category column ({SPECS} declares none)"
NO_PROTECTED = f"declare the PROTECTED attribute in {SPECS}"
NO_DIRECTIONS = f"declare the DIRECTIONS a column moves the score in {SPECS}"
NO_SLICES = f"declare SLICES in {SPECS}"
UNSEEN_LEVEL = "__level_never_seen__"  # in no vocabulary
NOT_A_COLUMN = "__not_a_column__"


def outside_range(spec: contract.FieldSpec) -> int | float:
    """A value above the spec's range by its whole width (at least 1), of the column's type."""
    low, high = spec.bounds  # type: ignore[misc]
    value = high + max(high - low, 1)
    return int(value) if spec.kind == "integer" else float(value)


def with_values(frame: pd.DataFrame, row: int, values: dict[str, Any]) -> pd.DataFrame:
    """`frame` with the cells of one row (by position) set, columns widened to hold any value."""
    frame = frame.astype(dict.fromkeys(values, object)).copy()
    for column, value in values.items():
        frame.iloc[row, frame.columns.get_loc(column)] = value
    return frame


def accepts(spec: contract.FieldSpec, value: Any) -> bool:
    """Whether the column's own checks accept `value` (type, range, vocabulary, nullability)."""
    if value is None:
        return spec.nullable
    if spec.vocabulary is not None:
        return value in spec.vocabulary
    if spec.kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return spec.bounds is None or spec.bounds[0] <= value <= spec.bounds[1]


def rows_keeping_the_rules(frame: pd.DataFrame, column: str, value: Any) -> pd.DataFrame:
    """A few rows of `frame` of which the first, with `column` set to `value`, still meets every
    row rule, so a test about one column fails on that column alone. A value the column itself
    rejects needs no such care: validation does not report a rule over a column that failed."""
    if column not in contract.SPECS or not accepts(contract.SPECS[column], value):
        return frame.head(5).reset_index(drop=True)
    edited = frame.assign(**{column: [value] * len(frame)})
    keeps = pd.Series(True, index=frame.index)
    for rule in contract.ROW_RULES:
        keeps &= rule.holds(edited).astype(bool)
    chosen = frame[keeps].head(5).reset_index(drop=True)
    assert len(chosen), f"no row keeps every row rule with {column}={value!r}"
    return chosen


def bad_cells() -> list[tuple[str, Any, str]]:
    """Two invalid cells in two different columns, as (column, value, the check it fails): an
    unseen level of a category and a number outside its range where the data has both kinds."""
    cells = [(s.name, UNSEEN_LEVEL, "isin") for s in CATEGORICAL[:1]]
    cells += [(s.name, outside_range(s), "in_range") for s in BOUNDED[: 2 - len(cells)]]
    return cells
