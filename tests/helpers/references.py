"""The bare work a benchmark times ours against: the same rules as pandas masks, the same
drift statistics as scipy calls on inputs made ready before timing. A reference that does
less (or other) work than ours makes the ratio mean nothing, so each mirrors ours exactly."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import spatial, stats

from adclick.config import DataCheckSettings, DriftSettings
from adclick.data import contract, schema
from adclick.data.drift import compared_as


def hand_written_check(frame: pd.DataFrame, limits: DataCheckSettings | None = None) -> dict[str, int]:
    """The raw schema's rules as plain pandas: the same coercion, checks, row and data-set rules
    (data-set rules only with `limits`, as `validate` applies them)."""
    dtypes = {spec.name: _cast_type(spec.dtype, frame[spec.name]) for spec in contract.FEATURE_SPECS}
    typed = frame.astype({**dtypes, contract.ID_COLUMN: str, contract.LABEL: "int64"})
    failures: dict[str, int] = {}
    for spec in contract.FEATURE_SPECS:
        column = typed[spec.name]
        bad = pd.Series(False, index=typed.index) if spec.nullable else column.isna()
        if spec.vocabulary is not None:
            bad |= ~column.isin(spec.vocabulary)
        elif spec.bounds is not None:
            bad |= column.notna() & ~column.between(*spec.bounds)
        failures[spec.name] = int(bad.sum())
    ids = typed[contract.ID_COLUMN]
    lengths = ids.str.len()
    failures[contract.ID_COLUMN] = int(ids.duplicated(keep=False).sum() + (~lengths.between(*contract.ID_LENGTH)).sum())
    failures[contract.LABEL] = int((~typed[contract.LABEL].isin((0, 1))).sum())
    for rule in contract.ROW_RULES:
        failures[rule.name] = int((~rule.holds(typed)).sum())
    for dataset_rule in schema.dataset_rules(limits) if limits is not None else ():
        failures[dataset_rule.name] = int(not dataset_rule.holds(typed))
    return failures


def _cast_type(kind: type, column: pd.Series) -> Any:
    """The column's type; its nullable form when a gap is there (a gap is a failure, not a crash)."""
    if kind in (int, bool) and column.isna().any():
        return "Int64" if kind is int else "boolean"
    return kind


Ready = tuple[str, Any, Any]  # (statistic, reference side, current side)


def statistic_inputs(reference: pd.DataFrame, current: pd.DataFrame, settings: DriftSettings) -> list[Ready]:
    """Per feature, the statistic `data_drift` chooses for it and what scipy takes to compute
    it, made before timing: both samples as arrays without gaps (numbers), the contingency
    table (a test on categories) or both samples' shares over the same levels (a distance)."""
    small = len(reference) <= settings.small_reference_rows
    inputs: list[Ready] = []
    for column in contract.MODEL_FEATURES:
        before, after = reference[column].dropna(), current[column].dropna()
        if compared_as(before, settings, contract.SPECS[column].kind) == "number":
            inputs.append(("ks" if small else "wasserstein", before.to_numpy(float), after.to_numpy(float)))
            continue
        counts = pd.DataFrame({"b": before.value_counts(), "a": after.value_counts()}).fillna(0)
        if small:
            inputs.append(("chi_square", counts.to_numpy().T, None))
        else:
            shares = counts / counts.sum()
            inputs.append(("jensen_shannon", shares["b"].to_numpy(), shares["a"].to_numpy()))
    return inputs


def bare_statistics(inputs: list[Ready]) -> list[float]:
    """scipy's statistics on ready inputs: no frames, no counting, no verdicts."""
    values = []
    for statistic, before, after in inputs:
        if statistic == "ks":
            values.append(float(stats.ks_2samp(before, after).pvalue))
        elif statistic == "wasserstein":
            values.append(stats.wasserstein_distance(before, after) / np.std(before))
        elif statistic == "chi_square":
            table = before
            values.append(float(stats.chi2_contingency(table, correction=False).pvalue) if table.shape[1] > 1 else 1.0)
        else:
            values.append(float(spatial.distance.jensenshannon(before, after)))
    return values
