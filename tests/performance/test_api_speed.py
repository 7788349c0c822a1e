"""The service costs a bounded factor over the model it serves, and beats `mlflow models serve`.

References, timed in the same run: raw `predict_proba` on the same rows, FastAPI's own floor
(an empty endpoint given the same body), and MLflow's scoring server on the same model under
the same bounded load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from adclick.config import Settings
from adclick.data import contract
from adclick.model.predict import probabilities
from adclick.serve.app import create_app
from adclick.serve.contract import as_records
from adclick.tooling import load as loading
from tests.helpers.store import TrainedProject
from tests.helpers.timing import RatioCheck, RatioResult, budget_of

pytestmark = pytest.mark.ml_test_score("monitor-6")


@pytest.fixture(scope="module")
def champion(trained_project: TrainedProject) -> Any:
    return trained_project.champion


@pytest.fixture(scope="module")
def client(trained_project: TrainedProject) -> Iterator[TestClient]:
    with TestClient(create_app(trained_project.settings)) as test_client:
        yield test_client


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
    ratio_budget: RatioCheck, client: TestClient, floor: TestClient, scoring_frames: Any
) -> None:
    frame = scoring_frames(1)
    body = {"records": as_records(frame)}
    model = client.app.state.holder.current.model  # type: ignore[attr-defined]
    assert client.post("/predict", json=body).status_code == 200

    def reference() -> None:
        probabilities(model, frame)
        floor.post("/empty", json=body)

    ratio_budget(
        "api_1_row_vs_raw_plus_floor", ours=lambda: client.post("/predict", json=body), reference=reference, rounds=30
    )


def test_a_batch_of_1000_rows_keeps_at_least_half_the_raw_throughput(
    ratio_budget: RatioCheck, client: TestClient, scoring_frames: Any
) -> None:
    frame = scoring_frames(1_000)
    body = json.dumps({"records": as_records(frame)}).encode()  # encoded once: the client's cost is not ours
    headers = {"content-type": "application/json"}
    model = client.app.state.holder.current.model  # type: ignore[attr-defined]
    assert len(client.post("/predict", content=body, headers=headers).json()["predictions"]) == 1_000
    ratio_budget(
        "api_1k_rows_vs_raw",
        ours=lambda: client.post("/predict", content=body, headers=headers),
        reference=lambda: model.predict_proba(frame[list(contract.FEATURES)]),
        rounds=10,
    )


def _median_run(runs: list[loading.LoadResult]) -> loading.LoadResult:
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


@pytest.mark.slow
def test_over_a_socket_it_is_at_least_as_fast_as_mlflow_models_serve(
    benchmark: Any, trained_project: TrainedProject, champion: Any, params: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same bounded load script against both servers, started side by side on free 127.0.0.1
    ports and loaded in turn, round after round: a busy neighbour then slows both, not one of
    them (timed one after the other, a single slow phase once made the ratio 1.29 instead of 0.7)."""
    plan = loading.load_plan(params, requests=150, batch_rows=())[loading.SINGLE]
    ours_port, theirs_port = loading.free_port(), loading.free_port()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", trained_project.settings.tracking_uri)
    mlflow = loading.mlflow_server_command(champion, theirs_port)
    adclick = loading.adclick_server_command(trained_project.config, ours_port, champion.uri)
    with (
        loading.serve_in_background(adclick, f"http://127.0.0.1:{ours_port}/ready"),
        loading.serve_in_background(mlflow, f"http://127.0.0.1:{theirs_port}/ping", timeout=180),
        loading.adclick_sender(f"http://127.0.0.1:{ours_port}") as send_ours,
        loading.mlflow_sender(f"http://127.0.0.1:{theirs_port}") as send_theirs,
    ):
        loading.run_load("warm-up", send_ours, plan[:10], 2, 60)
        loading.run_load("warm-up", send_theirs, plan[:10], 2, 60)
        ours_runs: list[loading.LoadResult] = []
        theirs_runs: list[loading.LoadResult] = []
        benchmark.pedantic(
            lambda: ours_runs.append(loading.run_load("adclick", send_ours, plan, 2, 120)),
            setup=lambda: theirs_runs.append(loading.run_load("mlflow models serve", send_theirs, plan, 2, 120)),
            rounds=3,
            iterations=1,
        )
    ours, theirs = _median_run(ours_runs), _median_run(theirs_runs)
    assert all(run.failed == 0 for run in (*ours_runs, *theirs_runs))
    assert all(run.requests == len(plan) for run in (*ours_runs, *theirs_runs))
    name = "api_socket_vs_mlflow_serve"
    result = RatioResult(name, ours.seconds, theirs.seconds, budget_of(params, name))
    benchmark.extra_info.update(
        {"budget_name": name, "our_median": ours.seconds, "reference_median": theirs.seconds,
         "ratio": result.ratio, "budget": result.budget, "passed": result.passed,
         "p50_ms": {"adclick": ours.percentile(50), "mlflow": theirs.percentile(50)}}
    )  # fmt: skip
    if not benchmark.disabled:  # the fast layers run it once, untimed, like every other budget
        assert result.passed, result.message()
