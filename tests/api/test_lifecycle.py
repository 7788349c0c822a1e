"""The model's lifecycle in the service: loaded once, missing without crashing, reloaded on request."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adclick.serve import bundle
from adclick.serve.app import create_app
from adclick.serve.routes import RELOAD_TOKEN_ENV
from adclick.tracking.evaluation import evaluate_model
from adclick.tracking.promotion import promote, rollback
from adclick.tracking.registry import CHAMPION, connect, set_alias
from adclick.tracking.training import train_and_register
from tests.helpers.api import Served, move_registry, service


@pytest.fixture
def unloadable(served: Served) -> TestClient:
    with TestClient(service(served.settings, "models:/adclick@no-such-alias")) as test_client:
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
    with TestClient(service(served.settings, reload_token="right")) as test_client:
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
    with TestClient(service(served.settings, reload_token="right")) as test_client:
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
    with TestClient(service(served.settings, reload_token="right")) as test_client:
        holder = test_client.app.state.holder  # type: ignore[attr-defined]
        holder.uri = "models:/adclick@gone"  # the alias it reloads from disappeared
        answer = test_client.post("/admin/reload", headers={"Authorization": "Bearer right"})
        assert answer.status_code == 503
        assert "still serving the previous model" in answer.json()["detail"]
        assert test_client.post("/predict", json={"records": records[:1]}).status_code == 200


def test_a_request_keeps_the_model_it_started_with(served: Served, records: list[dict[str, Any]]) -> None:
    """A reload that lands while a request is predicting must not change who answers it."""
    from dataclasses import replace

    with TestClient(service(served.settings)) as test_client:
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
    with TestClient(service(served.settings, reload_token="right")) as test_client:
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


def _blocking_exporter(settings: Any, release: threading.Event, calls: list[str]) -> Any:
    """An exporter that notes each call and exports only once `release` is set."""

    def export(uri: str) -> Any:
        calls.append(uri)
        release.wait(timeout=60)
        return bundle.export(settings, uri)

    return export


def _ready_within(test_client: TestClient, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test_client.get("/ready").status_code == 200:
            return True
        time.sleep(0.1)
    return False


def test_health_answers_while_the_model_is_still_being_exported(served: Served) -> None:
    release, calls = threading.Event(), []
    move_registry(served.settings)  # the start-up must export
    app = create_app(
        served.settings, exporter=_blocking_exporter(served.settings, release, calls), load_in_background=True
    )
    with TestClient(app) as test_client:
        try:
            assert test_client.get("/health").status_code == 200
            assert test_client.get("/ready").status_code == 503
        finally:
            release.set()
        assert _ready_within(test_client, 60)


def test_a_reload_with_the_registry_unchanged_exports_nothing(served: Served) -> None:
    release, calls = threading.Event(), []
    release.set()
    with TestClient(
        create_app(served.settings, reload_token="right", exporter=_blocking_exporter(served.settings, release, calls))
    ) as test_client:
        calls.clear()  # the start-up's own export, if the registry moved before it
        answer = test_client.post("/admin/reload", headers={"Authorization": "Bearer right"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["reloaded"] is False
        assert calls == []


def test_concurrent_reloads_share_one_export(served: Served) -> None:
    release, calls = threading.Event(), []
    release.set()
    app = create_app(
        served.settings, reload_token="right", exporter=_blocking_exporter(served.settings, release, calls)
    )
    with TestClient(app) as test_client:
        release.clear()
        calls.clear()
        move_registry(served.settings)
        answers: list[Any] = []

        def reload() -> None:
            answers.append(test_client.post("/admin/reload", headers={"Authorization": "Bearer right"}))

        threads = [threading.Thread(target=reload) for _ in range(4)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while not calls and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # time for the other three to reach the exporter, were they not made to wait
        release.set()
        for thread in threads:
            thread.join(timeout=60)
        assert [a.status_code for a in answers] == [200] * 4
        assert len(calls) == 1, calls


def test_an_export_that_does_not_finish_is_stopped_and_named(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    from adclick.errors import ModelNotFoundError
    from adclick.serve import bundle

    monkeypatch.setattr(bundle, "EXPORT_TIMEOUT_SECONDS", 0.01)
    with pytest.raises(ModelNotFoundError, match="did not finish within"):
        bundle.export_in_child(served.settings, served.champion.uri)
