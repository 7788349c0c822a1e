"""Score a model on labelled data: overall metrics, slices, and the gates for promotion.

The gates are one function (`check_gates`) that the promote step and the tests share, so
"good enough to ship" means the same thing everywhere, with its thresholds in params.yaml.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick import schema

if TYPE_CHECKING:
    from adclick.config import EvaluationSettings, GateSettings, Settings

EVALUATION_FILE = "evaluation.json"


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
    """Metrics per slice; slices under `min_slice_rows` are listed with `too_small` set, not dropped."""
    y = frame[schema.LABEL].to_numpy()
    rows: list[dict[str, Any]] = []
    for column, values in slice_columns(frame, settings).items():
        values = np.asarray(values)
        for value in sorted(pd.unique(values)):
            mask = values == value
            n = int(mask.sum())
            rows.append(
                {
                    "slice": column,
                    "value": str(value),
                    "rows": n,
                    "too_small": n < settings.min_slice_rows,
                    **classification_metrics(y[mask], proba[mask], threshold),
                }
            )
    return rows


@dataclass(frozen=True)
class GateResult:
    name: str
    value: float | None
    threshold: float
    passed: bool
    detail: str


def check_gates(
    gates: GateSettings,
    metrics: dict[str, float],
    baselines: dict[str, dict[str, float]],
    champion: dict[str, float] | None,
) -> list[GateResult]:
    """Every promotion gate, pass or fail, with the numbers behind it."""
    auc = metrics["roc_auc"]
    results = [
        GateResult("min_roc_auc", auc, gates.min_roc_auc, auc >= gates.min_roc_auc, f"model AUC {auc:.4f}"),
    ]
    for name, floor in (
        ("dummy", gates.min_auc_margin_over_dummy),
        ("logistic", gates.min_auc_margin_over_logistic),
    ):
        margin = auc - baselines[name]["roc_auc"]
        results.append(
            GateResult(
                f"min_auc_margin_over_{name}",
                margin,
                floor,
                margin >= floor,
                f"{name} AUC {baselines[name]['roc_auc']:.4f}",
            )
        )
    if champion is None:
        results.append(
            GateResult("max_auc_drop_vs_champion", None, gates.max_auc_drop_vs_champion, True, "no champion yet")
        )
    else:
        drop = champion["roc_auc"] - auc
        results.append(
            GateResult(
                "max_auc_drop_vs_champion",
                drop,
                gates.max_auc_drop_vs_champion,
                drop <= gates.max_auc_drop_vs_champion,
                f"champion AUC {champion['roc_auc']:.4f}",
            )
        )
    return results


def evaluate_model(settings: Settings, model_uri: str, data: pd.DataFrame, *, data_source: str) -> dict[str, Any]:
    """Score the model at `model_uri`, its run's baselines and the current champion on `data`.

    Logs the evaluation metrics to the model's run and returns the report (see `EVALUATION_FILE`).
    """
    import mlflow

    from adclick.registry import CHAMPION, connect, find, load_sklearn
    from adclick.train import click_probability, frame_digest, load_baselines

    client = connect(settings)
    threshold = settings.model.decision_threshold
    y = data[schema.LABEL].to_numpy()
    model, ref = load_sklearn(client, model_uri)
    proba = click_probability(model, data)
    metrics = classification_metrics(y, proba, threshold)
    baselines = {
        name: classification_metrics(y, click_probability(baseline, data), threshold)
        for name, baseline in load_baselines(ref.run_id).items()
    }
    champion_ref = find(client, ref.name, CHAMPION)
    champion = None
    if champion_ref is not None:
        champion_model, _ = load_sklearn(client, champion_ref.uri)
        champion = {
            "version": champion_ref.version,
            "metrics": classification_metrics(y, click_probability(champion_model, data), threshold),
        }
    gates = check_gates(settings.gates, metrics, baselines, champion["metrics"] if champion else None)
    with mlflow.start_run(run_id=ref.run_id):
        mlflow.log_metrics({f"eval_{k}": v for k, v in metrics.items() if np.isfinite(v)})
    return {
        "model": ref.as_dict(),
        "data": {"source": data_source, "rows": len(data), "digest": frame_digest(data)},
        "decision_threshold": threshold,
        "metrics": metrics,
        "baselines": baselines,
        "champion": champion,
        "gates": [asdict(g) for g in gates],
        "passed": all(g.passed for g in gates),
        "slices": slice_metrics(data, proba, settings.evaluation, threshold),
    }


def evaluation_path(settings: Settings) -> Path:
    return settings.reports_dir / EVALUATION_FILE
