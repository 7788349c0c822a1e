"""The data contract, defined once: every column's role, type, range and vocabulary, and the rules
that tie columns together.

Three pandera schemas are built from the one table of `FieldSpec`s below:
- `raw_schema`: an impressions file as it arrives (labelled for training, or to score);
- `features_schema`: the model's inputs after preprocessing (`features.tree_preprocessor`);
- `predictions_schema`: what batch scoring writes.

The generator, the pipeline's validate step, the features, the tests and the API's request
model all read columns from here. A team adapting the template to its own data edits this
module and params.yaml (`data_checks`), not the tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import pandera.pandas as pa

from adclick.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd
    from hypothesis.strategies import SearchStrategy

    from adclick.config import DataCheckSettings

# ---------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------

Kind = Literal["category", "integer", "number", "boolean"]
_DTYPES: dict[str, type] = {"category": str, "integer": int, "number": float, "boolean": bool}
# pandera coerces to these; a boolean goes through pandas' nullable "boolean" because numpy's
# bool would silently turn a missing value into False and "yes" or 2 into True.
_VALIDATION_DTYPES: dict[str, type | str] = {**_DTYPES, "boolean": "boolean"}


@dataclass(frozen=True)
class FieldSpec:
    """One input column: the single definition pandera, the features and the API derive from."""

    name: str
    kind: Kind
    description: str
    bounds: tuple[float, float] | None = None  # inclusive
    vocabulary: tuple[str, ...] | None = None
    nullable: bool = False

    @property
    def dtype(self) -> type:
        """The Python type of a value (what the API's request model uses)."""
        return _DTYPES[self.kind]

    def checks(self) -> list[pa.Check]:
        if self.vocabulary is not None:
            return [pa.Check.isin(self.vocabulary)]
        if self.bounds is not None:
            return [pa.Check.in_range(*self.bounds)]
        return []

    def column(self) -> pa.Column:
        dtype = _VALIDATION_DTYPES[self.kind]
        return pa.Column(dtype, self.checks(), nullable=self.nullable, description=self.description)


GENDERS = ("female", "male", "nonbinary")
COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR")
DEVICES = ("mobile", "desktop", "tablet")
AD_CATEGORIES = ("electronics", "fashion", "home", "beauty", "sports", "books")

AGE_RANGE = (18, 90)
PAST_PURCHASES_RANGE = (0, 500)
DAYS_SINCE_LAST_VISIT_RANGE = (0.0, 3650.0)
PRICE_RANGE = (0.5, 2000.0)  # in currency units, not cents
DISCOUNT_PCT_RANGE = (0.0, 80.0)
POSITION_RANGE = (1, 10)  # slot on the page, 1 = top
HOUR_RANGE = (0, 23)
WEEKDAY_RANGE = (0, 6)  # 0 = Monday

# Categorical features first, then numeric ones: the generator's random streams and the
# model's input order follow this order, so append new columns at the end of their group.
FEATURE_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("gender", "category", "protected attribute: must not change the prediction", vocabulary=GENDERS),
    FieldSpec("country", "category", "user's country (ISO 3166 alpha-2)", vocabulary=COUNTRIES),
    FieldSpec("device", "category", "device the ad was shown on", vocabulary=DEVICES),
    FieldSpec("ad_category", "category", "product category of the ad", vocabulary=AD_CATEGORIES),
    FieldSpec("age", "integer", "user's age in years", bounds=AGE_RANGE),
    FieldSpec("is_returning", "boolean", "the user has visited before"),
    FieldSpec("past_purchases", "integer", "purchases by the user so far", bounds=PAST_PURCHASES_RANGE),
    FieldSpec(
        "days_since_last_visit",
        "number",
        "days since the user's last visit; empty for new users",
        bounds=DAYS_SINCE_LAST_VISIT_RANGE,
        nullable=True,
    ),
    FieldSpec("price", "number", "list price in currency units (not cents)", bounds=PRICE_RANGE),
    FieldSpec("discount_pct", "number", "discount shown on the ad, in percent", bounds=DISCOUNT_PCT_RANGE),
    FieldSpec("position", "integer", "slot on the page, 1 = top", bounds=POSITION_RANGE),
    FieldSpec("hour", "integer", "hour of the impression, local time", bounds=HOUR_RANGE),
    FieldSpec("weekday", "integer", "day of the week, 0 = Monday", bounds=WEEKDAY_RANGE),
)
SPECS: dict[str, FieldSpec] = {spec.name: spec for spec in FEATURE_SPECS}

