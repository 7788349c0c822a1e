"""Pandera schemas built from the data contract (`adclick.data.contract`, declared in `specs`).

- `raw_schema`: a data file as it arrives (labelled for training, or to score);
- `features_schema`: the model's inputs after preprocessing (`model.features.tree_preprocessor`);
- `predictions_schema`: what batch scoring writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandera.pandas as pa

from adclick.data import contract
from adclick.data.contract import (
    DECISION,
    ID_COLUMN,
    ID_LENGTH,
    LABEL,
    MODEL_FEATURES,
    PROBABILITY,
    SPECS,
    FieldSpec,
    RowRule,
)

if TYPE_CHECKING:
    import pandas as pd

    from adclick.config import DataCheckSettings

# pandera coerces to these; a boolean goes through pandas' nullable "boolean" because numpy's
# bool would silently turn a missing value into False and "yes" or 2 into True.
_VALIDATION_DTYPES: dict[str, type | str] = {"category": str, "integer": int, "number": float, "boolean": "boolean"}


def column_checks(spec: FieldSpec) -> list[pa.Check]:
    if spec.vocabulary is not None:
        return [pa.Check.isin(spec.vocabulary)]
    if spec.bounds is not None:
        return [pa.Check.in_range(*spec.bounds)]
    return []


def column(spec: FieldSpec) -> pa.Column:
    """The pandera column of one spec: type, range or vocabulary, nullability."""
    # An integer column with gaps is pandas' nullable Int64 (numpy's int64 has no missing value).
    dtype = "Int64" if spec.kind == "integer" and spec.nullable else _VALIDATION_DTYPES[spec.kind]
    return pa.Column(dtype, column_checks(spec), nullable=spec.nullable, description=spec.description)


def row_check(rule: RowRule) -> pa.Check:
    return pa.Check(rule.holds, name=rule.name, error=rule.name)


@dataclass(frozen=True)
class DatasetRule:
    """A bound on a statistic of the whole data set (row count, positive rate): the example shown
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
    low_rate, high_rate = limits.positive_rate
    return (
        DatasetRule(
            f"row count in [{limits.min_rows}, {limits.max_rows}]",
            "(rows)",
            lambda frame: float(len(frame)),
            limits.min_rows,
            limits.max_rows,
        ),
        DatasetRule(
            f"positive rate in [{low_rate}, {high_rate}]",
            LABEL,
            lambda frame: float(frame[LABEL].mean()),
            low_rate,
            high_rate,
        ),
    )


def _id_column() -> pa.Column:
    return pa.Column(str, pa.Check.str_length(*ID_LENGTH), unique=True, description="unique id of the record")


def raw_schema(
    *, labelled: bool = True, limits: DataCheckSettings | None = None, of: Any = contract
) -> pa.DataFrameSchema:
    """Schema of a data file; `labelled=False` for data to score (no label column).

    `limits` adds the data-set rules (row count, positive rate) for labelled data; without it
    only record-level rules apply, which is what a single request to the API needs. `of` is
    the contract (default: the team's; the demo generator's tests pass `adclick.data.demo`).
    """
    columns = {of.ID_COLUMN: _id_column(), **{spec.name: column(spec) for spec in of.FEATURE_SPECS}}
    time_column = getattr(of, "TIME_COLUMN", None)
    if time_column and labelled:  # orders the split; rows to score need none
        columns[time_column] = pa.Column(str, description="when the record happened (ISO 8601): the split's order")
    checks = [row_check(rule) for rule in of.ROW_RULES]
    if labelled:
        columns[of.LABEL] = pa.Column(int, pa.Check.isin((0, 1)), description=f"1 where the label was {of.POSITIVE!r}")
        if limits is not None:
            checks += [rule.check() for rule in dataset_rules(limits)]
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        coerce=True,  # CSV files arrive untyped: coerce, and report what cannot be coerced
        strict="filter",  # extra columns are dropped, never fed to the model
        name="labelled data" if labelled else "data to score",
    )


def features_schema(inputs: tuple[str, ...] = MODEL_FEATURES) -> pa.DataFrameSchema:
    """The model's inputs after `model.features.tree_preprocessor`: categories become float codes
    (0 .. levels - 1, missing when unseen), numeric columns pass through with their raw rules."""
    columns: dict[str, pa.Column] = {}
    for spec in (SPECS[name] for name in inputs):
        if spec.vocabulary is None:
            columns[spec.name] = column(spec)
        else:
            codes = pa.Check.in_range(0, len(spec.vocabulary) - 1)
            columns[spec.name] = pa.Column(float, codes, nullable=True, description=f"code of {spec.name}")
    return pa.DataFrameSchema(columns, coerce=True, strict=True, ordered=True, name="model inputs")


def predictions_schema(threshold: float) -> pa.DataFrameSchema:
    """Batch scores: one row per input row, a probability, and the decision at `threshold`."""
    decision = pa.Check(
        lambda frame: frame[DECISION] == (frame[PROBABILITY] >= threshold).astype(int),
        name=f"{DECISION} is {PROBABILITY} >= {threshold}",
    )
    return pa.DataFrameSchema(
        {
            ID_COLUMN: _id_column(),
            PROBABILITY: pa.Column(float, pa.Check.in_range(0.0, 1.0)),
            DECISION: pa.Column(int, pa.Check.isin((0, 1))),
            "model_name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "model_version": pa.Column(str, pa.Check.str_length(min_value=1)),
        },
        checks=[decision],
        strict=True,
        ordered=True,
        name="predictions",
    )


PREDICTION_COLUMNS = tuple(predictions_schema(0.5).columns)
