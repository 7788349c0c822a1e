"""The service costs a bounded factor over the model it serves, in process.

References, timed in the same run: raw `predict_proba` on the same rows, and FastAPI's own floor
(an empty endpoint given the same body). Over a socket, against `mlflow models serve`:
test_against_mlflow_serve.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from threadpoolctl import threadpool_limits

from adclick.data import contract
from adclick.model.predict import probabilities
from adclick.serve.request_contract import as_records
from adclick.tracking.registry import load_sklearn
from tests.helpers.api import service
from tests.helpers.store import TrainedProject
from tests.helpers.timing import RatioCheck

pytestmark = pytest.mark.ml_test_score("monitor-6")


@pytest.fixture(scope="module")
def client(trained_project: TrainedProject) -> Iterator[TestClient]:
    with TestClient(service(trained_project.settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def registered(trained_project: TrainedProject) -> Any:
    """The registered pipeline, as `adclick predict` and MLflow's pyfunc load it: the raw model.
    The service answers with the same trees compiled (`serve.compiled.trees`)."""
    return load_sklearn(trained_project.client, trained_project.champion.uri)[0]


@pytest.fixture(scope="module")
def floor() -> Iterator[TestClient]:
    """FastAPI's own cost: an endpoint that reads the same JSON body and does nothing with it."""
    app = FastAPI()

    @app.post("/empty")
    async def empty(request: Request) -> dict[str, str]:
        await request.json()
        return {}

    with TestClient(app) as test_client:
        yield test_client


def test_one_record_in_process_stays_within_budget_of_raw_prediction_plus_the_framework(
    ratio_budget: RatioCheck, client: TestClient, floor: TestClient, registered: Any, scoring_frames: Any
) -> None:
    frame = scoring_frames(1)
    body = {"records": as_records(frame)}
    assert client.post("/predict", json=body).status_code == 200

    def reference() -> None:
        probabilities(registered, frame)
        floor.post("/empty", json=body)

    ratio_budget(
        "api_1_row_vs_raw_plus_floor", ours=lambda: client.post("/predict", json=body), reference=reference, rounds=30
    )


def test_a_batch_of_1000_rows_keeps_at_least_half_the_raw_throughput(
    ratio_budget: RatioCheck, client: TestClient, registered: Any, scoring_frames: Any
) -> None:
    """Both sides on one OpenMP thread, as the service scores (`adclick serve` sets
    OMP_NUM_THREADS=1; the machine code runs on the calling thread): a reference spread over
    every core measures the core count, and on a shared runner its neighbours. Thirty rounds, as
    for one record: a request crosses three threads, and on a busy runner ten rounds can all
    catch a neighbour where the single-threaded reference still finds a quiet one."""
    frame = scoring_frames(1_000)
    body = json.dumps({"records": as_records(frame)}).encode()  # encoded once: the client's cost is not ours
    headers = {"content-type": "application/json"}
    assert len(client.post("/predict", content=body, headers=headers).json()["predictions"]) == 1_000
    inputs = frame[list(contract.FEATURES)]
    with threadpool_limits(limits=1, user_api="openmp"):
        ratio_budget(
            "api_1k_rows_vs_raw",
            ours=lambda: client.post("/predict", content=body, headers=headers),
            reference=lambda: registered.predict_proba(inputs),
            rounds=30,
        )
