"""Validation with failures a person can act on: every broken column and rule, named, counted,
with examples of the values that broke it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import pandera.pandas as pa

from adclick.data import contract
from adclick.data.schema import DatasetRule, dataset_rules, raw_schema
from adclick.errors import DataValidationError

if TYPE_CHECKING:
    from adclick.config import DataCheckSettings


def _rule_failures(
    cases: pd.DataFrame,
    frame: pd.DataFrame,
    rules: tuple[Any, ...],
    dataset: tuple[DatasetRule, ...],
    broken_columns: set[str],
) -> list[dict[str, object]]:
    """A row rule is reported under its columns with the offending rows' values; a data-set
    rule with the observed value of its statistic. A row rule over a column that already
    failed its own checks is not reported: it fails because of that column."""
    failures: list[dict[str, object]] = []
    for rule in rules:
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
    frame: pd.DataFrame,
    *,
    labelled: bool = True,
    limits: DataCheckSettings | None = None,
    source: str = "data",
    of: Any = contract,
) -> pd.DataFrame:
    """Return `frame` typed and filtered by the raw schema, or raise with every failure listed.

    Validation is lazy: one run reports every broken column and rule, not just the first.
    `of` is the contract (default: the team's; the demo generator's tests pass its own).
    """
    if frame.empty:
        raise DataValidationError(f"{source}: no rows to validate")
    try:
        validated = raw_schema(labelled=labelled, limits=limits, of=of).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.copy()
        cases["check"] = cases["check"].astype(str)
        dataset = dataset_rules(limits) if labelled and limits is not None else ()
        rule_names = {rule.name for rule in of.ROW_RULES} | {rule.name for rule in dataset}
        by_rule = cases["check"].isin(rule_names)
        column_failures = _column_failures(cases[~by_rule].copy())
        broken = {str(f["column"]) for f in column_failures}
        failures = column_failures + _rule_failures(cases[by_rule], frame, of.ROW_RULES, dataset, broken)
        summary = "; ".join(_describe_failure(f) for f in failures)
        raise DataValidationError(f"{source}: {summary}", failures) from None
    # What the model receives: booleans as numpy bools, integers with gaps as floats with NaN.
    typed = {spec.name: bool for spec in of.FEATURE_SPECS if spec.kind == "boolean"}
    typed |= {spec.name: float for spec in of.FEATURE_SPECS if spec.kind == "integer" and spec.nullable}
    return validated.astype(typed)
