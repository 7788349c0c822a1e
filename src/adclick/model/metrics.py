"""Metrics of a model's probabilities on labelled data: overall, per slice, and calibration."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.data import contract
from adclick.data.contract import LABEL
from adclick.data.profile import auc_standard_error

if TYPE_CHECKING:
    from adclick.config import EvaluationSettings


def classification_metrics(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> dict[str, float]:
    """Ranking (ROC AUC; average precision and the top decile's lift, which a rare positive class
    needs), probability quality (log loss, Brier) and decisions at `threshold` (accuracy,
    precision, recall, F1)."""
    from sklearn.metrics import (
        accuracy_score,
        average_precision_score,
        brier_score_loss,
        f1_score,
        log_loss,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    y_true = np.asarray(y_true)
    proba = np.asarray(proba, dtype=float)
    both_classes = len(np.unique(y_true)) == 2
    predicted = (proba >= threshold).astype(int)
    return {
        "roc_auc": float(roc_auc_score(y_true, proba)) if both_classes else float("nan"),
        "average_precision": float(average_precision_score(y_true, proba)) if both_classes else float("nan"),
        "top_decile_lift": top_decile_lift(y_true, proba),
        "log_loss": float(log_loss(y_true, proba, labels=[0, 1])),
        "brier": float(brier_score_loss(y_true, proba, pos_label=1)),
        "accuracy": float(accuracy_score(y_true, predicted)),
        "precision": float(precision_score(y_true, predicted, zero_division=0.0)),
        "recall": float(recall_score(y_true, predicted, zero_division=0.0)),
        "f1": float(f1_score(y_true, predicted, zero_division=0.0)),
        "positive_rate": float(y_true.mean()),
        "mean_probability": float(proba.mean()),
    }


def top_decile_lift(y_true: np.ndarray, proba: np.ndarray) -> float:
    """The positive rate of the tenth of rows scored highest, over the positive rate of all rows:
    how many times better than picking at random the model's first choices are."""
    y_true = np.asarray(y_true, dtype=float)
    if not len(y_true) or y_true.mean() == 0:
        return float("nan")
    top = np.argsort(-np.asarray(proba, dtype=float), kind="stable")[: max(1, int(np.ceil(len(y_true) / 10)))]
    return float(y_true[top].mean() / y_true.mean())


def _bands(values: pd.Series, edges: tuple[float, ...]) -> pd.Series:
    """A number as bands between `edges` ("25-35" holds 25 up to, not including, 35)."""
    labels = [f"<{edges[0]:g}"] + [f"{a:g}-{b:g}" for a, b in pairwise(edges)] + [f"{edges[-1]:g}+"]
    banded = pd.cut(values.astype(float), bins=[-np.inf, *edges, np.inf], right=False, labels=labels)
    return banded.astype(str).where(values.notna(), "missing")


