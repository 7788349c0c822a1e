"""The data contract: every column, its role, type, range and vocabulary, defined once.

The generator, the pipeline's validate step, the features, the tests and (later) the API's
request model all read columns from here. A team adapting the template to its own data
edits this module and params.yaml, not the tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandera.pandas as pa

from adclick.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

# Vocabularies of the categorical columns.
GENDERS = ("female", "male", "nonbinary")
COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR")
DEVICES = ("mobile", "desktop", "tablet")
AD_CATEGORIES = ("electronics", "fashion", "home", "beauty", "sports", "books")
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "gender": GENDERS,
    "country": COUNTRIES,
    "device": DEVICES,
    "ad_category": AD_CATEGORIES,
}

# Column roles.
ID_COLUMN = "impression_id"
LABEL = "clicked"
PROTECTED = ("gender",)  # must have no effect on the prediction; kept as an input so tests can prove it
CATEGORICAL_FEATURES = tuple(VOCABULARIES)
NUMERIC_FEATURES = (
    "age",
    "is_returning",
    "past_purchases",
    "days_since_last_visit",
    "price",
    "discount_pct",
    "position",
    "hour",
    "weekday",
)
FEATURES = CATEGORICAL_FEATURES + NUMERIC_FEATURES
OPTIONAL_FEATURES = ("days_since_last_visit",)  # may be null: new users have no last visit

# Ranges of the numeric columns (inclusive): the generator draws inside them.
AGE_RANGE = (18, 90)
PAST_PURCHASES_RANGE = (0, 500)
DAYS_SINCE_LAST_VISIT_RANGE = (0.0, 3650.0)
PRICE_RANGE = (0.5, 2000.0)  # in currency units, not cents
DISCOUNT_PCT_RANGE = (0.0, 80.0)
POSITION_RANGE = (1, 10)  # slot on the page, 1 = top
HOUR_RANGE = (0, 23)
WEEKDAY_RANGE = (0, 6)  # 0 = Monday


def _in_range(bounds: tuple[float, float]) -> pa.Check:
    return pa.Check.in_range(*bounds)


_FEATURE_COLUMNS: dict[str, pa.Column] = {
    **{name: pa.Column(str, pa.Check.isin(vocabulary)) for name, vocabulary in VOCABULARIES.items()},
    "age": pa.Column(int, _in_range(AGE_RANGE)),
    "is_returning": pa.Column(bool),
    "past_purchases": pa.Column(int, _in_range(PAST_PURCHASES_RANGE)),
    "days_since_last_visit": pa.Column(float, _in_range(DAYS_SINCE_LAST_VISIT_RANGE), nullable=True),
    "price": pa.Column(float, _in_range(PRICE_RANGE)),
    "discount_pct": pa.Column(float, _in_range(DISCOUNT_PCT_RANGE)),
    "position": pa.Column(int, _in_range(POSITION_RANGE)),
    "hour": pa.Column(int, _in_range(HOUR_RANGE)),
    "weekday": pa.Column(int, _in_range(WEEKDAY_RANGE)),
}
assert tuple(_FEATURE_COLUMNS) == CATEGORICAL_FEATURES + NUMERIC_FEATURES


def raw_schema(*, labelled: bool = True) -> pa.DataFrameSchema:
    """Schema of an impressions file; `labelled=False` for data to score (no `clicked`)."""
    columns = {ID_COLUMN: pa.Column(str, unique=True), **_FEATURE_COLUMNS}
    if labelled:
        columns[LABEL] = pa.Column(int, pa.Check.isin((0, 1)))
    return pa.DataFrameSchema(
        columns,
        coerce=True,  # CSV files arrive untyped: coerce, and report what cannot be coerced
        strict="filter",  # extra columns are dropped, never fed to the model
        name="impressions" if labelled else "impressions to score",
    )


def _failure_rows(exc: pa.errors.SchemaErrors) -> list[dict[str, object]]:
    """One row per (column, check): how many values failed and a few of them.

    A missing column is reported under its own name, and a column that could not be
    coerced to its type reports only that, not the range checks that fail because of it.
    """
    cases = exc.failure_cases.copy()
    cases["check"] = cases["check"].astype(str)
    missing = cases["check"] == "column_in_dataframe"
    cases["column"] = cases["column"].where(~missing, cases["failure_case"]).fillna("(frame)").astype(str)
    cases.loc[missing, "check"] = "column is missing"
    uncoercible = set(cases.loc[cases["check"].str.startswith("coerce_dtype"), "column"])
    follow_up = cases["column"].isin(uncoercible) & ~cases["check"].str.startswith("coerce_dtype")
    rows: list[dict[str, object]] = []
    for (column, check), group in cases[~follow_up].groupby(["column", "check"], sort=False):
        values = group["failure_case"].drop_duplicates().head(5).tolist()
        rows.append({"column": column, "check": check, "failures": len(group), "examples": [str(v) for v in values]})
    return rows


def _describe_failure(failure: dict[str, object]) -> str:
    if failure["check"] == "column is missing":
        return f"column {failure['column']!r} is missing"
    examples = ", ".join(failure["examples"][:3])  # type: ignore[index]
    return f"column {failure['column']!r} failed {failure['check']} ({failure['failures']} values, e.g. {examples})"


def validate(frame: pd.DataFrame, *, labelled: bool = True, source: str = "data") -> pd.DataFrame:
    """Return `frame` typed and filtered by the raw schema, or raise with every failure listed."""
    if frame.empty:
        raise DataValidationError(f"{source}: no rows to validate")
    try:
        return raw_schema(labelled=labelled).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = _failure_rows(exc)
        summary = "; ".join(_describe_failure(f) for f in failures)
        raise DataValidationError(f"{source}: {summary}", failures) from None
