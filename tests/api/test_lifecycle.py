"""The model's lifecycle in the service: loaded once, missing without crashing, reloaded on request."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from adclick.serve.app import RELOAD_TOKEN_ENV, create_app
from adclick.tracking.evaluation import evaluate_model
from adclick.tracking.promotion import promote, rollback
from adclick.tracking.registry import CHAMPION, connect, set_alias
from adclick.tracking.training import train_and_register
from tests.helpers.api import Served


@pytest.fixture
def unloadable(served: Served) -> TestClient:
    with TestClient(create_app(served.settings, "models:/adclick@no-such-alias")) as test_client:
        yield test_client


def test_a_model_that_cannot_load_leaves_the_process_up_and_says_why(unloadable: TestClient) -> None:
    assert unloadable.get("/health").status_code == 200
    ready = unloadable.get("/ready")
    assert ready.status_code == 503
    assert "models:/adclick@no-such-alias" in ready.json()["reason"]


def test_predict_without_a_model_is_a_503_with_the_reason(
    unloadable: TestClient, records: list[dict[str, Any]]
) -> None:
    answer = unloadable.post("/predict", json={"records": records[:1]})
    assert answer.status_code == 503
    assert "no-such-alias" in answer.json()["detail"]


@pytest.fixture
def reloadable(served: Served) -> TestClient:
    """A service started with the reload token "right"."""
    with TestClient(create_app(served.settings, reload_token="right")) as test_client:
        yield test_client


def test_reload_is_disabled_without_a_token(client: TestClient) -> None:
    assert client.post("/admin/reload").status_code == 403


def test_reload_refuses_a_wrong_token(reloadable: TestClient) -> None:
    assert reloadable.post("/admin/reload", headers={"Authorization": "Bearer wrong"}).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer \u00e9t\u00e9", "\u00ff" * 40, "Bearer right\u200b"], ids=["accents", "latin-1", "zero-width"]
)
def test_a_non_ascii_token_is_a_401_not_a_server_error(reloadable: TestClient, header: str) -> None:
    answer = reloadable.post("/admin/reload", headers={"Authorization": header.encode("utf-8")})
    assert answer.status_code == 401, answer.text
    assert "token" in answer.json()["detail"]


def test_the_token_is_fixed_at_start_up_not_read_from_the_environment_per_request(
    reloadable: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(RELOAD_TOKEN_ENV, "changed-after-start")
    assert reloadable.post("/admin/reload", headers={"Authorization": "Bearer changed-after-start"}).status_code == 401
    assert reloadable.post("/admin/reload", headers={"Authorization": "Bearer right"}).status_code == 200


def test_reload_picks_up_a_newly_promoted_champion(served: Served, small_split) -> None:
    with TestClient(create_app(served.settings, reload_token="right")) as test_client:
        before = test_client.get("/model").json()["version"]
        client = connect(served.settings)
        newer = train_and_register(served.settings, *small_split).ref
        try:
            set_alias(client, newer, CHAMPION)
            answer = test_client.post("/admin/reload", headers={"Authorization": "Bearer right"})
            assert answer.status_code == 200, answer.text
            assert test_client.get("/model").json()["version"] == newer.version != before
        finally:
            set_alias(client, served.champion, CHAMPION)  # other tests expect the first champion


def test_a_failed_reload_keeps_serving_the_current_model(served: Served, records: list[dict[str, Any]]) -> None:
    with TestClient(create_app(served.settings, reload_token="right")) as test_client:
        holder = test_client.app.state.holder  # type: ignore[attr-defined]
        holder.uri = "models:/adclick@gone"  # the alias it reloads from disappeared
        answer = test_client.post("/admin/reload", headers={"Authorization": "Bearer right"})
        assert answer.status_code == 503
        assert "still serving the previous model" in answer.json()["detail"]
        assert test_client.post("/predict", json={"records": records[:1]}).status_code == 200


def test_a_request_keeps_the_model_it_started_with(served: Served, records: list[dict[str, Any]]) -> None:
    """A reload that lands while a request is predicting must not change who answers it."""
    from dataclasses import replace

    with TestClient(create_app(served.settings)) as test_client:
        holder = test_client.app.state.holder  # type: ignore[attr-defined]
        started_with = holder.current
        renumbered = replace(started_with.exported, ref=replace(started_with.ref, version="999"))
        newer = replace(started_with, exported=renumbered)

        class ReloadedMidway:
            def predict_proba(self, frame: Any) -> Any:
                holder.current = newer  # what /admin/reload does, while this request is in flight
                return started_with.model.predict_proba(frame)

        holder.current = replace(started_with, model=ReloadedMidway())
        answer = test_client.post("/predict", json={"records": records[:2]}).json()
        assert {p["model_version"] for p in answer["predictions"]} == {started_with.ref.version}
        assert (
            test_client.post("/predict", json={"records": records[:1]}).json()["predictions"][0]["model_version"]
            == "999"
        )


@pytest.mark.ml_test_score("infra-7")
def test_after_a_rollback_a_reload_serves_the_previous_champion(served: Served, small_split) -> None:
    client = connect(served.settings)
    with TestClient(create_app(served.settings, reload_token="right")) as test_client:
        newer = train_and_register(served.settings, *small_split).ref
        try:
            report = evaluate_model(served.settings, newer.uri, small_split[1], data_source="test")
            promote(client, served.settings.gates, report)
            assert test_client.post("/admin/reload", headers={"Authorization": "Bearer right"}).status_code == 200
            assert test_client.get("/model").json()["version"] == newer.version
            rollback(client, served.settings.model.registered_name)
            assert test_client.post("/admin/reload", headers={"Authorization": "Bearer right"}).status_code == 200
            assert test_client.get("/model").json()["version"] == served.champion.version
        finally:
            set_alias(client, served.champion, CHAMPION)  # other tests expect the first champion
