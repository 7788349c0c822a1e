"""/metrics exposes what the alerts need: missing values, drift of recent inputs, the model."""

from __future__ import annotations

import math
import time

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from adclick.data import shifts
from adclick.serve.request_contract import as_records
from tests.helpers.api import service

pytestmark = pytest.mark.ml_test_score("monitor-2")


def _samples(client: TestClient) -> dict[tuple[str, tuple], float]:
    text = client.get("/metrics").text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
    }


def _post(client: TestClient, frame) -> None:
    size = 500
    for start in range(0, len(frame), size):
        answer = client.post("/predict", json={"records": as_records(frame.iloc[start : start + size])})
        assert answer.status_code == 200, answer.text


def test_missing_values_are_counted_per_feature(watched_app, monitored_project, params) -> None:
    nullable = next(iter(c for c in shifts.contract.OPTIONAL_FEATURES if c in shifts.contract.MODEL_FEATURES), None)
    frame = monitored_project.test.head(40)
    with TestClient(watched_app) as client:
        _post(client, frame)
        counted = _samples(client)
    if nullable is None:  # no feature may be missing: every count stays 0
        assert all(v == 0 for (name, _), v in counted.items() if name == "adclick_missing_values_total")
    else:
        assert counted[("adclick_missing_values_total", (("column", nullable),))] == frame[nullable].isna().sum()


def test_the_drift_gauge_stays_low_for_inputs_like_the_training_data(watched_app, monitored_project, params) -> None:
    with TestClient(watched_app) as client:
        _post(client, monitored_project.test.head(params.monitoring.window_rows))
        share = _samples(client)[("adclick_drift_share", ())]
    assert share < params.drift.dataset_drift_share


def test_the_drift_gauge_rises_when_recent_inputs_shift(watched_app, monitored_project, params) -> None:
    columns = shifts.drifting_columns(params)
    shifted = shifts.shifted(monitored_project.test.head(params.monitoring.window_rows), columns, 1.0)
    with TestClient(watched_app) as client:
        _post(client, shifted)
        samples = _samples(client)
    flagged = {
        dict(labels)["column"] for (name, labels), v in samples.items() if name == "adclick_feature_drifted" and v
    }
    assert set(columns) <= flagged


@pytest.mark.ml_test_score("monitor-4")
def test_the_model_answering_and_its_training_time_are_exposed(watched_app, monitored_project) -> None:
    with TestClient(watched_app) as client:
        samples = _samples(client)
    info = [dict(labels) for (name, labels), v in samples.items() if name == "adclick_model_info" and v == 1]
    assert [i["version"] for i in info] == [monitored_project.champion.version]
    assert samples[("adclick_model_trained_timestamp_seconds", ())] > 0


def test_training_rows_read_after_start_up_feed_the_drift_gauge(monitored_project, params) -> None:
    """`adclick serve` reads the training split in a thread once it is up: ready first, gauge after."""
    app = service(monitored_project.settings, reference=lambda: monitored_project.train)
    with TestClient(app) as client:
        _post(client, monitored_project.test.head(params.monitoring.window_rows))
        deadline = time.monotonic() + 30
        while math.isnan(_samples(client)[("adclick_drift_share", ())]) and time.monotonic() < deadline:
            time.sleep(0.05)
        share = _samples(client)[("adclick_drift_share", ())]
    assert share < params.drift.dataset_drift_share


def test_training_rows_that_cannot_be_read_leave_the_service_answering(monitored_project) -> None:
    def unreadable() -> None:
        raise FileNotFoundError("data/split/train.csv")

    app = service(monitored_project.settings, reference=unreadable)
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        while app.state.reference.problem is None and time.monotonic() < deadline:
            time.sleep(0.05)
        answer = client.post("/predict", json={"records": as_records(monitored_project.test.head(3))})
        share = _samples(client)[("adclick_drift_share", ())]
    assert answer.status_code == 200
    assert math.isnan(share)
    assert "train.csv" in app.state.reference.problem
