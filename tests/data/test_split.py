"""The split: stratified and seeded, or out of time when the schema module names a TIME_COLUMN."""

from __future__ import annotations

import pandas as pd
import pytest

from adclick.data import contract
from adclick.data.split import split
from adclick.errors import DataValidationError


def test_with_a_time_column_the_latest_rows_are_the_test_part(
    monkeypatch: pytest.MonkeyPatch, small_data: pd.DataFrame
) -> None:
    rows = small_data.head(400).reset_index(drop=True)
    days = pd.date_range("2026-01-01", periods=len(rows), freq="D").strftime("%Y-%m-%d")
    dated = rows.assign(when=days[::-1])  # the file's first row is its latest
    monkeypatch.setattr(contract, "TIME_COLUMN", "when")
    train, test = split(dated, 0.25, seed=1)
    assert len(test) == round(len(rows) * 0.25)
    assert test["when"].min() > train["when"].max()


def test_too_few_rows_of_a_class_to_split_says_how_many_and_the_fix(small_data: pd.DataFrame) -> None:
    one_positive = pd.concat(
        [small_data[small_data[contract.LABEL] == 0].head(50), small_data[small_data[contract.LABEL] == 1].head(1)]
    )
    with pytest.raises(DataValidationError, match=r"too few of a class to split .*bring more rows or change"):
        split(one_positive, 0.25, seed=1)