ID_COLUMN = "impression_id"
ID_LENGTH = (1, 64)
LABEL = "clicked"
PROTECTED = ("gender",)  # must have no effect on the prediction; kept as an input so tests can prove it
FEATURES = tuple(SPECS)
CATEGORICAL_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.kind == "category")
NUMERIC_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.kind != "category")
OPTIONAL_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.nullable)
VOCABULARIES: dict[str, tuple[str, ...]] = {s.name: s.vocabulary for s in FEATURE_SPECS if s.vocabulary}
# What the model sees: every feature but the protected attribute (fairness through unawareness).
# The attribute stays in the data so tests can prove that changing it changes no prediction.
MODEL_FEATURES = tuple(name for name in FEATURES if name not in PROTECTED)
assert FEATURES == CATEGORICAL_FEATURES + NUMERIC_FEATURES, "categorical features come first"

# ---------------------------------------------------------------------------------------
# Rules across columns (record level) and over the whole data set (from params.yaml)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowRule:
    """A rule each row must satisfy that involves more than one column."""

    name: str
    columns: tuple[str, ...]
    holds: Callable[[pd.DataFrame], pd.Series]

    def check(self) -> pa.Check:
        return pa.Check(self.holds, name=self.name, error=self.name)


ROW_RULES: tuple[RowRule, ...] = (
    RowRule(
        "new users have no past purchases",
        ("is_returning", "past_purchases"),
        lambda frame: frame["is_returning"] | (frame["past_purchases"] == 0),
    ),
    RowRule(
        "new users have no last visit",
        ("is_returning", "days_since_last_visit"),
        lambda frame: frame["is_returning"] | frame["days_since_last_visit"].isna(),
    ),
)


@dataclass(frozen=True)
class DatasetRule:
    """A bound on a statistic of the whole data set (row count, click rate): the example shown
    in a failure is the statistic's observed value."""

    name: str
    column: str
    statistic: Callable[[pd.DataFrame], float]
    low: float
    high: float

    def holds(self, frame: pd.DataFrame) -> bool:
        try:
            observed = self.statistic(frame)
        except (KeyError, TypeError, ValueError):
            return True  # the column is missing or mistyped: its own check reports that
        return bool(self.low <= observed <= self.high)

    def check(self) -> pa.Check:
        return pa.Check(self.holds, name=self.name, error=self.name)


def dataset_rules(limits: DataCheckSettings) -> tuple[DatasetRule, ...]:
    """The data-set rules for labelled data, with their bounds from params.yaml."""
    low_rate, high_rate = limits.click_rate
    return (
        DatasetRule(
            f"row count in [{limits.min_rows}, {limits.max_rows}]",
            "(rows)",
            lambda frame: float(len(frame)),
            limits.min_rows,
            limits.max_rows,
        ),
        DatasetRule(
            f"click rate in [{low_rate}, {high_rate}]",
            LABEL,
            lambda frame: float(frame[LABEL].mean()),
            low_rate,
            high_rate,
        ),
    )


# ---------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------


def _id_column() -> pa.Column:
    return pa.Column(str, pa.Check.str_length(*ID_LENGTH), unique=True, description="unique id of the impression")


