"""A monitored replay: daily batches through the champion, in batch and through the live
service, watched the way production watches a model.

Each day (`monitoring.days`) the tracking table records:
- usage: rows, and the p95 latency of the day's requests to `POST /predict` on 127.0.0.1;
- data quality: schema failures (values validation refuses), rows the API refused, and the
  worst feature's missing share above its share in the training data;
- drift: the share of drifted features against the training data and the most drifted ones;
- the model: the mean prediction, the AUC **estimated before labels arrive** from the
  calibrated probabilities (CBPE, as NannyML does: a calibrated 0.3 is a 30% chance of a
  positive, so the expected ROC curve follows from the scores alone), and the realised AUC
  once the labels arrive, `label_delay_days` later;
- the alerts raised that day, by the rules of `monitoring.alerts` (the same as
  monitoring/rules.yml for the service).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.data import contract
from adclick.data.drift import data_drift
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from adclick.model.predict import probabilities
from adclick.monitoring.days import Day
from adclick.monitoring.drift_report import lenient_inputs
from adclick.serve.request_contract import as_records

if TYPE_CHECKING:
    from adclick.config import Settings

# The kinds of alert, as the table and the tests name them.
DRIFT, MISSING, SCHEMA, PREDICTION_BAND, ESTIMATED_AUC, REALISED_AUC, LATENCY = (
    "drift", "missing values", "schema failures", "prediction band", "estimated AUC", "realised AUC", "latency",
)  # fmt: skip


def cbpe_auc(proba: np.ndarray) -> float:
    """ROC AUC expected from calibrated probabilities alone (NannyML's CBPE): ranking rows by
    score, each row adds p to the expected true positives and 1 - p to the false positives."""
    from sklearn.metrics import auc

    p = np.sort(np.asarray(proba, dtype=float))[::-1]
    tpr = np.concatenate([[0.0], np.cumsum(p) / p.sum()])
    fpr = np.concatenate([[0.0], np.cumsum(1.0 - p) / (1.0 - p).sum()])
    return float(auc(fpr, tpr))


@dataclass(frozen=True)
class Expected:
    """What a healthy day looks like: the training data and the champion's held-out quality."""

    reference: pd.DataFrame
    reference_missing: pd.Series
    auc: float
    mean_probability: float
    sd_probability: float


def expected(model: Any, train: pd.DataFrame, test: pd.DataFrame) -> Expected:
    from sklearn.metrics import roc_auc_score

    reference_proba = probabilities(model, train)
    return Expected(
        reference=train,
        reference_missing=train[list(contract.MODEL_FEATURES)].isna().mean(),
        auc=float(roc_auc_score(test[contract.LABEL], probabilities(model, test))),
        mean_probability=float(reference_proba.mean()),
        sd_probability=float(reference_proba.std()),
    )


def schema_failures(frame: pd.DataFrame, source: str) -> int:
    """Values the raw schema refuses (a value may fail more than one check)."""
    try:
        validate(frame, labelled=True, source=source)
    except DataValidationError as exc:
        return int(sum(int(f.get("failures", 1)) for f in exc.failures))  # type: ignore[call-overload]
    return 0


Send = Callable[[list[dict[str, Any]]], tuple[int, float]]  # records -> (HTTP status, seconds)


def observe(settings: Settings, model: Any, day: Day, healthy: Expected, send: Send | None = None) -> dict[str, Any]:
    """One row of the tracking table (alerts are added by `raise_alerts`)."""
    from sklearn.metrics import roc_auc_score

    frame = day.frame
    proba = probabilities(model, lenient_inputs(frame))
    drift = data_drift(healthy.reference, frame, settings.drift)
    missing_excess = frame[list(contract.MODEL_FEATURES)].isna().mean() - healthy.reference_missing
    latencies, refused = _through_api(settings, frame, send)
    labels = frame[contract.LABEL].to_numpy()
    return {
        "day": day.number,
        "date": day.date.isoformat(),
        "rows": len(frame),
        "schema_failures": schema_failures(frame, f"day {day.number}"),
        "api_refused_rows": refused,
        "missing_share": float(max(missing_excess.max(), 0.0)),
        "most_missing": str(missing_excess.idxmax()) if missing_excess.max() > 0 else "",
        "drift_share": drift.share,
        "drifted_columns": " ".join(drift.drifted_columns[:3]),
        "mean_prediction": float(proba.mean()),
        "estimated_auc": cbpe_auc(proba),
        "realised_auc": float(roc_auc_score(labels, proba)),
        "labels_arrive": (day.date + timedelta(days=settings.monitoring.label_delay_days)).isoformat(),
        "p95_latency_ms": float(np.percentile(latencies, 95) * 1000) if latencies else float("nan"),
        "injected": _injected(day),
    }


def _injected(day: Day) -> str:
    parts = []
    if day.shift_iqrs > 0:
        parts.append(f"shift {day.shift_iqrs:.2f} IQR")
    if day.flipped_share > 0:
        parts.append(f"{day.flipped_share:.0%} labels flipped")
    if day.incident:
        parts.append("incident: values missing")
    return "; ".join(parts) or "-"


def _through_api(settings: Settings, frame: pd.DataFrame, send: Send | None) -> tuple[list[float], int]:
    """The day's first `api_rows_per_day` rows through the live service, in batches."""
    if send is None or settings.monitoring.api_rows_per_day == 0:
        return [], 0
    records = as_records(frame.head(settings.monitoring.api_rows_per_day))
    size, latencies, refused = settings.monitoring.api_batch_rows, [], 0
    for start in range(0, len(records), size):
        batch = records[start : start + size]
        status, seconds = send(batch)
        latencies.append(seconds)
        refused += len(batch) if status == 422 else 0
    return latencies, refused


def raise_alerts(settings: Settings, table: list[dict[str, Any]], healthy: Expected) -> None:
    """Each day's alerts, by params.yaml `monitoring.alerts`; the realised AUC of a day is
    judged on the day its labels arrive."""
    a, delay = settings.monitoring.alerts, settings.monitoring.label_delay_days
    band = a.prediction_band_sigmas * healthy.sd_probability
    for index, row in enumerate(table):
        alerts = []
        if row["drift_share"] >= settings.drift.dataset_drift_share:
            alerts.append(f"{DRIFT}: {row['drift_share']:.0%} of features ({row['drifted_columns']})")
        if row["missing_share"] > a.max_missing_share:
            alerts.append(f"{MISSING}: {row['most_missing']} +{row['missing_share']:.0%}")
        if row["schema_failures"] / row["rows"] > a.max_schema_failure_share:
            alerts.append(f"{SCHEMA}: {row['schema_failures']} values refused")
        if abs(row["mean_prediction"] - healthy.mean_probability) > band / np.sqrt(row["rows"]):
            alerts.append(f"{PREDICTION_BAND}: mean {row['mean_prediction']:.3f} vs {healthy.mean_probability:.3f}")
        if row["estimated_auc"] < healthy.auc - a.max_estimated_auc_drop:
            alerts.append(f"{ESTIMATED_AUC}: {row['estimated_auc']:.3f} vs {healthy.auc:.3f}")
        if index >= delay and table[index - delay]["realised_auc"] < healthy.auc - a.max_realised_auc_drop:
            late = table[index - delay]
            alerts.append(f"{REALISED_AUC}: {late['realised_auc']:.3f} on {late['date']} vs {healthy.auc:.3f}")
        if row["p95_latency_ms"] / 1000 > a.max_p95_latency_seconds:
            alerts.append(f"{LATENCY}: p95 {row['p95_latency_ms']:.0f} ms")
        row["alerts"] = "; ".join(alerts)
        # A day's realised AUC is known only once its labels arrive within the replay.
        row["realised_auc_known"] = index + delay < len(table)


def replay(
    settings: Settings, model: Any, days: list[Day], healthy: Expected, send: Send | None = None
) -> tuple[list[dict[str, Any]], float]:
    """The tracking table of every day, and the seconds the replay took. `send` posts records to
    the live service and returns the status and the seconds it took (None: batch only)."""
    started = time.perf_counter()
    table = [observe(settings, model, day, healthy, send) for day in days]
    raise_alerts(settings, table, healthy)
    return table, time.perf_counter() - started
