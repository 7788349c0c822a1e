"""Scoring: the one path from validated rows to probabilities and decisions.

`score_rows` is what both batch scoring (`score`, `adclick predict`) and the API's
`POST /predict` call; the model's own prediction is `adclick.model.predict.probabilities`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.data.contract import ID_COLUMN
from adclick.data.schema import DECISION, PREDICTION_COLUMNS, PROBABILITY, predictions_schema
from adclick.model.predict import decisions, probabilities

if TYPE_CHECKING:
    from adclick.tracking.registry import ModelRef


@dataclass(frozen=True)
class Scores:
    """One entry per scored row, in input order."""

    ids: np.ndarray
    probability: np.ndarray
    decision: np.ndarray


def score_rows(model: Any, frame: pd.DataFrame, threshold: float) -> Scores:
    """Probabilities and decisions at `threshold` for validated rows (batch file or API request)."""
    proba = probabilities(model, frame)
    return Scores(frame[ID_COLUMN].to_numpy(), proba, decisions(proba, threshold))


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