def raw_schema(*, labelled: bool = True, limits: DataCheckSettings | None = None) -> pa.DataFrameSchema:
    """Schema of an impressions file; `labelled=False` for data to score (no `clicked`).

    `limits` adds the data-set rules (row count, click rate) for labelled data; without it
    only record-level rules apply, which is what a single request to the API needs.
    """
    columns = {ID_COLUMN: _id_column(), **{spec.name: spec.column() for spec in FEATURE_SPECS}}
    checks = [rule.check() for rule in ROW_RULES]
    if labelled:
        columns[LABEL] = pa.Column(int, pa.Check.isin((0, 1)), description="1 if the ad was clicked")
        if limits is not None:
            checks += [rule.check() for rule in dataset_rules(limits)]
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        coerce=True,  # CSV files arrive untyped: coerce, and report what cannot be coerced
        strict="filter",  # extra columns are dropped, never fed to the model
        name="impressions" if labelled else "impressions to score",
    )


def features_schema(inputs: tuple[str, ...] = MODEL_FEATURES) -> pa.DataFrameSchema:
    """The model's inputs after `features.tree_preprocessor`: categories become float codes
    (0 .. levels - 1, missing when unseen), numeric columns pass through with their raw rules."""
    columns: dict[str, pa.Column] = {}
    for spec in (SPECS[name] for name in inputs):
        if spec.vocabulary is None:
            columns[spec.name] = spec.column()
        else:
            codes = pa.Check.in_range(0, len(spec.vocabulary) - 1)
            columns[spec.name] = pa.Column(float, codes, nullable=True, description=f"code of {spec.name}")
    return pa.DataFrameSchema(columns, coerce=True, strict=True, ordered=True, name="model inputs")


def predictions_schema(threshold: float) -> pa.DataFrameSchema:
    """Batch scores: one row per input row, a probability, and the decision at `threshold`."""
    decision = pa.Check(
        lambda frame: frame["predicted_click"] == (frame["click_probability"] >= threshold).astype(int),
        name=f"predicted_click is click_probability >= {threshold}",
    )
    return pa.DataFrameSchema(
        {
            ID_COLUMN: _id_column(),
            "click_probability": pa.Column(float, pa.Check.in_range(0.0, 1.0)),
            "predicted_click": pa.Column(int, pa.Check.isin((0, 1))),
            "model_name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "model_version": pa.Column(str, pa.Check.str_length(min_value=1)),
        },
        checks=[decision],
        strict=True,
        ordered=True,
        name="predictions",
    )


PREDICTION_COLUMNS = tuple(predictions_schema(0.5).columns)

# ---------------------------------------------------------------------------------------
# Strategies for property-based tests
# ---------------------------------------------------------------------------------------


def make_rows_consistent(frame: pd.DataFrame) -> pd.DataFrame:
    """Apply the row rules to arbitrary column values (new users: no purchases, no last visit).

    pandera can draw each column from its checks, but drawing rows that happen to satisfy
    rules across columns by rejection is far too slow; this repairs them instead.
    """
    frame = frame.copy()
    new_users = ~frame["is_returning"].astype(bool)
    frame.loc[new_users, "past_purchases"] = 0
    frame.loc[new_users, "days_since_last_visit"] = float("nan")
    return frame


def _blank_optional(frame: pd.DataFrame, blank: list[bool]) -> pd.DataFrame:
    frame = frame.copy()
    for name in OPTIONAL_FEATURES:
        frame.loc[blank, name] = None
    return frame


@functools.cache
def raw_strategy(*, size: int, labelled: bool = True) -> SearchStrategy[pd.DataFrame]:
    """Hypothesis strategy of `size`-row frames the raw schema accepts (every record-level rule).

    Each column is drawn by pandera from the schema's own checks. For speed (measured: 35 ms
    an example instead of 250 ms with `DataFrameSchema.strategy`), nullable columns are drawn
    without nulls and blanked by a mask hypothesis draws, then the row rules are applied.
    """
    import pandas as pd
    from hypothesis import strategies as st

    columns = {
        name: (replace(SPECS[name], nullable=False).column() if name in SPECS else column).set_name(name)
        for name, column in raw_schema(labelled=labelled).columns.items()
    }
    drawn_columns = st.tuples(*(column.strategy(size=size) for column in columns.values()))
    blanks = st.lists(st.booleans(), min_size=size, max_size=size)

    def assemble(drawn: tuple[tuple[pd.DataFrame, ...], list[bool]]) -> pd.DataFrame:
        parts, blank = drawn
        return make_rows_consistent(_blank_optional(pd.concat(parts, axis=1), blank))

    return st.tuples(drawn_columns, blanks).map(assemble)


