"""A drift report: every feature, the champion's predictions, and all columns at once.

Three views, because each misses something the others see:
- per column (`adclick.data.drift`): which input moved, by how much, against which line;
- the model's output: a shift in the probabilities is what the business feels first;
- a domain classifier: a model trained to tell reference rows from current rows. Its AUC is
  0.5 when it cannot; it catches a change in how columns move together, which no single
  column's statistic sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.data import contract
from adclick.data.drift import column_drift, data_drift
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from adclick.model.predict import probabilities

if TYPE_CHECKING:
    from adclick.config import Settings

PREDICTION = "prediction"


def lenient_inputs(frame: pd.DataFrame) -> pd.DataFrame:
    """The features typed as validation types them, from data that may fail validation: numbers
    that do not parse become missing, categories become text, and a yes/no or whole-number
    column keeps its type while it has no gaps (the fitted trees compare input types). The
    report shows what a broken batch would do to the model, beside the validation that keeps
    it out."""
    columns: dict[str, Any] = {}
    for name in contract.FEATURES:
        values, kind = frame[name], contract.SPECS[name].kind
        if kind == "category":
            columns[name] = values.astype(object).map(lambda v: np.nan if pd.isna(v) else str(v)).astype("str")
            continue
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
        whole = numbers.notna().all() and bool((numbers == numbers.round()).all())
        if kind == "boolean" and whole:
            numbers = numbers.astype(bool)
        elif kind == "integer" and whole and not contract.SPECS[name].nullable:
            numbers = numbers.astype("int64")
        columns[name] = numbers
    return pd.DataFrame(columns, index=frame.index)


def validation_summary(frame: pd.DataFrame, source: str) -> dict[str, Any]:
    """Whether the rows meet the schema, and the first failures when they do not."""
    try:
        validate(frame, labelled=contract.LABEL in frame.columns, source=source)
    except DataValidationError as exc:
        return {"passed": False, "failures": len(exc.failures), "message": str(exc)[:500]}
    return {"passed": True, "failures": 0, "message": ""}


def domain_classifier_auc(reference: pd.DataFrame, current: pd.DataFrame, rows: int, seed: int) -> float:
    """Held-out ROC AUC of a classifier telling current rows (1) from reference rows (0).

    Each side is capped at `rows` rows, equal in number so the AUC is not about sizes; the
    classifier is fitted on half of them and scored on the other half.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    n = min(rows, len(reference), len(current))
    both = pd.concat([reference.sample(n, random_state=seed), current.sample(n, random_state=seed)], ignore_index=True)
    inputs = lenient_inputs(both)[list(contract.MODEL_FEATURES)]
    for name in contract.CATEGORICAL_FEATURES:
        if name in inputs:
            inputs[name] = inputs[name].astype("category")
    side = np.repeat([0, 1], n)
    fit_x, test_x, fit_y, test_y = train_test_split(inputs, side, test_size=0.5, random_state=seed, stratify=side)
    classifier = HistGradientBoostingClassifier(max_iter=100, categorical_features="from_dtype", random_state=seed)
    classifier.fit(fit_x, fit_y)
    return float(roc_auc_score(test_y, classifier.predict_proba(test_x)[:, 1]))


def predictions(model: Any, reference: pd.DataFrame, current: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The model's probabilities on both sides, broken rows included (see `lenient_inputs`)."""
    return (
        pd.Series(probabilities(model, lenient_inputs(reference)), name=PREDICTION),
        pd.Series(probabilities(model, lenient_inputs(current)), name=PREDICTION),
    )


def drift_report(
    settings: Settings,
    reference: pd.DataFrame,
    current: pd.DataFrame,
    predictions: tuple[pd.Series, pd.Series] | None = None,
    sources: tuple[str, str] = ("reference", "current"),
) -> dict[str, Any]:
    """Everything `adclick drift` writes: per column, the data-set verdict, the model's
    `predictions` on both sides (when given) and the domain classifier. `drifted` is the
    verdict a scheduled job gates on."""
    columns = data_drift(reference, current, settings.drift)
    report: dict[str, Any] = {
        "reference": {"source": sources[0], "rows": len(reference)},
        "current": {"source": sources[1], "rows": len(current)},
        "validation": {
            "reference": validation_summary(reference, sources[0]),
            "current": validation_summary(current, sources[1]),
        },
        "columns": [c.as_dict() for c in columns.columns],
        "dataset": {
            "share": columns.share,
            "threshold": columns.threshold,
            "drifted": columns.drifted,
            "drifted_columns": columns.drifted_columns,
        },
    }
    auc = domain_classifier_auc(reference, current, settings.drift.domain_classifier_rows, settings.seed)
    limit = settings.drift.max_domain_classifier_auc
    report["multivariate"] = {
        "method": "domain classifier ROC AUC",
        "statistic": auc,
        "threshold": limit,
        "drifted": auc > limit,
    }
    if predictions is not None:
        before, after = predictions
        drift = column_drift(before, after, settings.drift, kind="number")
        report["prediction"] = {
            **drift.as_dict(),
            "mean_reference": float(before.mean()),
            "mean_current": float(after.mean()),
        }
    report["drifted"] = bool(columns.drifted)
    return report
