"""Shifts a test can inject into any data that meets the contract, with a known answer.

The demo generator has its own scenarios, drawn from its known truth; these work on a team's
file as well: move a number, bring a category the model never saw, blank values. Each changes
only the column it names, so a check can be held to finding exactly that column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from adclick.data import contract


def interquartile_range(values: pd.Series) -> float:
    """The spread of a column's middle half; a tenth of its declared range when that is 0."""
    numbers = values.dropna().astype(float)
    spread = float(numbers.quantile(0.75) - numbers.quantile(0.25)) if len(numbers) else 0.0
    if spread <= 0.0:
        low, high = contract.SPECS[str(values.name)].bounds  # type: ignore[misc]
        spread = (high - low) / 10.0
    return spread


def shift_number(frame: pd.DataFrame, column: str, iqrs: float) -> pd.DataFrame:
    """`column` moved by `iqrs` interquartile ranges, clipped to its bounds (rounded for integers)."""
    spec = contract.SPECS[column]
    low, high = spec.bounds  # type: ignore[misc]
    moved = (frame[column].astype(float) + iqrs * interquartile_range(frame[column])).clip(low, high)
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
