"""Shifts a test can inject into any data that meets the contract, with a known answer.

The demo generator has its own scenarios, drawn from its known truth; these work on a team's
file as well: move a number, bring a category the model never saw, blank values. Each changes
only the column it names, so a check can be held to finding exactly that column.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from adclick.data import contract

if TYPE_CHECKING:
    from adclick.config import Settings


def interquartile_range(values: pd.Series) -> float:
    """The spread of a column's middle half; a tenth of its declared range when that is 0."""
    numbers = values.dropna().astype(float)
    spread = float(numbers.quantile(0.75) - numbers.quantile(0.25)) if len(numbers) else 0.0
    if spread <= 0.0:
        low, high = contract.SPECS[str(values.name)].bounds  # type: ignore[misc]
        spread = (high - low) / 10.0
    return spread


def step(values: pd.Series, iqrs: float) -> float:
    """A move of `iqrs` interquartile ranges of `values`; for an integer column at least one unit,
    so that a column whose middle half is one value (a mostly-zero pixel) moves at all."""
    moved = iqrs * interquartile_range(values)
    if contract.SPECS[str(values.name)].kind == "integer" and 0 < abs(moved) < 1:
        moved = float(np.sign(moved))
    return moved


def shift_number(frame: pd.DataFrame, column: str, iqrs: float) -> pd.DataFrame:
    """`column` moved by `iqrs` interquartile ranges (`step`), clipped to its bounds (rounded for integers)."""
    spec = contract.SPECS[column]
    low, high = spec.bounds  # type: ignore[misc]
    moved = (frame[column].astype(float) + step(frame[column], iqrs)).clip(low, high)
    if spec.kind == "integer":
        moved = moved.round().astype("Int64")
    return frame.assign(**{column: moved.where(frame[column].notna())})


def unseen_category(frame: pd.DataFrame, column: str, share: float, seed: int) -> pd.DataFrame:
    """A seeded `share` of `column` set to a level outside its vocabulary."""
    hit = np.random.default_rng(seed).random(len(frame)) < share
    unseen = "unseen-" + "-".join(contract.VOCABULARIES[column])[:20]
    return frame.assign(**{column: frame[column].where(~hit, unseen)})


def blank(frame: pd.DataFrame, column: str, share: float, seed: int) -> pd.DataFrame:
    """A seeded `share` of `column` blanked (a data-quality break)."""
    hit = np.random.default_rng(seed).random(len(frame)) < share
    return frame.assign(**{column: frame[column].where(~hit)})


def shift_targets(count: int) -> list[str]:
    """The numeric model features a generic shift moves: those with a known direction first
    (their effect on the label is known, so the model must feel them), then the others."""
    numeric = [c for c in contract.MODEL_FEATURES if c in contract.NUMERIC_FEATURES and contract.SPECS[c].bounds]
    known = [c for c in numeric if c in contract.DIRECTIONS]
    return (known + [c for c in numeric if c not in known])[:count]


def drifting_columns(settings: Settings) -> list[str]:
    """The numeric features a replay or a scenario shifts: `monitoring.shifted_columns`, and at
    least enough to reach the data-set rule (`drift.dataset_drift_share` of the features), so
    that on wide data (30 columns) a shift the model feels is a shift the verdict reports too."""
    needed = math.ceil(settings.drift.dataset_drift_share * len(contract.MODEL_FEATURES))
    return shift_targets(max(settings.monitoring.shifted_columns, needed))


def flip_labels(frame: pd.DataFrame, column: str, share: float, seed: int) -> pd.DataFrame:
    """Concept drift: in the half of the rows where `column` is highest, a seeded `share` of
    labels flip. The inputs do not change at all; only what they mean does. The half is taken by
    rank (ties in row order), so a column that is mostly one value still gives half the rows."""
    ranks = frame[column].astype(float).rank(method="first", na_option="bottom").to_numpy()
    upper = ranks > len(frame) / 2
    hit = upper & (np.random.default_rng(seed).random(len(frame)) < share)
    label = frame[contract.LABEL].to_numpy()
    return frame.assign(**{contract.LABEL: np.where(hit, 1 - label, label)})


def scale_number(frame: pd.DataFrame, column: str, factor: float) -> pd.DataFrame:
    """A unit change (e.g. currency units to cents): every value of `column` times `factor`."""
    return frame.assign(**{column: frame[column].astype(float) * factor})


def generic_scenarios(frame: pd.DataFrame, seed: int, targets: list[str]) -> dict[str, tuple[str, pd.DataFrame]]:
    """What can go wrong, injected into any labelled data that meets the contract: the same
    kinds as the demo generator's scenarios, each with its description; the covariate shift
    moves `targets`."""
    first = targets[0]
    scenarios = {
        "covariate_shift": (
            f"{', '.join(targets)} moved up by one interquartile range; the labels' meaning is unchanged",
            shifted(frame, targets, 1.0),
        ),
        "concept_drift": (
            f"same inputs, but half the labels flip in the half of rows where {first} is highest",
            flip_labels(frame, first, 0.5, seed),
        ),
        "missing_values": (f"30% of {first} is missing (a data-quality break)", blank(frame, first, 0.3, seed)),
        "unit_change": (f"{first} arrives multiplied by 100 (a unit change upstream)", scale_number(frame, first, 100)),
    }
    if contract.CATEGORICAL_FEATURES:
        column = next(c for c in contract.MODEL_FEATURES if c in contract.CATEGORICAL_FEATURES)
        scenarios["unseen_category"] = (
            f"5% of {column} is a level the model never saw",
            unseen_category(frame, column, 0.05, seed),
        )
    return scenarios


def shifted(frame: pd.DataFrame, columns: list[str] | tuple[str, ...], iqrs: float) -> pd.DataFrame:
    """`columns` moved by `iqrs` interquartile ranges each, then the row rules' declared repairs
    applied, so that a covariate drift stays drift and never turns into a broken row."""
    for column in columns:
        frame = shift_number(frame, column, iqrs)
    for rule in contract.ROW_RULES:
        frame = rule.repair(frame)
    return frame