# ---------------------------------------------------------------------------------------
# Validation with failures a person can act on
# ---------------------------------------------------------------------------------------


def _rule_failures(
    cases: pd.DataFrame, frame: pd.DataFrame, dataset: tuple[DatasetRule, ...], broken_columns: set[str]
) -> list[dict[str, object]]:
    """A row rule is reported under its columns with the offending rows' values; a data-set
    rule with the observed value of its statistic. A row rule over a column that already
    failed its own checks is not reported: it fails because of that column."""
    failures: list[dict[str, object]] = []
    for rule in ROW_RULES:
        if broken_columns & set(rule.columns):
            continue
        index = cases.loc[cases["check"] == rule.name, "index"].dropna().drop_duplicates()
        if not index.empty:
            examples = [", ".join(f"{c}={frame.at[i, c]}" for c in rule.columns) for i in index.head(5)]
            failures.append(
                {"column": ", ".join(rule.columns), "check": rule.name, "failures": len(index), "examples": examples}
            )
    for rule in dataset:
        if (cases["check"] == rule.name).any():
            observed = rule.statistic(frame)
            failures.append({"column": rule.column, "check": rule.name, "failures": 1, "examples": [f"{observed:.6g}"]})
    return failures


def _column_failures(cases: pd.DataFrame) -> list[dict[str, object]]:
    """One row per (column, check): how many values failed and a few of them.

    A missing column is reported under its own name; a column that could not be coerced to
    its type reports only that, not the range checks that fail because of it.
    """
    missing = cases["check"] == "column_in_dataframe"
    cases["column"] = cases["column"].where(~missing, cases["failure_case"]).fillna("(frame)").astype(str)
    cases.loc[missing, "check"] = "column is missing"
    uncoercible = set(cases.loc[cases["check"].str.startswith("coerce_dtype"), "column"])
    follow_up = cases["column"].isin(uncoercible) & ~cases["check"].str.startswith("coerce_dtype")
    failures: list[dict[str, object]] = []
    for (column, check), group in cases[~follow_up].groupby(["column", "check"], sort=False):
        values = group["failure_case"].drop_duplicates().head(5).tolist()
        failures.append(
            {"column": column, "check": check, "failures": len(group), "examples": [str(v) for v in values]}
        )
    return failures


def _describe_failure(failure: dict[str, object]) -> str:
    if failure["check"] == "column is missing":
        return f"column {failure['column']!r} is missing"
    examples = "; ".join(failure["examples"][:3])  # type: ignore[index]
    return f"column {failure['column']!r} failed {failure['check']} ({failure['failures']} values, e.g. {examples})"


def validate(
    frame: pd.DataFrame, *, labelled: bool = True, limits: DataCheckSettings | None = None, source: str = "data"
) -> pd.DataFrame:
    """Return `frame` typed and filtered by the raw schema, or raise with every failure listed.

    Validation is lazy: one run reports every broken column and rule, not just the first.
    """
    if frame.empty:
        raise DataValidationError(f"{source}: no rows to validate")
    try:
        validated = raw_schema(labelled=labelled, limits=limits).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.copy()
        cases["check"] = cases["check"].astype(str)
        dataset = dataset_rules(limits) if labelled and limits is not None else ()
        rule_names = {rule.name for rule in ROW_RULES} | {rule.name for rule in dataset}
        by_rule = cases["check"].isin(rule_names)
        column_failures = _column_failures(cases[~by_rule].copy())
        broken = {str(f["column"]) for f in column_failures}
        failures = column_failures + _rule_failures(cases[by_rule], frame, dataset, broken)
        summary = "; ".join(_describe_failure(f) for f in failures)
        raise DataValidationError(f"{source}: {summary}", failures) from None
    return validated.astype({name: bool for name, spec in SPECS.items() if spec.kind == "boolean"})
