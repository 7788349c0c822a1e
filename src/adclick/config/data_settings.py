"""Settings of the data: where it comes from, and the rules on the labelled data as a whole."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from adclick.config.base import Fraction, Section

SYNTHETIC_SOURCE = "synthetic"


class DataSettings(Section):
    """Where the labelled data comes from: the seeded synthetic demo, or a team's CSV / Parquet file
    (relative to params.yaml) whose columns the schema module `adclick.data.specs` declares."""

    source: str = Field(
        SYNTHETIC_SOURCE, min_length=1, description="'synthetic' (the seeded demo) or a .csv / .parquet file"
    )
    n_rows: int = Field(60_000, ge=100, description="synthetic source only: labelled rows drawn for training + test")
    scoring_rows: int = Field(
        10_000, ge=1, description="rows of the batch-scoring step: drawn, or sampled from your file without the label"
    )
    test_fraction: Fraction = Field(
        0.25, description="held out, stratified by label (or the latest rows, with a TIME_COLUMN)"
    )
    drop_duplicate_rows: bool = Field(
        True, description="identical rows in your file are kept once (a copy in train and test is a leak)"
    )

    @field_validator("source")
    @classmethod
    def _source_is_known(cls, value: str) -> str:
        if value != SYNTHETIC_SOURCE and Path(value).suffix.lower() not in (".csv", ".parquet"):
            raise ValueError(f"use {SYNTHETIC_SOURCE!r} or a .csv / .parquet file, got {value!r}")
        return value


class DataCheckSettings(Section):
    """Data-set rules for labelled data, and the tolerances of the integrity checks on a split;
    rules per column and row live in the schema module."""

    min_rows: int = Field(200, ge=1, description="fewer rows than this cannot give a test split worth judging")
    max_rows: int = Field(5_000_000, ge=1, description="more rows than this is a broken export, not a data set")
    positive_rate: tuple[Annotated[float, Field(ge=0.0, le=1.0)], Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        (0.05, 0.5), description="a share of positive labels outside [low, high] means a broken label, not a trend"
    )
    max_positive_rate_gap_between_splits: float = Field(
        0.01, ge=0.0, le=1.0, description="train vs test positive rate, absolute difference"
    )
    max_single_feature_auc: float = Field(
        0.9, gt=0.5, le=1.0, description="one feature alone predicting the label this well is a leak"
    )
    split_drift_alpha: Fraction = Field(
        0.01, description="train vs test per column (KS / chi-square), Bonferroni-corrected"
    )

    @model_validator(mode="after")
    def _bounds_are_ordered(self) -> DataCheckSettings:
        if self.min_rows > self.max_rows:
            raise ValueError(f"min_rows ({self.min_rows}) is above max_rows ({self.max_rows})")
        if self.positive_rate[0] >= self.positive_rate[1]:
            raise ValueError(f"positive_rate must be [low, high] with low < high, got {list(self.positive_rate)}")
        return self
