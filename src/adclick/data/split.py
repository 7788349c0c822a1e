"""The train/test split: seeded and stratified, so one seed in params.yaml fixes it."""

from __future__ import annotations

import pandas as pd

from adclick.data.specs import LABEL


def split(frame: pd.DataFrame, test_fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified, seeded train/test split (the label rate is the same in both parts)."""
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(frame, test_size=test_fraction, random_state=seed, stratify=frame[LABEL])
    return train.reset_index(drop=True), test.reset_index(drop=True)
