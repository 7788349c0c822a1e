"""Behavioural checks (CheckList's test types), written against what the schema module declares.

- minimum functionality: the declared pairs of records whose ranking is obvious;
- invariance: what must not move the prediction (the protected attributes, row order);
- directional: what must move it one way only (the declared DIRECTIONS).

Each function measures; the thresholds that turn a measure into pass or fail live in
params.yaml (`model_checks`) and are applied in `model.checks.model_checks`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from adclick.data import contract
from adclick.data.declarations import Pair
from adclick.data.shifts import step
from adclick.data.strategies import make_rows_consistent
from adclick.data.validation import validate
from adclick.model.predict import probabilities


def typical_record(frame: pd.DataFrame) -> dict[str, Any]:
    """The data's typical record: the median of each number, the most frequent value otherwise.

    Minimum-functionality pairs override a few columns of it, so a team declares only what
    differs; the rules across columns are repaired after, as the data would have it."""
    record: dict[str, Any] = {}
    for spec in contract.FEATURE_SPECS:
        values = frame[spec.name].dropna()
        if spec.kind in ("integer", "number") and len(values):
            median = float(values.astype(float).median())
            record[spec.name] = round(median) if spec.kind == "integer" else median
        else:
            record[spec.name] = values.mode().iloc[0] if len(values) else None
    typical = make_rows_consistent(pd.DataFrame([record]))
    return {k: (None if pd.isna(v) else getattr(v, "item", lambda v=v: v)()) for k, v in typical.iloc[0].items()}


def records(base: dict[str, Any], *overrides: dict[str, Any]) -> pd.DataFrame:
    """One valid record per mapping of overrides on `base`."""
    rows = [{**base, **o, contract.ID_COLUMN: f"mft-{i}"} for i, o in enumerate(overrides)]
    return validate(pd.DataFrame(rows), labelled=False, source="minimum-functionality cases (specs.py)")


def minimum_functionality(
    model: Any, frame: pd.DataFrame, pairs: tuple[Pair, ...] = contract.MINIMUM_FUNCTIONALITY
) -> list[dict[str, Any]]:
    """P(positive) of each pair's better and worse record, and whether they rank as declared."""
    if not pairs:
        return []
    sides = (dict(side) for pair in pairs for side in (pair.better, pair.worse))
    proba = probabilities(model, records(typical_record(frame), *sides))
    return [
        {"case": pair.name, "better": float(better), "worse": float(worse), "passed": bool(better > worse)}
        for pair, better, worse in zip(pairs, proba[0::2], proba[1::2], strict=True)
    ]


def protected_shift(model: Any, frame: pd.DataFrame) -> float:
    """Largest change of P(positive) over rows when the protected attributes take each other value."""
    baseline = probabilities(model, frame)
    shift = 0.0
    for column in contract.PROTECTED:
        for value in contract.VOCABULARIES[column]:
            moved = probabilities(model, frame.assign(**{column: value}))
            shift = max(shift, float(np.max(np.abs(moved - baseline))))
    return shift


def row_order_shift(model: Any, frame: pd.DataFrame, seed: int) -> float:
    """Largest difference between predicting shuffled rows and shuffling the predictions."""
    order = np.random.default_rng(seed).permutation(len(frame))
    shuffled = probabilities(model, frame.iloc[order])
    return float(np.max(np.abs(shuffled - probabilities(model, frame)[order])))


def direction_step(frame: pd.DataFrame, column: str, iqrs: float) -> float:
    """How far a direction check moves `column`: `iqrs` interquartile ranges of the data, so the
    step means the same on any scale (at least one unit of an integer column)."""
    return step(frame[column], iqrs)


def _holds_every_rule(frame: pd.DataFrame) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    for rule in contract.ROW_RULES:
        keep &= rule.holds(frame).fillna(False).to_numpy(bool)
    return keep


def direction(model: Any, frame: pd.DataFrame, column: str, sign: int, iqrs: float) -> dict[str, float]:
    """Move `column` by `direction_step` the way that should raise P(positive) (clipped to the
    column's bounds; rows the move would make invalid are left out) and measure the share of
    rows whose probability falls instead, and the mean effect."""
    low, high = contract.SPECS[column].bounds  # type: ignore[misc]
    step = direction_step(frame, column, iqrs)
    stepped = (frame[column].astype(float) + step * sign).clip(low, high)
    if contract.SPECS[column].kind == "integer":
        stepped = stepped.round().astype("int64")
    moved_frame = frame.assign(**{column: stepped})
    changed = (stepped != frame[column]).to_numpy(bool) & _holds_every_rule(moved_frame)
    baseline = probabilities(model, frame[changed])
    effect = probabilities(model, moved_frame[changed]) - baseline
    return {
        "step": float(step * sign),
        "rows": int(changed.sum()),
        "violation_rate": float(np.mean(effect < -1e-12)) if changed.any() else 0.0,
        "mean_effect": float(np.mean(effect)) if changed.any() else 0.0,
    }


def behaviour_report(model: Any, frame: pd.DataFrame, direction_step_iqr: float, seed: int) -> dict:
    """Every behavioural measure of `model` on `frame`, for the evaluation report."""
    return {
        "minimum_functionality": minimum_functionality(model, frame),
        "protected": list(contract.PROTECTED),
        "protected_shift": protected_shift(model, frame),
        "row_order_shift": row_order_shift(model, frame, seed),
        "directions": {
            column: direction(model, frame, column, sign, direction_step_iqr)
            for column, sign in contract.DIRECTIONS.items()
        },
    }
