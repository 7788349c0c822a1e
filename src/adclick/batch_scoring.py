"""Batch scoring: validated rows to a predictions table, checked before anyone writes it.

`score_rows` (`adclick.model.predict`) is what both batch scoring (`score`, `adclick predict`)
and the API's `POST /predict` call; it lives with the model so that the service imports it
without the predictions schema (pandera) this module checks batches with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from adclick.data.contract import DECISION, ID_COLUMN, PROBABILITY
from adclick.data.schema import PREDICTION_COLUMNS, predictions_schema
from adclick.model.predict import score_rows

if TYPE_CHECKING:
    from adclick.tracking.registry import ModelRef


def score(model: Any, frame: pd.DataFrame, ref: ModelRef, threshold: float) -> pd.DataFrame:
    """One row per input row: its id, the probability, the decision at `threshold`, and which
    model said so. The result is checked against the predictions schema before anyone writes it."""
    scores = score_rows(model, frame, threshold)
    scored = pd.DataFrame(
        {
            ID_COLUMN: scores.ids,
            PROBABILITY: scores.probability,
            DECISION: scores.decision,
            "model_name": ref.name,
            "model_version": ref.version,
        },
        columns=list(PREDICTION_COLUMNS),
    )
    return predictions_schema(threshold).validate(scored)
