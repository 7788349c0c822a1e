"""The API's contract, route by route: what a good request gets, and what each kind of bad one gets."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from adclick.data import specs
from tests.helpers.api import Served


def test_health_says_alive(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "alive"}


def test_ready_names_the_loaded_model(client: TestClient, served: Served) -> None:
    answer = client.get("/ready")
    assert answer.status_code == 200
    assert answer.json()["model"]["version"] == served.champion.version


def test_model_describes_version_metrics_and_input_schema(client: TestClient, served: Served) -> None:
    info = client.get("/model").json()
    assert (info["name"], info["version"], info["alias"]) == (served.champion.name, served.champion.version, "champion")
    assert 0.7 < info["training_metrics"]["roc_auc"] < 1.0
    assert set(info["input_schema"]["properties"]) == {specs.ID_COLUMN, *specs.FEATURES}


def test_one_record_gets_one_prediction_with_the_model_that_made_it(
    client: TestClient, records: list[dict[str, Any]], served: Served
) -> None:
    answer = client.post("/predict", json={"records": records[:1]})
    assert answer.status_code == 200
    (prediction,) = answer.json()["predictions"]
    assert prediction["impression_id"] == records[0][specs.ID_COLUMN]
    assert 0.0 <= prediction["click_probability"] <= 1.0
    threshold = served.settings.model.decision_threshold
    assert prediction["predicted_click"] == int(prediction["click_probability"] >= threshold)
    assert (prediction["model_name"], prediction["model_version"], prediction["model_alias"]) == (
        served.champion.name,
        served.champion.version,
        "champion",
    )


def test_a_batch_gets_one_prediction_per_record_in_order(client: TestClient, records: list[dict[str, Any]]) -> None:
    predictions = client.post("/predict", json={"records": records}).json()["predictions"]
    assert [p["impression_id"] for p in predictions] == [r[specs.ID_COLUMN] for r in records]


def _changed(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**record, **changes}


def _without(record: dict[str, Any], field: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != field}


# (case, how the first record is broken, the field the error must name, the value it must show)
INVALID = [
    ("wrong type", lambda r: _changed(r, age="forty"), "age", "forty"),
    ("integer given as text", lambda r: _changed(r, position="3"), "position", "3"),
    ("out of range", lambda r: _changed(r, position=42), "position", 42),
    ("unknown category", lambda r: _changed(r, country="XX"), "country", "XX"),
    ("boolean given as text", lambda r: _changed(r, is_returning="yes"), "is_returning", "yes"),
    ("missing field", lambda r: _without(r, "device"), "device", None),
    ("unknown field", lambda r: _changed(r, colour="red"), "colour", "red"),
    ("empty id", lambda r: _changed(r, impression_id=""), specs.ID_COLUMN, ""),
    ("row rule", lambda r: _changed(r, is_returning=False, past_purchases=3, days_since_last_visit=None),
     "past_purchases", {"is_returning": False, "past_purchases": 3}),
]  # fmt: skip


@pytest.mark.parametrize(("make", "field", "value"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_record_is_a_422_naming_the_field_path_and_value(
    client: TestClient, records: list[dict[str, Any]], make: Any, field: str, value: Any
) -> None:
    answer = client.post("/predict", json={"records": [records[1], make(records[0])]})
    assert answer.status_code == 422, answer.text
    errors = answer.json()["detail"]
    located = [e for e in errors if e["loc"] == ["body", "records", 1, field]]
    assert located, f"no error at body.records.1.{field}: {errors}"
    if value is not None:
        assert located[0]["input"] == value


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_number_is_a_422_not_a_crash(
    client: TestClient, records: list[dict[str, Any]], literal: str
) -> None:
    body = json.dumps({"records": [records[0]]}).replace(json.dumps(records[0]["price"]), literal, 1)
    answer = client.post("/predict", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "records", 0, "price"]


@pytest.mark.parametrize(
    ("body", "where"),
    [({"records": []}, ["body", "records"]), ({}, ["body", "records"]), ([], ["body"])],
    ids=["empty batch", "no records", "not an object"],
)
def test_request_without_records_is_a_422(client: TestClient, body: Any, where: list[Any]) -> None:
    answer = client.post("/predict", json=body)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == where


def test_malformed_json_is_a_422(client: TestClient) -> None:
    answer = client.post("/predict", content=b"{not json", headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "json_invalid"


def test_batch_over_the_row_limit_is_a_413(client: TestClient, records: list[dict[str, Any]], served: Served) -> None:
    limit = served.settings.serve.max_batch_rows
    batch = [dict(records[i % len(records)], impression_id=f"r{i}") for i in range(limit + 1)]
    answer = client.post("/predict", json={"records": batch})
    assert answer.status_code == 413
    assert str(limit) in answer.json()["detail"]


def test_body_over_the_size_limit_is_a_413(client: TestClient, served: Served) -> None:
    oversized = b"x" * (served.settings.serve.max_body_bytes + 1)
    answer = client.post("/predict", content=oversized, headers={"content-type": "application/json"})
    assert answer.status_code == 413
    assert "bytes" in answer.json()["detail"]


def test_unknown_route_and_wrong_method_answer_json(client: TestClient) -> None:
    assert client.get("/nope").json() == {"detail": "Not Found"}
    assert client.get("/predict").status_code == 405


def test_metrics_count_requests_errors_latency_probabilities_and_rows(
    client: TestClient, records: list[dict[str, Any]]
) -> None:
    client.post("/predict", json={"records": records[:3]})
    client.post("/predict", json={"records": []})
    text = client.get("/metrics").text
    assert 'adclick_requests_total{route="/predict",status="200"}' in text
    assert 'adclick_request_errors_total{route="/predict",status="422"}' in text
    assert 'adclick_request_seconds_bucket{le="0.05",route="/predict"}' in text
    assert "adclick_click_probability_count" in text
    rows = float(next(line for line in text.splitlines() if line.startswith("adclick_rows_scored_total")).split()[-1])
    assert rows >= 3


def test_predictions_are_those_of_the_loaded_model(client: TestClient, records: list[dict[str, Any]]) -> None:
    from adclick.model.predict import probabilities

    model = client.app.state.holder.current.model  # type: ignore[attr-defined]

    expected = probabilities(model, pd.DataFrame(records))
    answered = [
        p["click_probability"] for p in client.post("/predict", json={"records": records}).json()["predictions"]
    ]
    np.testing.assert_array_equal(answered, expected)
