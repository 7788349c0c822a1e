"""What production watches beyond requests: the inputs and the model behind the answers.

A Prometheus collector (`prometheus_client.registry.Collector`) that exposes, at scrape time:
- `adclick_missing_values_total{column}`: missing values per feature, beside
  `adclick_rows_scored_total` (their ratio is the missing share an alert watches) and
  `adclick_reference_missing_share{column}` (what is normal: some columns have gaps by design);
- `adclick_drift_share` and `adclick_feature_drifted{column}`: the last `window_rows` rows
  scored against the reference (the training data), with the drift statistics of
  `adclick drift` (params.yaml `drift`). Computed when Prometheus scrapes, never per request,
  and only when new rows arrived; NaN while the window is empty or there is no reference;
- `adclick_reference_probability_mean` / `_sd`: the model's predictions on the reference, so
  an alert can hold the live mean prediction to a band around them;
- `adclick_model_info{name,version,alias}` and `adclick_model_trained_timestamp_seconds`:
  which model answers, and how old it is (the staleness alert).
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from adclick.data.contract import MODEL_FEATURES
from adclick.data.drift import data_drift
from adclick.model.predict import probabilities

if TYPE_CHECKING:
    from adclick.config import DriftSettings
    from adclick.serve.state import ModelHolder

NAN = float("nan")


class Reference:
    """The rows the model was trained on: given as a frame, or read by a function (`source`) in a
    thread once the service is up. `adclick serve` reads and validates the training split, which
    took more than a second; start-up does not wait for it, and the gauges that need it are NaN
    until then, or for good if it cannot be read (`problem` says why)."""

    def __init__(self, source: pd.DataFrame | Callable[[], pd.DataFrame | None] | None) -> None:
        self._reader = source if callable(source) else None
        self.frame: pd.DataFrame | None = None if callable(source) else source
        self.features: pd.DataFrame | None = None if self.frame is None else self._features(self.frame)
        self._started = False
        self.problem: str | None = None

    @staticmethod
    def _features(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[list(MODEL_FEATURES)].reset_index(drop=True)

    def read_in_background(self, then: Callable[[], None] | None = None) -> None:
        """Start reading (once), and call `then` once read; a reference given as a frame has
        nothing to read."""
        if self._reader is not None and not self._started:
            self._started = True
            threading.Thread(target=self._read, args=(then,), name="adclick-reference", daemon=True).start()

    def _read(self, then: Callable[[], None] | None) -> None:
        try:
            frame = self._reader() if self._reader is not None else None
        except Exception as exc:  # the gauges stay NaN; the service answers as before
            self.problem = f"no drift gauge: the training rows could not be read: {exc}"
            print(self.problem, file=sys.stderr)
            return
        if frame is not None:
            self.features = self._features(frame)  # both set before either is read as present
            self.frame = frame
        if then is not None:
            then()


class InputWatch(Collector):
    """Missing values per column and drift over a sliding window of recent inputs."""

    def __init__(self, reference: Reference, settings: DriftSettings, window_rows: int) -> None:
        self.source = reference
        self.settings, self.window_rows = settings, window_rows
        self._reference_missing: dict[str, float] | None = None
        self._pending: list[pd.DataFrame] = []
        self._pending_rows = 0
        self._recent: deque[pd.DataFrame] = deque()
        self._rows_in_window = 0
        self._missing = np.zeros(len(MODEL_FEATURES), dtype=np.int64)
        self._changed = False
        self._drift: tuple[float, dict[str, bool]] = (NAN, {})
        self._lock = threading.Lock()

    def observe(self, frame: pd.DataFrame) -> None:
        """Keep a scored batch for the next fold: a list append, nothing more, on the request path."""
        with self._lock:
            self._pending.append(frame)
            self._pending_rows += len(frame)
            if self._pending_rows >= self.window_rows:  # bounded memory when nobody scrapes
                self._fold()

    def _fold(self) -> None:
        """Count the pending batches' missing values and move them into the window (lock held)."""
        if not self._pending:
            return
        inputs = pd.concat(self._pending, ignore_index=True)[list(MODEL_FEATURES)]
        self._pending, self._pending_rows = [], 0
        self._missing += inputs.isna().sum().to_numpy()
        self._recent.append(inputs)
        self._rows_in_window += len(inputs)
        while self._recent and self._rows_in_window - len(self._recent[0]) >= self.window_rows:
            self._rows_in_window -= len(self._recent.popleft())
        self._changed = True

    def _missing_in_reference(self) -> dict[str, float]:
        """Missing share per column of the reference (empty until it is read); computed once."""
        if self._reference_missing is None and self.source.features is not None:
            self._reference_missing = self.source.features.isna().mean().to_dict()
        return self._reference_missing or {}

    def _current_drift(self) -> tuple[float, dict[str, bool]]:
        with self._lock:
            self._fold()
            reference = self.source.features
            if not self._changed or reference is None or not self._recent:
                return self._drift
            window = pd.concat(list(self._recent), ignore_index=True).tail(self.window_rows)
            self._changed = False
        result = data_drift(reference, window, self.settings)
        self._drift = (result.share, {c.column: c.drifted for c in result.columns})
        return self._drift

    def collect(self) -> Iterator[Any]:
        share, drifted = self._current_drift()  # folds the pending batches first
        missing = CounterMetricFamily("adclick_missing_values", "Missing values per feature", labels=["column"])
        with self._lock:
            counts, rows = self._missing.tolist(), self._rows_in_window
        for column, count in zip(MODEL_FEATURES, counts, strict=True):
            missing.add_metric([column], count)
        yield missing
        expected = GaugeMetricFamily(
            "adclick_reference_missing_share", "Missing share per feature in the reference", labels=["column"]
        )
        reference_missing = self._missing_in_reference()
        for column in MODEL_FEATURES:
            expected.add_metric([column], reference_missing.get(column, NAN))
        yield expected
        yield GaugeMetricFamily(
            "adclick_drift_share", "Share of features drifted: recent window vs reference", value=share
        )
        per_column = GaugeMetricFamily("adclick_feature_drifted", "1 if the feature drifted", labels=["column"])
        for column in MODEL_FEATURES:
            per_column.add_metric([column], float(drifted[column]) if column in drifted else NAN)
        yield per_column
        yield GaugeMetricFamily("adclick_drift_window_rows", "Rows in the drift window", value=rows)


