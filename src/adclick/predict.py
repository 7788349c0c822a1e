"""Batch scoring: validate a file of impressions, score it with a registered model, write the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from adclick import schema
from adclick.train import click_probability

if TYPE_CHECKING:
    from adclick.registry import ModelRef


def score(model: Any, frame: pd.DataFrame, ref: ModelRef, threshold: float) -> pd.DataFrame:
    """One row per input row: its id, P(click), the decision at `threshold`, and which model said so.

    The result is checked against the predictions schema before anyone writes it.
    """
    proba = click_probability(model, frame)
    scored = pd.DataFrame(
        {
            schema.ID_COLUMN: frame[schema.ID_COLUMN].to_numpy(),
            "click_probability": proba,
            "predicted_click": (proba >= threshold).astype("int64"),
            "model_name": ref.name,
            "model_version": ref.version,
        },
        columns=list(schema.PREDICTION_COLUMNS),
    )
    return schema.predictions_schema(threshold).validate(scored)
