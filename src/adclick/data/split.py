"""The train/test split: seeded and stratified, so one seed in params.yaml fixes it; or, when
the schema module declares a TIME_COLUMN, out of time: the latest rows are the test part, as
they will be in production."""

from __future__ import annotations

import pandas as pd

from adclick.data import contract
from adclick.data.contract import LABEL
from adclick.errors import DataValidationError


def split(frame: pd.DataFrame, test_fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified, seeded train/test split (the label rate is the same in both parts)."""
    from sklearn.model_selection import train_test_split

    counts = frame[LABEL].value_counts()
    if len(counts) < 2 or counts.min() * test_fraction < 1 or counts.min() * (1 - test_fraction) < 1:
        raise DataValidationError(
            f"{len(frame)} rows with {counts.to_dict()} per value of {LABEL!r}: too few of a class to split "
            f"{1 - test_fraction:.0%} / {test_fraction:.0%}; bring more rows or change data.test_fraction"
        )
    if contract.TIME_COLUMN is not None:
        when = pd.to_datetime(frame[contract.TIME_COLUMN], format="mixed")
        ordered = frame.assign(_when=when).sort_values("_when", kind="stable")
        cut = len(frame) - round(len(frame) * test_fraction)
        train, test = ordered.iloc[:cut].drop(columns="_when"), ordered.iloc[cut:].drop(columns="_when")
    else:
        train, test = train_test_split(frame, test_size=test_fraction, random_state=seed, stratify=frame[LABEL])
    return train.reset_index(drop=True), test.reset_index(drop=True)
