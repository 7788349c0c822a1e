"""Prometheus metrics of the service, through prometheus_client's public API only.

Requests, errors and latency are ordinary Counter and Histogram metrics. The thresholds of the
alert rules that a team sets in params.yaml are exposed too (`adclick_alert_threshold{setting}`),
so that monitoring/rules.yml compares with them and holds no copy. The predicted
probabilities are a histogram too, but calling `Histogram.observe` once per row costs a large
batch more than its prediction; `ProbabilityHistogram` counts a whole batch with numpy and exposes
the result through a custom collector (`prometheus_client.registry.Collector`), which is the
documented way to publish values kept elsewhere.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import HistogramMetricFamily
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from adclick.serve.watch import InputWatch

if TYPE_CHECKING:
    import pandas as pd

    from adclick.config import Settings

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
PROBABILITY_BUCKETS = tuple(float(edge) for edge in np.round(np.linspace(0.1, 1.0, 10), 1))
# The settings the alert rules compare with; a rule's `params` annotation names the one it reads.
# The rules that only Prometheus evaluates (server errors, a stale model) keep theirs in rules.yml.
ALERT_SETTINGS = (
    "monitoring.alerts.max_p95_latency_seconds",
    "monitoring.alerts.prediction_band_sigmas",
    "monitoring.alerts.max_missing_share",
    "drift.dataset_drift_share",
)


def alert_thresholds(settings: Settings) -> dict[str, float]:
    """The value of each of `ALERT_SETTINGS` in `settings`, by its dotted key."""
    thresholds = {}
    for key in ALERT_SETTINGS:
        value: object = settings
        for part in key.split("."):
            value = getattr(value, part)
        thresholds[key] = float(value)  # type: ignore[arg-type]
    return thresholds


class ProbabilityHistogram(Collector):
    """A histogram of predicted probabilities, observed a batch at a time."""

    def __init__(self, name: str, documentation: str, buckets: tuple[float, ...] = PROBABILITY_BUCKETS) -> None:
        self.name, self.documentation = name, documentation
        self.edges = np.asarray(buckets, dtype=float)
        self._counts = np.zeros(len(buckets) + 1, dtype=np.int64)  # the last bucket is +Inf
        self._sum = 0.0
        self._lock = threading.Lock()

    def observe_many(self, values: np.ndarray) -> None:
        """Count every value into its bucket (`le`: a value equal to an edge belongs to it)."""
        values = np.asarray(values, dtype=float)
        counts = np.bincount(np.searchsorted(self.edges, values, side="left"), minlength=len(self._counts))
        with self._lock:
            self._counts += counts
            self._sum += float(values.sum())

    def collect(self) -> Iterator[HistogramMetricFamily]:
        with self._lock:
            cumulative = np.cumsum(self._counts).tolist()
            total = self._sum
        bounds = [floatToGoString(edge) for edge in self.edges] + ["+Inf"]  # as Histogram writes them
        yield HistogramMetricFamily(
            self.name, self.documentation, buckets=list(zip(bounds, cumulative, strict=True)), sum_value=total
        )


class ServiceMetrics:
    """The service's metrics in a registry of this app's own (tests create many apps); with
    `watchers` (`serve.watch`), the inputs and the model too."""

    def __init__(
        self, inputs: InputWatch | None = None, *watchers: Collector, thresholds: dict[str, float] | None = None
    ) -> None:
        self.registry = CollectorRegistry()
        self.inputs = inputs
        for watcher in (inputs, *watchers):
            if watcher is not None:
                self.registry.register(watcher)
        self.requests = Counter(
            "adclick_requests", "HTTP requests by route and status", ["route", "status"], registry=self.registry
        )
        self.errors = Counter(
            "adclick_request_errors", "HTTP answers of 400 and above", ["route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "adclick_request_seconds", "Request latency", ["route"], buckets=LATENCY_BUCKETS, registry=self.registry
        )
        self.probability = ProbabilityHistogram("adclick_probability", "Predicted probabilities of the positive label")
        self.registry.register(self.probability)
        self.rows = Counter("adclick_rows_scored", "Rows scored", registry=self.registry)
        threshold = Gauge(
            "adclick_alert_threshold", "An alert rule's threshold, by setting", ["setting"], registry=self.registry
        )
        for key, value in (thresholds or {}).items():
            threshold.labels(key).set(value)

    def observe(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route, str(status)).inc()
        if status >= 400:
            self.errors.labels(route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def observe_scores(self, proba: np.ndarray, inputs: pd.DataFrame | None = None) -> None:
        self.rows.inc(len(proba))
        self.probability.observe_many(proba)
        if self.inputs is not None and inputs is not None:
            self.inputs.observe(inputs)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
