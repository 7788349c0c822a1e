"""Behavioural checks (CheckList's test types), written against the generator's known truth.

- minimum functionality: hand-picked pairs of impressions whose ranking is obvious;
- invariance: what must not move the prediction (the protected attribute, row order);
- directional: what must move it one way only (more discount: never fewer clicks).

Each function measures; the thresholds that turn a measure into pass or fail live in
params.yaml (`model_checks`) and are applied in `evaluate.model_checks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.data import specs
from adclick.data.validation import validate
from adclick.model.predict import probabilities

if TYPE_CHECKING:
    from adclick.config import DirectionSettings


@dataclass(frozen=True)
class Pair:
    """Two impressions that differ where the truth says clicks differ: `better` must rank higher."""

    name: str
    better: dict[str, Any]
    worse: dict[str, Any]


_BASE_IMPRESSION: dict[str, Any] = {
    specs.ID_COLUMN: "mft",
    "gender": "female",
    "country": "US",
    "device": "mobile",
    "ad_category": "fashion",
    "age": 30,
    "is_returning": True,
    "past_purchases": 3,
    "days_since_last_visit": 5.0,
    "price": 50.0,
    "discount_pct": 10.0,
    "position": 3,
    "hour": 14,
    "weekday": 2,
}

_NEW_USER: dict[str, Any] = {"is_returning": False, "past_purchases": 0, "days_since_last_visit": None}
_LOYAL_USER: dict[str, Any] = {"is_returning": True, "past_purchases": 20, "days_since_last_visit": 2.0}

MINIMUM_FUNCTIONALITY: tuple[Pair, ...] = (
    Pair(
        "loyal user, big discount, top slot vs new user, no discount, bottom slot",
        {**_LOYAL_USER, "discount_pct": 60.0, "position": 1},
        {**_NEW_USER, "discount_pct": 0.0, "position": 10},
    ),
    Pair("top slot vs bottom slot", {"position": 1}, {"position": 10}),
    Pair("60% discount vs none", {"discount_pct": 60.0}, {"discount_pct": 0.0}),
    Pair("cheap vs expensive", {"price": 10.0}, {"price": 1500.0}),
    Pair("evening vs early morning", {"hour": 20}, {"hour": 4}),
    Pair("returning vs new user", {"is_returning": True}, _NEW_USER),
)


def impressions(*overrides: dict[str, Any]) -> pd.DataFrame:
    """One valid impression per mapping of overrides on a typical base impression."""
    rows = [{**_BASE_IMPRESSION, **o, specs.ID_COLUMN: f"mft-{i}"} for i, o in enumerate(overrides)]
    return validate(pd.DataFrame(rows), labelled=False, source="behaviour cases")


def minimum_functionality(model: Any, pairs: tuple[Pair, ...] = MINIMUM_FUNCTIONALITY) -> list[dict[str, Any]]:
    """P(click) of each pair's better and worse impression, and whether they rank as expected."""
    frame = impressions(*(side for pair in pairs for side in (pair.better, pair.worse)))
    proba = probabilities(model, frame)
    return [
        {"case": pair.name, "better": float(better), "worse": float(worse), "passed": bool(better > worse)}
        for pair, better, worse in zip(pairs, proba[0::2], proba[1::2], strict=True)
    ]


def protected_shift(model: Any, frame: pd.DataFrame) -> float:
    """Largest change of P(click) over rows when the protected attributes take each other value."""
    baseline = probabilities(model, frame)
    shift = 0.0
    for column in specs.PROTECTED:
        for value in specs.VOCABULARIES[column]:
            moved = probabilities(model, frame.assign(**{column: value}))
            shift = max(shift, float(np.max(np.abs(moved - baseline))))
    return shift


def row_order_shift(model: Any, frame: pd.DataFrame, seed: int) -> float:
    """Largest difference between predicting shuffled rows and shuffling the predictions."""
    order = np.random.default_rng(seed).permutation(len(frame))
    shuffled = probabilities(model, frame.iloc[order])
    return float(np.max(np.abs(shuffled - probabilities(model, frame)[order])))


def direction(model: Any, frame: pd.DataFrame, column: str, expected: DirectionSettings) -> dict[str, float]:
    """Add `expected.step` to `column` (clipped to the schema's bounds) and measure, in the
    expected direction: the share of rows that move the wrong way and the mean effect."""
    low, high = specs.SPECS[column].bounds  # type: ignore[misc]
    stepped = (frame[column].astype(float) + expected.step).clip(low, high)
    if specs.SPECS[column].kind == "integer":
        stepped = stepped.round().astype("int64")
    changed = stepped != frame[column]
    baseline = probabilities(model, frame[changed])
    moved = probabilities(model, frame[changed].assign(**{column: stepped[changed]}))
    effect = (moved - baseline) * expected.sign
    return {
        "rows": int(changed.sum()),
        "violation_rate": float(np.mean(effect < -1e-12)),
        "mean_effect": float(np.mean(effect)),
    }


def behaviour_report(model: Any, frame: pd.DataFrame, directions: dict[str, DirectionSettings], seed: int) -> dict:
    """Every behavioural measure of `model` on `frame`, for the evaluation report."""
    return {
        "minimum_functionality": minimum_functionality(model),
        "protected_shift": protected_shift(model, frame),
        "row_order_shift": row_order_shift(model, frame, seed),
        "directions": {column: direction(model, frame, column, step) for column, step in directions.items()},
    }