class ModelWatch(Collector):
    """The model behind the answers: identity, training time, predictions on the reference."""

    def __init__(self, holder: ModelHolder, reference: Reference) -> None:
        self.holder, self.source = holder, reference
        self._reference_scores: dict[str, tuple[float, float]] = {}

    def _reference_probability(self) -> tuple[float, float]:
        current, reference = self.holder.current, self.source.frame
        if current is None or reference is None:
            return NAN, NAN
        key = f"{current.ref.name}/{current.ref.version}"
        if key not in self._reference_scores:  # once per model version: the reference does not change
            proba = probabilities(current.model, reference)
            self._reference_scores[key] = (float(proba.mean()), float(proba.std()))
        return self._reference_scores[key]

    def collect(self) -> Iterator[Any]:
        current = self.holder.current
        info = GaugeMetricFamily("adclick_model_info", "The model answering (1)", labels=["name", "version", "alias"])
        trained = NAN
        if current is not None:
            info.add_metric([current.ref.name, str(current.ref.version), current.ref.alias or ""], 1.0)
            trained = current.trained_at
        yield info
        yield GaugeMetricFamily(
            "adclick_model_trained_timestamp_seconds", "When the model's training run started", value=trained
        )
        mean, sd = self._reference_probability()
        yield GaugeMetricFamily("adclick_reference_probability_mean", "Mean prediction on the reference", value=mean)
        yield GaugeMetricFamily("adclick_reference_probability_sd", "Spread of predictions on the reference", value=sd)
