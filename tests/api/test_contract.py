"""The API's contract, route by route: what a good request gets, and what each kind of bad one gets."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from adclick.data import contract
from adclick.data.contract import DECISION, PROBABILITY
from tests.helpers.api import Served
from tests.helpers.cases import (
    BOOLEANS,
    BOUNDED,
    CATEGORICAL,
    INTEGERS,
    NO_INTEGER_BOUNDS,
    NO_NUMBER,
    NOT_A_COLUMN,
    NUMBERS,
    REQUIRED,
    UNSEEN_LEVEL,
    outside_range,
)
from tests.helpers.judged import each, not_judged


def test_health_says_alive(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "alive"}


def test_ready_names_the_loaded_model(client: TestClient, served: Served) -> None:
    answer = client.get("/ready")
    assert answer.status_code == 200
    assert answer.json()["model"]["version"] == served.champion.version


@pytest.mark.ml_test_score("infra-5")
def test_model_describes_version_metrics_and_input_schema(client: TestClient, served: Served) -> None:
    info = client.get("/model").json()
    assert (info["name"], info["version"], info["alias"]) == (served.champion.name, served.champion.version, "champion")
    assert 0.7 < info["training_metrics"]["roc_auc"] < 1.0
    assert set(info["input_schema"]["properties"]) == {contract.ID_COLUMN, *contract.FEATURES}


def test_one_record_gets_one_prediction_with_the_model_that_made_it(
    client: TestClient, records: list[dict[str, Any]], served: Served
) -> None:
    answer = client.post("/predict", json={"records": records[:1]})
    assert answer.status_code == 200
    (prediction,) = answer.json()["predictions"]
    assert prediction[contract.ID_COLUMN] == records[0][contract.ID_COLUMN]
    assert 0.0 <= prediction[PROBABILITY] <= 1.0
    threshold = client.get("/model").json()["decision_threshold"]  # the model version's own
    assert prediction[DECISION] == int(prediction[PROBABILITY] >= threshold)
    assert (prediction["model_name"], prediction["model_version"], prediction["model_alias"]) == (
        served.champion.name,
        served.champion.version,
        "champion",
    )


def test_a_batch_gets_one_prediction_per_record_in_order(client: TestClient, records: list[dict[str, Any]]) -> None:
    predictions = client.post("/predict", json={"records": records}).json()["predictions"]
    assert [p[contract.ID_COLUMN] for p in predictions] == [r[contract.ID_COLUMN] for r in records]


def _changed(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**record, **changes}


def _without(record: dict[str, Any], field: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != field}


def _text_given_for(spec: contract.FieldSpec) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The record's own value of `spec`, sent as text (JSON "3" where 3 belongs)."""
    return lambda r: _changed(r, **{spec.name: str(r[spec.name])})


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda r: _changed(r, **{field: value})


RANGED, FIELD = BOUNDED[0], REQUIRED[0].name
# (case, how the first record is broken, the field the error must name, the value it must show)
INVALID = [
    *((f"text in number field {s.name}", _set(s.name, "forty"), s.name, "forty") for s in NUMBERS[:1]),
    *((f"integer given as text ({s.name})", _text_given_for(s), s.name, None) for s in INTEGERS[:1]),
    ("out of range", _set(RANGED.name, outside_range(RANGED)), RANGED.name, outside_range(RANGED)),
    *((f"unknown category ({s.name})", _set(s.name, UNSEEN_LEVEL), s.name, UNSEEN_LEVEL) for s in CATEGORICAL[:1]),
    *((f"boolean given as text ({s.name})", _set(s.name, "yes"), s.name, "yes") for s in BOOLEANS),
    ("missing field", lambda r: _without(r, FIELD), FIELD, None),
    ("unknown field", _set(NOT_A_COLUMN, "red"), NOT_A_COLUMN, "red"),
    ("empty id", _set(contract.ID_COLUMN, ""), contract.ID_COLUMN, ""),
    *((f"row rule: {rule.name}", lambda r, rule=rule: _changed(r, **rule.violation), rule.columns[-1],
       {c: rule.violation[c] for c in rule.columns}) for rule in contract.ROW_RULES),
]  # fmt: skip


@pytest.mark.parametrize(("make", "field", "value"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
@pytest.mark.ml_test_score("monitor-2")
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
@pytest.mark.ml_test_score("monitor-2", "monitor-5")
def test_non_finite_number_is_a_422_not_a_crash(
    client: TestClient, records: list[dict[str, Any]], literal: str
) -> None:
    filled = [s for s in NUMBERS if records[0][s.name] is not None]
    if not filled:
        not_judged(NO_NUMBER)
    number = min(filled, key=lambda s: s.kind != "number").name  # a decimal column where there is one
    body = json.dumps({"records": [{**records[0], number: "__here__"}]}).replace('"__here__"', literal, 1)
    answer = client.post("/predict", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "records", 0, number]


@pytest.mark.parametrize(
    ("body", "where"),
    [({"records": []}, ["body", "records"]), ({}, ["body", "records"]), ([], ["body"])],
    ids=["empty batch", "no records", "not an object"],
)
@pytest.mark.ml_test_score("monitor-2")
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
    batch = [{**records[i % len(records)], contract.ID_COLUMN: f"r{i}"} for i in range(limit + 1)]
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
    assert "adclick_probability_count" in text
    rows = float(next(line for line in text.splitlines() if line.startswith("adclick_rows_scored_total")).split()[-1])
    assert rows >= 3


def test_predictions_are_those_of_the_loaded_model(client: TestClient, records: list[dict[str, Any]]) -> None:
    from adclick.model.predict import probabilities

    model = client.app.state.holder.current.model  # type: ignore[attr-defined]

    expected = probabilities(model, pd.DataFrame(records))
    answered = [p[PROBABILITY] for p in client.post("/predict", json={"records": records}).json()["predictions"]]
    np.testing.assert_array_equal(answered, expected)


@pytest.mark.parametrize("spec", each(INTEGERS, NO_INTEGER_BOUNDS, ids=lambda s: s.name))
def test_a_whole_number_written_as_a_float_is_an_integer_as_json_schema_says(
    client: TestClient, records: list[dict[str, Any]], spec: contract.FieldSpec
) -> None:
    record = next(r for r in records if r[spec.name] is not None)
    as_float = {**record, spec.name: float(record[spec.name])}
    answer = client.post("/predict", json={"records": [as_float]})
    assert answer.status_code == 200, answer.text