def slice_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The groupings a slice table reports: the schema module's SLICES, a column by its values
    or a number by bands."""
    return {
        column: frame[column].astype(str) if edges is None else _bands(frame[column], tuple(edges))
        for column, edges in contract.SLICES.items()
    }


def slice_metrics(
    frame: pd.DataFrame, proba: np.ndarray, settings: EvaluationSettings, threshold: float
) -> list[dict[str, Any]]:
    """Metrics per slice. A slice with fewer than `min_slice_rows` rows, or fewer than
    `min_slice_class_count` positives or negatives (its AUC would be noise), is listed with
    `too_small` set, not dropped."""
    y = frame[LABEL].to_numpy()
    rows: list[dict[str, Any]] = []
    for column, values in slice_columns(frame).items():
        values = np.asarray(values)
        for value in sorted(pd.unique(values)):
            mask = values == value
            n, positives = int(mask.sum()), int(y[mask].sum())
            rows.append(
                {
                    "slice": column,
                    "value": str(value),
                    "rows": n,
                    "positives": positives,
                    "too_small": n < settings.min_slice_rows
                    or min(positives, n - positives) < settings.min_slice_class_count,
                    **classification_metrics(y[mask], proba[mask], threshold),
                }
            )
    return rows


def calibration(y_true: np.ndarray, proba: np.ndarray, bins: int) -> dict[str, Any]:
    """Brier score, expected calibration error (ECE) and the reliability curve on `bins` bins of
    equal counts (quantiles of the probabilities).

    ECE is the rows-weighted mean of |observed positive rate - mean predicted probability| per
    bin: 0 when a predicted 30% means 30% of those rows were positive. Equal-count bins keep every
    bin's rate measured on as many rows as the others: with a rare positive class, equal-width
    bins put most rows into the first bin and leave the others nearly empty.
    """
    from sklearn.metrics import brier_score_loss

    y_true, proba = np.asarray(y_true, dtype=float), np.asarray(proba, dtype=float)
    edges = np.percentile(proba, np.linspace(0.0, 100.0, bins + 1))  # as scikit-learn's calibration_curve
    index = np.searchsorted(edges[1:-1], proba)
    curve, ece = [], 0.0
    for b in range(bins):
        mask = index == b
        if not mask.any():  # tied probabilities leave a bin empty
            continue
        observed, predicted = float(y_true[mask].mean()), float(proba[mask].mean())
        ece += mask.mean() * abs(observed - predicted)
        bounds = {"lower": float(edges[b]), "upper": float(edges[b + 1]), "rows": int(mask.sum())}
        curve.append({**bounds, "mean_probability": predicted, "positive_rate": observed})
    # The ECE a perfectly calibrated model gets by chance alone on these rows: a bin's observed
    # rate wanders from its probability p by |N(0, p (1 - p) / rows)|, whose mean is sqrt(2 / pi) sd.
    noise = sum(
        b["rows"] / len(proba) * np.sqrt(2 / np.pi * b["mean_probability"] * (1 - b["mean_probability"]) / b["rows"])
        for b in curve
    )
    return {
        "brier": float(brier_score_loss(y_true, proba)),
        "ece": float(ece),
        "ece_noise": float(noise),
        "bins": curve,
    }


def auc_spread_band(auc: float, labels: np.ndarray, floor: float, standard_errors: float) -> float:
    """How far two AUCs of equally good models may lie apart on a test set with these labels:
    `floor`, or `standard_errors` standard errors of their difference when the test set is small
    enough for noise alone to move them further (a few hundred rows)."""
    positives = int(np.sum(labels))
    error = auc_standard_error(auc, positives, len(labels) - positives)
    return max(floor, standard_errors * float(np.sqrt(2.0)) * error)


def auc_covariance(labels: np.ndarray, *scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ROC AUC of each score on the same labelled rows and the covariance of those AUCs
    (DeLong, DeLong and Clarke-Pearson, 1988, in the fast form of Sun and Xu, 2014).

    Models scored on the same rows err together, so the standard error of the difference of
    their AUCs, `sqrt(var_a + var_b - 2 cov_ab)`, is far smaller than the two standard errors
    would suggest alone: this is what a margin over a baseline or a drop against the champion
    is measured in. NaN where a class has fewer than two rows."""
    from scipy.stats import rankdata

    y = np.asarray(labels).astype(bool)
    values = np.atleast_2d(np.asarray(scores, dtype=float))
    m, n = int(y.sum()), int((~y).sum())
    if m < 2 or n < 2:
        nan = np.full(len(values), np.nan)
        return nan, np.full((len(values), len(values)), np.nan)
    positive, negative = values[:, y], values[:, ~y]
    within_positive, within_negative = rankdata(positive, axis=1), rankdata(negative, axis=1)
    overall = rankdata(np.concatenate([positive, negative], axis=1), axis=1)
    aucs = (overall[:, :m].sum(axis=1) / m - (m + 1) / 2) / n
    above_negatives = (overall[:, :m] - within_positive) / n  # per positive: share of negatives below it
    below_positives = 1.0 - (overall[:, m:] - within_negative) / m  # per negative: share of positives above it
    covariance = np.atleast_2d(np.cov(above_negatives)) / m + np.atleast_2d(np.cov(below_positives)) / n
    return aucs, covariance


def auc_errors(labels: np.ndarray, proba: np.ndarray, others: dict[str, np.ndarray]) -> dict[str, float]:
    """Standard errors for the gates: of the model's ROC AUC (`roc_auc`), and of the difference
    between its AUC and each of `others` on the same rows (by their names)."""
    names = list(others)
    _, covariance = auc_covariance(labels, proba, *(others[name] for name in names))
    errors = {"roc_auc": float(np.sqrt(max(covariance[0, 0], 0.0)))}
    for i, name in enumerate(names, start=1):
        variance = covariance[0, 0] + covariance[i, i] - 2 * covariance[0, i]
        errors[name] = float(np.sqrt(max(variance, 0.0)))
    return errors
