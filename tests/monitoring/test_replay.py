"""The monitored replay raises the right alert on a drifted or broken day, and none on a clean one."""

from __future__ import annotations

import numpy as np
import pytest

from adclick.data import shifts
from adclick.model.metrics import auc_standard_error
from adclick.monitoring import replay as watch
from adclick.monitoring.days import make_day


def _alerts(settings, model, healthy, numbers: list[int]) -> dict[int, str]:
    table = [watch.observe(settings, model, make_day(settings, n), healthy) for n in numbers]
    watch.raise_alerts(settings, table, healthy)
    return {row["day"]: row["alerts"] for row in table}


def test_a_clean_day_raises_no_alert(params, small_model, healthy) -> None:
    assert _alerts(params, small_model, healthy, [1]) == {1: ""}


@pytest.mark.ml_test_score("monitor-2")
def test_a_drifted_day_raises_the_drift_alert(params, small_model, healthy) -> None:
    alerts = _alerts(params, small_model, healthy, [params.monitoring.days])
    assert watch.DRIFT in alerts[params.monitoring.days]


@pytest.mark.ml_test_score("monitor-2")
def test_an_incident_day_raises_the_missing_values_alert(params, small_model, healthy) -> None:
    day = params.monitoring.incident_days[0]
    assert watch.MISSING in _alerts(params, small_model, healthy, [day])[day]


def test_an_incident_raises_the_schema_alert_when_the_schema_refuses_gaps(params, small_model, healthy) -> None:
    day = params.monitoring.incident_days[0]
    refuses_gaps = not shifts.contract.SPECS[make_day(params, day).shifted[0]].nullable
    assert (watch.SCHEMA in _alerts(params, small_model, healthy, [day])[day]) == refuses_gaps


@pytest.mark.ml_test_score("model-2", "monitor-7")
def test_concept_drift_shows_in_the_realised_auc_once_labels_arrive(params, small_model, healthy) -> None:
    """Labels of the last day arrive `label_delay_days` later: the alert comes on that day."""
    delay, last = params.monitoring.label_delay_days, params.monitoring.days
    days = list(range(last - delay, last + 1))
    alerts = _alerts(params, small_model, healthy, days)
    assert watch.REALISED_AUC in alerts[last]
    assert watch.REALISED_AUC not in alerts[last - delay]


@pytest.mark.ml_test_score("model-2")
def test_cbpe_estimates_the_auc_of_calibrated_probabilities_without_labels(params) -> None:
    rng = np.random.default_rng(params.seed)
    proba = rng.beta(2, 6, size=20_000)
    labels = rng.random(proba.size) < proba
    from sklearn.metrics import roc_auc_score

    realised = roc_auc_score(labels, proba)
    error = auc_standard_error(realised, int(labels.sum()), int((~labels).sum()))
    assert abs(watch.cbpe_auc(proba) - realised) <= params.model_checks.noise_standard_errors * error
