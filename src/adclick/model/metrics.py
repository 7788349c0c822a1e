"""Metrics of a model's probabilities on labelled data: overall, per slice, and calibration."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.data.specs import LABEL

if TYPE_CHECKING:
    from adclick.config import EvaluationSettings


def classification_metrics(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> dict[str, float]:
    """Ranking (ROC AUC), probability quality (log loss, Brier) and decisions at `threshold`."""
    from sklearn.metrics import accuracy_score, brier_score_loss, f1_score, log_loss, roc_auc_score

    y_true = np.asarray(y_true)
    proba = np.asarray(proba, dtype=float)
    both_classes = len(np.unique(y_true)) == 2
    predicted = (proba >= threshold).astype(int)
    return {
        "roc_auc": float(roc_auc_score(y_true, proba)) if both_classes else float("nan"),
        "log_loss": float(log_loss(y_true, proba, labels=[0, 1])),
        "brier": float(brier_score_loss(y_true, proba, pos_label=1)),
        "accuracy": float(accuracy_score(y_true, predicted)),
        "f1": float(f1_score(y_true, predicted, zero_division=0.0)),
        "click_rate": float(y_true.mean()),
        "mean_probability": float(proba.mean()),
    }


def slice_columns(frame: pd.DataFrame, settings: EvaluationSettings) -> dict[str, pd.Series]:
    """The groupings a slice table reports: device, country, category, age band, visitor type."""
    bands = settings.age_bands
    labels = [f"{a}-{b - 1}" for a, b in pairwise(bands)] + [f"{bands[-1]}+"]
    age_band = pd.cut(frame["age"], bins=[*bands, np.inf], right=False, labels=labels).astype(str)
    return {
        "device": frame["device"].astype(str),
        "country": frame["country"].astype(str),
        "ad_category": frame["ad_category"].astype(str),
        "age_band": age_band,
        "visitor": np.where(frame["is_returning"].astype(bool), "returning", "new"),
    }


def slice_metrics(
    frame: pd.DataFrame, proba: np.ndarray, settings: EvaluationSettings, threshold: float
) -> list[dict[str, Any]]:
    """Metrics per slice. A slice with fewer than `min_slice_rows` rows, or fewer than
    `min_slice_class_count` clicks or non-clicks (its AUC would be noise), is listed with
    `too_small` set, not dropped."""
    y = frame[LABEL].to_numpy()
    rows: list[dict[str, Any]] = []
    for column, values in slice_columns(frame, settings).items():
        values = np.asarray(values)
        for value in sorted(pd.unique(values)):
            mask = values == value
            n, clicks = int(mask.sum()), int(y[mask].sum())
            rows.append(
                {
                    "slice": column,
                    "value": str(value),
                    "rows": n,
                    "too_small": n < settings.min_slice_rows
                    or min(clicks, n - clicks) < settings.min_slice_class_count,
                    **classification_metrics(y[mask], proba[mask], threshold),
                }
            )
    return rows


def calibration(y_true: np.ndarray, proba: np.ndarray, bins: int) -> dict[str, Any]:
    """Brier score, expected calibration error (ECE) and the reliability curve on equal-width bins.

    ECE is the rows-weighted mean of |observed click rate - mean predicted probability| per bin:
    0 when a predicted 30% means 30% of those impressions were clicked.
    """
    from sklearn.metrics import brier_score_loss

    y_true, proba = np.asarray(y_true, dtype=float), np.asarray(proba, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(proba, edges[1:-1]), 0, bins - 1)
    curve, ece = [], 0.0
    for b in range(bins):
        mask = index == b
        if not mask.any():
            continue
        observed, predicted = float(y_true[mask].mean()), float(proba[mask].mean())
        ece += mask.mean() * abs(observed - predicted)
        bounds = {"lower": float(edges[b]), "upper": float(edges[b + 1]), "rows": int(mask.sum())}
        curve.append({**bounds, "mean_probability": predicted, "click_rate": observed})
    return {"brier": float(brier_score_loss(y_true, proba)), "ece": float(ece), "bins": curve}
